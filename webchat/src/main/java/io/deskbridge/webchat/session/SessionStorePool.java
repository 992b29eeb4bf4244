package io.deskbridge.webchat.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deskbridge.core.Secret;
import io.deskbridge.spi.ServiceDeskException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The connection pool a {@link JdbcSessionStore} opens from {@code webchat.store.url}, and the start-up error that
 * says why a database cannot be used, without its credentials.
 *
 * <p>A HikariCP pool of at most 4: the writer, which also renews leases, and the occasional lookup of a returning
 * page, or with leases its claim. A connection waits at most 5 s for the pool, so that a lookup fails within that
 * when the database is down; the pool connects at once, so that a database that cannot be reached fails the start,
 * not the first chat.
 */
final class SessionStorePool {
    private SessionStorePool() {}

    /**
     * Opens a pool of {@code url}.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} naming {@code webchat.store.url} when the driver is
     *     missing or the database cannot be reached
     */
    static HikariDataSource open(String url, Optional<String> user, Optional<Secret> password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("webchat-session-store");
        config.setJdbcUrl(url);
        user.ifPresent(config::setUsername);
        password.ifPresent(p -> config.setPassword(p.reveal()));
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // Fail at start, not at the first chat, when the database cannot be reached.
        config.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unusable(url, password, e);
        }
    }

    /**
     * The configuration error for a database at {@code url} that failed with {@code e}: the innermost cause's message
     * with the URL {@linkplain #redact redacted} and the password masked, and what to check.
     */
    static ServiceDeskException unusable(String url, Optional<Secret> password, RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof ServiceDeskException || cause.getClass().getName().startsWith("com.zaxxer"))) {
            cause = cause.getCause();
        }
        String reason = String.valueOf(cause.getMessage()).replace(url, redact(url));
        if (password.isPresent() && !password.get().reveal().isEmpty()) {
            reason = reason.replace(password.get().reveal(), "******");
        }
        boolean noDriver = String.valueOf(e.getMessage()).contains("Failed to get driver instance")
                || cause instanceof SQLException sql && "08001".equals(sql.getSQLState()) && reason.contains("No suitable driver");
        String hint = noDriver
                ? "no JDBC driver on the class path accepts it (the web chat bundles PostgreSQL's; add another database's driver to the class path)"
                : "check webchat.store.url, webchat.store.user and webchat.store.password, and that the database is reachable";
        return new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                "webchat.store.url: the session database " + redact(url) + " cannot be used (" + reason + "); " + hint);
    }

    /** The URL without its parameters or credentials, for messages. */
    static String redact(String url) {
        String shown = url;
        int cut = indexOfAny(shown, '?', ';');
        if (cut >= 0) {
            shown = shown.substring(0, cut) + "...";
        }
        return shown.replaceAll("//[^/@]*@", "//***@");
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}

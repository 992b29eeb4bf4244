package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Secret;
import io.deskbridge.core.Settings;
import io.deskbridge.webchat.session.JdbcSessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The web chat's configuration, from the {@code webchat.*} keys (every source of {@link Configuration}: file,
 * environment such as {@code WEBCHAT_PORT}, system properties such as {@code -Dwebchat.port=9090}).
 *
 * @param host the address to bind ({@code webchat.host}, default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface)
 * @param port the port ({@code webchat.port}, default 8080; 0 picks a free port)
 * @param auth how users are authenticated ({@code webchat.auth}: {@code none} or {@code jwt})
 * @param authSecret the HS256 key that verifies user tokens ({@code webchat.auth.secret}, at least 32 bytes)
 * @param authPublicKey the PEM RSA public key that verifies RS256 user tokens ({@code webchat.auth.publicKey})
 * @param authAudience the audience a user token must name ({@code webchat.auth.audience}, required with {@code jwt})
 * @param allowedOrigins the page origins allowed to open the chat socket ({@code webchat.allowedOrigins},
 *     comma-separated, {@code *} for any); empty means the server's own origin only
 * @param sessionIdleTimeout how long a browser session with no open socket lives before its chat is ended
 *     ({@code webchat.sessionIdleTimeout}, default 2m)
 * @param store where browser sessions are kept ({@code webchat.store}: {@code memory}, the default, or {@code jdbc})
 * @param storeUrl the JDBC URL of the session database ({@code webchat.store.url}, required with {@code jdbc})
 * @param storeUser the database user ({@code webchat.store.user}, only with {@code jdbc})
 * @param storePassword the database user's password ({@code webchat.store.password}, only with {@code jdbc}; a
 *     secret, masked wherever it is printed)
 * @param storeTable the sessions' table ({@code webchat.store.table}, default {@code deskbridge_webchat_sessions}; a
 *     plain SQL identifier)
 * @param maxSessions the most browser sessions held at once ({@code webchat.maxSessions}, default 20000); a page that
 *     asks for a new session beyond it is refused with {@code SERVER_BUSY} and tries again later, while pages that
 *     resume a session they hold are always let in
 * @param maxThreads the most threads of the server's pool, which reads the sockets and handles their frames
 *     ({@code webchat.maxThreads}, default 8 per processor and at least 16; at least 8)
 * @param maxFrameBytes the largest client frame accepted ({@code webchat.maxFrameBytes}, default 32768)
 * @param maxMessagesPerSecond the frames a connection may send per second, with an equal burst
 *     ({@code webchat.maxMessagesPerSecond}, default 10)
 * @param transcriptSize the messages kept per chat for a reloaded page ({@code webchat.transcriptSize}, default 200)
 * @param maxTextLength the longest message text, in characters ({@code webchat.maxTextLength}, default 4000)
 * @param stopTimeout how long a graceful shutdown waits for chats to end ({@code webchat.stopTimeout}, default 10s)
 * @param simulator the vendor simulator to run inside the web chat's process, for trying a desk without the vendor
 *     ({@code webchat.simulator}: {@code none}, the default, or a simulator's name such as {@code genesys}, found
 *     through {@link io.deskbridge.core.VendorSimulatorProvider})
 * @param metrics whether {@code /metrics} serves the Prometheus metrics ({@code webchat.metrics}, default
 *     {@code true}; {@code false} answers 404 there and registers no meter)
 * @param limits what one client (address, user, socket) may cost the server: new sessions per minute, transcript
 *     bytes, inbound bytes, dropped frames, the time to say hello, sockets per address, who may frame the page
 *     (see {@link ClientLimits})
 * @param instanceId this process's name among the web chat processes sharing a session database
 *     ({@code webchat.instanceId}, only with {@code jdbc}; default: the host name and a random suffix, new at each
 *     start); it names the owner of each session's lease
 * @param leaseDuration how long a process's ownership of a session lasts unless renewed, which it does every third
 *     of it ({@code webchat.leaseDuration}, only with {@code jdbc}, default 15s, at least 300ms): how long a process
 *     cut off from the database may go on serving its chats (see docs/deploying.md)
 * @param maxUploadBytes the largest file a page may upload ({@code webchat.maxUploadBytes}, default 10485760; 0
 *     turns uploads off); the desk's own rules may allow less
 */
public record WebChatSettings(
        String host,
        int port,
        AuthMode auth,
        Optional<Secret> authSecret,
        Optional<String> authPublicKey,
        Optional<String> authAudience,
        List<String> allowedOrigins,
        Duration sessionIdleTimeout,
        StoreKind store,
        Optional<String> storeUrl,
        Optional<String> storeUser,
        Optional<Secret> storePassword,
        String storeTable,
        int maxSessions,
        int maxThreads,
        int maxFrameBytes,
        int maxMessagesPerSecond,
        int transcriptSize,
        int maxTextLength,
        Duration stopTimeout,
        Optional<String> simulator,
        boolean metrics,
        ClientLimits limits,
        String instanceId,
        Duration leaseDuration,
        int maxUploadBytes) {

    /** The key prefix of the web chat's settings. */
    public static final String PREFIX = "webchat";

    /** How users prove who they are. */
    public enum AuthMode {
        /** Anyone who can load the page may chat; the user's name in {@code hello} is not verified. */
        NONE,
        /** {@code hello.authToken} must be a JWT signed by the host site. */
        JWT
    }

    /** Where browser sessions are kept. */
    public enum StoreKind {
        /** In this process's memory: sessions do not survive a restart. */
        MEMORY,
        /**
         * A database through JDBC ({@link io.deskbridge.webchat.session.JdbcSessionStore}): sessions survive a
         * restart, and a shutdown leaves chats open at the desk for the next process.
         */
        JDBC
    }

    public WebChatSettings {
        requireNonNull(host, "host is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(authSecret, "authSecret is null");
        requireNonNull(authPublicKey, "authPublicKey is null");
        requireNonNull(authAudience, "authAudience is null");
        allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins is null"));
        requireNonNull(sessionIdleTimeout, "sessionIdleTimeout is null");
        requireNonNull(store, "store is null");
        requireNonNull(storeUrl, "storeUrl is null");
        requireNonNull(storeUser, "storeUser is null");
        requireNonNull(storePassword, "storePassword is null");
        requireNonNull(storeTable, "storeTable is null");
        if (store == StoreKind.JDBC && storeUrl.isEmpty()) {
            throw new IllegalArgumentException("a jdbc store needs its url");
        }
        requireNonNull(stopTimeout, "stopTimeout is null");
        requireNonNull(simulator, "simulator is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(instanceId, "instanceId is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (maxThreads < 8) {
            throw new IllegalArgumentException("maxThreads must be at least 8: " + maxThreads);
        }
        if (maxUploadBytes < 0) {
            throw new IllegalArgumentException("maxUploadBytes must not be negative: " + maxUploadBytes);
        }
        if (maxSessions < 1 || maxFrameBytes < 1024 || maxMessagesPerSecond < 1 || transcriptSize < 1 || maxTextLength < 1) {
            throw new IllegalArgumentException("limits must be positive (maxFrameBytes at least 1024)");
        }
    }

    /** The defaults: {@code 127.0.0.1:8080}, no authentication, memory store. */
    public static WebChatSettings defaults() {
        return read(Configuration.empty());
    }

    /**
     * Reads {@code webchat.*} from {@code configuration}.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} naming every missing, malformed
     *     or unknown {@code webchat.*} key at once
     */
    public static WebChatSettings read(Configuration configuration) {
        Settings s = configuration.settings(PREFIX);
        String host = s.string("host", "127.0.0.1");
        int port = s.integer("port", 8080, 0, 65535);
        AuthMode auth = AuthMode.valueOf(s.choice("auth", "none", "none", "jwt").toUpperCase(Locale.ROOT));
        Optional<Secret> secret = s.secret("auth.secret");
        Optional<String> publicKey = s.optionalString("auth.publicKey");
        Optional<String> audience = s.optionalString("auth.audience");
        List<String> origins = s.list("allowedOrigins");
        Duration idle = s.duration("sessionIdleTimeout", Duration.ofMinutes(2), Duration.ofMillis(10));
        StoreKind store = StoreKind.valueOf(s.choice("store", "memory", "memory", "jdbc").toUpperCase(Locale.ROOT));
        Optional<String> storeUrl = s.optionalString("store.url");
        Optional<String> storeUser = s.optionalString("store.user");
        Optional<Secret> storePassword = s.secret("store.password");
        String storeTable = s.string("store.table", JdbcSessionStore.DEFAULT_TABLE);
        int maxSessions = s.integer("maxSessions", 20_000, 1, 10_000_000);
        int maxThreads = s.integer("maxThreads", defaultMaxThreads(), 8, 10_000);
        int maxFrameBytes = s.integer("maxFrameBytes", 32 * 1024, 1024, 1024 * 1024);
        int rate = s.integer("maxMessagesPerSecond", 10, 1, 10_000);
        int transcript = s.integer("transcriptSize", 200, 1, 100_000);
        int maxText = s.integer("maxTextLength", 4000, 1, 100_000);
        Duration stopTimeout = s.duration("stopTimeout", Duration.ofSeconds(10));
        int maxUploadBytes = s.integer("maxUploadBytes", 10 * 1024 * 1024, 0, 1024 * 1024 * 1024);
        String simulatorName = s.string("simulator", "none").trim().toLowerCase(Locale.ROOT);
        Optional<String> simulator = simulatorName.equals("none") ? Optional.empty() : Optional.of(simulatorName);
        boolean metrics = s.bool("metrics", true);
        if (simulator.isPresent() && !simulatorName.matches("[a-z][a-z0-9-]{0,39}")) {
            s.problem(s.key("simulator") + " must be none or a simulator's name such as genesys, not '" + simulatorName + "'");
        }

        if (auth == AuthMode.JWT) {
            if (secret.isEmpty() && publicKey.isEmpty()) {
                s.problem(s.key("auth") + "=jwt needs " + s.key("auth.secret") + " (HS256) or " + s.key("auth.publicKey")
                        + " (RS256, PEM)");
            }
            if (secret.isPresent() && publicKey.isPresent()) {
                s.problem("set only one of " + s.key("auth.secret") + " and " + s.key("auth.publicKey"));
            }
            if (secret.isPresent() && secret.get().reveal().getBytes(StandardCharsets.UTF_8).length < 32) {
                s.problem(s.key("auth.secret") + " must be at least 32 bytes long for HS256");
            }
            if (audience.isEmpty()) {
                s.problem(s.key("auth") + "=jwt needs " + s.key("auth.audience") + " (the audience user tokens are issued for)");
            }
        } else if (secret.isPresent() || publicKey.isPresent()) {
            s.problem(s.key("auth.secret") + " and " + s.key("auth.publicKey") + " are only used with " + s.key("auth") + "=jwt");
        }
        if (store == StoreKind.JDBC) {
            if (storeUrl.isEmpty()) {
                s.problem(s.key("store") + "=jdbc needs " + s.key("store.url") + " (a JDBC URL such as "
                        + "jdbc:postgresql://db.example.com:5432/webchat)");
            } else if (!storeUrl.get().startsWith("jdbc:")) {
                s.problem(s.key("store.url") + " must be a JDBC URL starting with jdbc:, such as "
                        + "jdbc:postgresql://db.example.com:5432/webchat");
            }
            if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
                s.problem(s.key("sessionIdleTimeout") + " must be at least 1s with " + s.key("store") + "=jdbc (stored sessions"
                        + " with a tab open are marked active every third of it), not " + idle.toMillis() + "ms");
            }
            if (!JdbcSessionStore.isValidTable(storeTable)) {
                s.problem(s.key("store.table") + " must be a plain SQL identifier (letters, digits and _, not starting with a"
                        + " digit, at most 48 characters), not '" + storeTable + "'");
            }
        } else {
            for (String key : List.of("store.url", "store.user", "store.password", "store.table")) {
                if (s.optionalString(key).isPresent()) {
                    s.problem(s.key(key) + " is only used with " + s.key("store") + "=jdbc");
                }
            }
        }
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                s.problem(s.key("allowedOrigins") + " entries must be * or an origin such as https://shop.example.com"
                        + " (scheme and host, no path), not '" + origin + "'");
            }
        }
        String instanceId = s.string("instanceId", defaultInstanceId());
        Duration leaseDuration = s.duration("leaseDuration", Duration.ofSeconds(15), Duration.ofMillis(300));
        if (!io.deskbridge.webchat.session.ChatLeases.isValidInstanceId(instanceId)) {
            s.problem(s.key("instanceId") + " must be 1 to 100 letters, digits, '.', '_', ':' or '-', not '" + instanceId + "'");
        }
        ClientLimits limits = ClientLimits.read(s, idle);
        s.validate();
        return new WebChatSettings(host, port, auth, secret, publicKey, audience, origins, idle, store, storeUrl, storeUser,
                storePassword, storeTable, maxSessions, maxThreads, maxFrameBytes, rate, transcript, maxText, stopTimeout, simulator,
                metrics, limits, instanceId, leaseDuration, maxUploadBytes);
    }

    /**
     * A name for this process among several: its host name (from {@code HOSTNAME}, as containers set it; never a DNS
     * lookup, which can hang) as far as it is a valid id, and a random suffix.
     */
    static String defaultInstanceId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("webchat");
        host = host.replaceAll("[^A-Za-z0-9._:-]", "-");
        host = host.isEmpty() ? "webchat" : host.substring(0, Math.min(host.length(), 80));
        return host + "-" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL, 36);
    }

    /** The default of {@code webchat.maxThreads}: 8 per processor, at least 16. */
    public static int defaultMaxThreads() {
        return Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
    }

    /** A copy listening on {@code newPort} (0 for a free port). */
    public WebChatSettings withPort(int newPort) {
        return new WebChatSettings(host, newPort, auth, authSecret, authPublicKey, authAudience, allowedOrigins,
                sessionIdleTimeout, store, storeUrl, storeUser, storePassword, storeTable, maxSessions, maxThreads, maxFrameBytes,
                        maxMessagesPerSecond, transcriptSize, maxTextLength, stopTimeout,
                simulator, metrics, limits, instanceId, leaseDuration, maxUploadBytes);
    }
}

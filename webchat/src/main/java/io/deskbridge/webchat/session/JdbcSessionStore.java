package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deskbridge.core.Secret;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in a database through JDBC ({@code webchat.store=jdbc}): they survive a restart of the process, so a
 * shutdown leaves chats open at the desk and the next process resumes them when their pages come back.
 *
 * <p><b>Schema.</b> One table (default {@value #DEFAULT_TABLE}, {@code webchat.store.table}), created at start when
 * it is absent, in SQL that PostgreSQL and H2 both accept:
 *
 * <pre>{@code
 * CREATE TABLE IF NOT EXISTS deskbridge_webchat_sessions (
 *     token_hash  VARCHAR(64) PRIMARY KEY,  -- SHA-256 of the resume token, base64url; never the token itself
 *     session_id  VARCHAR(64) NOT NULL,     -- the session's id in the logs
 *     last_active BIGINT NOT NULL,          -- epoch milliseconds: when a tab was last connected
 *     record      TEXT NOT NULL)            -- the SessionRecord as JSON, with "version": 1
 * CREATE INDEX IF NOT EXISTS deskbridge_webchat_sessions_last_active ON deskbridge_webchat_sessions (last_active)
 * -- the lease of the process that owns the session (ChatLeases); added to a table of an earlier version, whose
 * -- rows then name no owner and are taken over by the first process a page comes back to
 * ALTER TABLE deskbridge_webchat_sessions ADD COLUMN IF NOT EXISTS owner VARCHAR(100)
 * ALTER TABLE deskbridge_webchat_sessions ADD COLUMN IF NOT EXISTS lease_until BIGINT DEFAULT 0 NOT NULL
 * ALTER TABLE deskbridge_webchat_sessions ADD COLUMN IF NOT EXISTS fence BIGINT DEFAULT 0 NOT NULL
 * CREATE INDEX IF NOT EXISTS deskbridge_webchat_sessions_owner ON deskbridge_webchat_sessions (owner)
 * }</pre>
 *
 * The JSON names its format {@code version}; a row this version cannot read (another version, or damaged) is
 * logged and treated as absent: the page then starts a new session, and the row is purged with the idle ones.
 *
 * <p><b>Write-behind.</b> {@link #save} and {@link #delete} only record the newest intent per session in memory
 * and return: sessions call them from their executors and must not wait for a database. One writer thread per
 * store (never one per chat) writes what is pending, about {@code flushDelay} (50 ms) after a change, in batches of
 * one transaction each; a session changed ten times before a write is written once, with its newest record.
 * {@link #find} sees pending changes before the table. When the database fails, the pending changes are kept and
 * retried with a backoff doubling up to 5 s, logged once per outage; they are written when it is back.
 * {@link #close()} writes what is pending (waiting at most {@code closeTimeout}), then closes the pool. A crash of
 * the process (not a shutdown) loses what is not written yet: normally the changes of the last {@code flushDelay},
 * but all those kept while the database was down. A change the database refuses for its data (SQL state class 22
 * or 23) is written alone, then dropped and logged, so that it cannot hold back the others.
 *
 * <p><b>Upsert.</b> Written portably, without a vendor's {@code MERGE} or {@code ON CONFLICT}: in one transaction,
 * a batch of {@code UPDATE ... WHERE token_hash = ?}, then a batch of {@code INSERT} for the rows the update did not
 * find. Two processes sharing a table may race to insert the same new row; the duplicate-key failure rolls the
 * transaction back and it is retried once (the retry's update then finds the row).
 *
 * <p><b>Several processes.</b> Opened with {@link ChatLeases.Options leases}, as the web chat server always does, the
 * store lets any number of processes share the table: every save and delete is fenced by the lease this process
 * holds on the session ({@link ChatLeases}); a session it does not hold is not written, and a write that finds the
 * session taken over is dropped and reported through {@link ChatLeases#onLost}. Without leases (one process, as
 * {@link #open(String, Optional, Optional, Options, Clock)} gives), writes are not fenced.
 *
 * <p><b>Purge.</b> A session no process holds any more (its process stopped and its page never came back) would
 * stay forever: the writer deletes rows whose {@code last_active} is older than {@code webchat.sessionIdleTimeout},
 * periodically. Live sessions with an open tab are {@linkplain #touch touched} by their process, so they are never
 * purged; nothing is purged while the database is failing, nor a session with a change not written yet.
 *
 * <p><b>Connections</b> come from a HikariCP pool of at most 4 (the writer, which also renews leases, and the
 * occasional {@link #find} of a returning page, or with leases its {@link ChatLeases#claim} or
 * {@link ChatLeases#holds}). {@link #find} is the one store call that waits for the database: only a page presenting
 * a token this process does not hold live needs it. When the database is down it fails after the pool's 5 s connection timeout
 * (a query has 5 s more), and for 2 s after a failure the next lookups fail at once; the caller then asks the page
 * to try again later. Thread-safe.
 */
public final class JdbcSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    /** The table's name unless {@code webchat.store.table} sets another. */
    public static final String DEFAULT_TABLE = "deskbridge_webchat_sessions";

    /** The version of the JSON format this class writes and reads. */
    static final int FORMAT_VERSION = 1;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
    private static final int BATCH_SIZE = 500;
    private static final int FIND_TIMEOUT_SECONDS = 5;
    private static final Duration LOOKUP_FAST_FAIL = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CLOSING_BACKOFF = Duration.ofMillis(100);

    /**
     * How the store behaves.
     *
     * @param table the table's name, a plain SQL identifier (letters, digits, {@code _}; at most 48)
     * @param idleTimeout rows not active for this long are purged ({@code webchat.sessionIdleTimeout})
     * @param flushDelay how long after a change the writer writes it (changes in between are written together)
     * @param purgeInterval how often idle rows are purged
     * @param closeTimeout how long {@link #close()} waits for pending changes to be written
     */
    public record Options(String table, Duration idleTimeout, Duration flushDelay, Duration purgeInterval, Duration closeTimeout) {
        public Options {
            requireNonNull(table, "table is null");
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(flushDelay, "flushDelay is null");
            requireNonNull(purgeInterval, "purgeInterval is null");
            requireNonNull(closeTimeout, "closeTimeout is null");
            if (!isValidTable(table)) {
                throw new IllegalArgumentException("table must be a plain SQL identifier: " + table);
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero() || flushDelay.isNegative() || purgeInterval.isNegative()
                    || purgeInterval.isZero() || closeTimeout.isNegative()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }

        /** The defaults for {@code table} and {@code idleTimeout}: write 50 ms after a change, purge every quarter of the timeout (1 s to 1 min),
                5 s to close. */
        public static Options of(String table, Duration idleTimeout) {
            Duration purge = idleTimeout.dividedBy(4);
            purge = purge.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                    : purge.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : purge;
            return new Options(table, idleTimeout, Duration.ofMillis(50), purge, Duration.ofSeconds(5));
        }
    }

    /** Whether {@code name} is a table name this store accepts: a plain, unquoted SQL identifier. */
    public static boolean isValidTable(String name) {
        return IDENTIFIER.matcher(name).matches();
    }

    private final DataSource dataSource;
    private final Optional<HikariDataSource> ownedPool;
    private final Options options;
    private final Clock clock;
    private final ObjectMapper json = newObjectMapper();
    private final ScheduledExecutorService writer;
    private final ScheduledFuture<?> purger;
    private final Optional<ChatLeases> leases;
    private final Optional<ScheduledFuture<?>> renewer;
    private final ConcurrentMap<String, Intent> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong refusedAfterClose = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    private final AtomicLong droppedChanges = new AtomicLong();
    private final Object flushed = new Object();
    private final String selectSql;
    private final String updateSql;
    private final String insertSql;
    private final String deleteSql;
    private final String touchSql;
    private final String idleSql;
    private final String purgeSql;
    private volatile State state = State.OPEN;
    /** When a lookup last failed ({@link System#nanoTime()}), 0 after one succeeded. */
    private volatile long lookupFailedAt;

    // Confined to the writer thread.
    private int failures;
    private boolean outage;
    private ScheduledFuture<?> retry;

    private enum State {
        OPEN, CLOSING, CLOSED
    }

    /** The newest change of one session that is not written yet. */
    private sealed interface Intent permits Save, Delete, Touch {}

    /** A save; {@code fence} is the lease it was made under (0 without leases). */
    private record Save(SessionRecord record, long fence) implements Intent {}

    private record Delete(long fence) implements Intent {}

    private record Touch(Instant at) implements Intent {}

    /** A record to save and its JSON. */
    private record Row(SessionRecord record, String json, long fence) {
        /** Sets the parameters of {@code UPDATE ... SET session_id, last_active, record WHERE token_hash [AND fence]}. */
        void bindUpdate(PreparedStatement update, boolean fenced) throws SQLException {
            update.setString(1, record.sessionId());
            update.setLong(2, record.lastActive().toEpochMilli());
            update.setString(3, json);
            update.setString(4, record.tokenHash());
            if (fenced) {
                update.setLong(5, fence);
            }
        }
    }

    private JdbcSessionStore(DataSource dataSource, Optional<HikariDataSource> ownedPool, Options options,
            Optional<ChatLeases.Options> leaseOptions, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ownedPool = ownedPool;
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
        String t = options.table();
        this.leases = leaseOptions.map(o -> new ChatLeases(dataSource, t, o, clock, this::read));
        String fenced = leases.isPresent() ? " AND fence = ?" : "";
        this.selectSql = "SELECT session_id, record FROM " + t + " WHERE token_hash = ?";
        this.updateSql = "UPDATE " + t + " SET session_id = ?, last_active = ?, record = ? WHERE token_hash = ?" + fenced;
        this.insertSql = "INSERT INTO " + t + " (token_hash, session_id, last_active, record, owner, lease_until, fence)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        this.deleteSql = "DELETE FROM " + t + " WHERE token_hash = ?" + fenced;
        this.touchSql = "UPDATE " + t + " SET last_active = ? WHERE token_hash = ? AND last_active < ?";
        // A leased row belongs to a live process (or one that died less than a lease ago): never purged.
        this.idleSql = "SELECT token_hash FROM " + t + " WHERE last_active < ? AND lease_until < ?";
        this.purgeSql = "DELETE FROM " + t + " WHERE token_hash = ? AND last_active < ? AND lease_until < ?";
        createSchema();
        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "webchat-session-store");
            thread.setDaemon(true);
            return thread;
        });
        long purgeMillis = options.purgeInterval().toMillis();
        this.purger = writer.scheduleWithFixedDelay(this::purgeQuietly, purgeMillis, purgeMillis, TimeUnit.MILLISECONDS);
        this.renewer = leases.map(l -> {
            long renewMillis = l.options().renewInterval().toMillis();
            return writer.scheduleWithFixedDelay(l::renew, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Opens a store over a HikariCP pool of {@code url}, creating the table if it is absent. The store owns the pool
     * and closes it in {@link #close()}.
     *
     * @param url the JDBC URL ({@code webchat.store.url}); its driver must be on the class path
     * @param user the database user ({@code webchat.store.user}), unless the URL or the driver supplies it
     * @param password the user's password ({@code webchat.store.password}); never printed
     * @throws ServiceDeskException of kind {@code CONFIGURATION} naming {@code webchat.store.url} when the driver is
     *     missing, the database cannot be reached or the table cannot be created
     */
    public static JdbcSessionStore open(String url, Optional<String> user, Optional<Secret> password, Options options, Clock clock) {
        return open(url, user, password, options, Optional.empty(), clock);
    }

    /**
     * Opens a store as {@link #open(String, Optional, Optional, Options, Clock)} does; with {@code leases}, several
     * processes may share its table (see the class documentation).
     */
    public static JdbcSessionStore open(String url, Optional<String> user, Optional<Secret> password, Options options,
            Optional<ChatLeases.Options> leases, Clock clock) {
        requireNonNull(url, "url is null");
        requireNonNull(leases, "leases is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
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
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unusable(url, password, e);
        }
        try {
            return new JdbcSessionStore(pool, Optional.of(pool), options, leases, clock);
        } catch (ServiceDeskException e) {
            pool.close();
            throw e;
        } catch (RuntimeException e) {
            pool.close();
            throw unusable(url, password, e);
        }
    }

    /**
     * Opens a store over connections the caller owns (and closes after the store), creating the table if it is
     * absent.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} if the table cannot be created
     */
    public static JdbcSessionStore using(DataSource dataSource, Options options, Clock clock) {
        return new JdbcSessionStore(dataSource, Optional.empty(), options, Optional.empty(), clock);
    }

    /** As {@link #using(DataSource, Options, Clock)}, with leases: several processes may share the table. */
    public static JdbcSessionStore using(DataSource dataSource, Options options, ChatLeases.Options leases, Clock clock) {
        return new JdbcSessionStore(dataSource, Optional.empty(), options, Optional.of(leases), clock);
    }

    private static ServiceDeskException unusable(String url, Optional<Secret> password, RuntimeException e) {
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
                || cause instanceof java.sql.SQLException sql && "08001".equals(sql.getSQLState()) && reason.contains("No suitable driver");
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

    private void createSchema() {
        String t = options.table();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + t + " ("
                    + "token_hash VARCHAR(64) PRIMARY KEY, "
                    + "session_id VARCHAR(64) NOT NULL, "
                    + "last_active BIGINT NOT NULL, "
                    + "record TEXT NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + t + "_last_active ON " + t + " (last_active)");
            // The lease columns, added to a table an earlier version created (its rows stay readable, owned by none).
            statement.execute("ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS owner VARCHAR(100)");
            statement.execute("ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS lease_until BIGINT DEFAULT 0 NOT NULL");
            statement.execute("ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS fence BIGINT DEFAULT 0 NOT NULL");
            statement.execute("CREATE INDEX IF NOT EXISTS " + t + "_owner ON " + t + " (owner)");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "webchat.store.table: the session table " + t
                    + " could not be created (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public void save(SessionRecord record) {
        requireNonNull(record, "record is null");
        if (accepting()) {
            OptionalLong fence = fenceOf(record.tokenHash());
            if (fence.isPresent()) {
                pending.put(record.tokenHash(), new Save(record, fence.getAsLong()));
                requestFlush();
            }
        }
    }

    @Override
    public void delete(String tokenHash) {
        requireNonNull(tokenHash, "tokenHash is null");
        if (accepting()) {
            OptionalLong fence = fenceOf(tokenHash);
            if (fence.isPresent()) {
                pending.put(tokenHash, new Delete(fence.getAsLong()));
                requestFlush();
            }
        }
    }

    /** The fence to write {@code tokenHash} with: 0 without leases, empty when another process owns it. */
    private OptionalLong fenceOf(String tokenHash) {
        if (leases.isEmpty()) {
            return OptionalLong.of(0);
        }
        OptionalLong fence = leases.get().fenceOf(tokenHash);
        if (fence.isEmpty()) {
            LOG.debug("a change of a session this process does not own is not stored");
        }
        return fence;
    }

    @Override
    public Optional<ChatLeases> leases() {
        return leases;
    }

    /**
     * Writes what is pending (waiting at most {@code closeTimeout}), then gives up every lease this process holds, so
     * that the processes its pages go to take its sessions over with their last state. For a graceful shutdown; the
     * store stays open. Does nothing more than the write without leases.
     */
    @Override
    public void handOverAll() {
        awaitWritten(System.nanoTime() + options.closeTimeout().toNanos());
        leases.ifPresent(l -> {
            try {
                writer.submit(l::releaseAll).get(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                LOG.warn("leases could not be released ({}); they lapse after {}", e.toString(), l.options().duration());
            }
        });
    }

    /** Requests a write of what is pending and waits until nothing is, or {@code deadline} ({@link System#nanoTime()}). */
    private void awaitWritten(long deadline) {
        try {
            writer.execute(this::flush);
        } catch (RejectedExecutionException e) {
            return; // the writer is gone already: nothing can be written
        }
        synchronized (flushed) {
            while (!pending.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(flushed, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    @Override
    public void touch(Collection<String> tokenHashes, Instant at) {
        requireNonNull(tokenHashes, "tokenHashes is null");
        requireNonNull(at, "at is null");
        if (tokenHashes.isEmpty() || state == State.CLOSED) {
            return;
        }
        for (String hash : tokenHashes) {
            pending.compute(hash, (key, existing) -> {
                if (existing instanceof Save save) {
                    SessionRecord r = save.record();
                    return r.lastActive().isBefore(at) ? new Save(new SessionRecord(r.tokenHash(), r.sessionId(), r.identity(), r.chat(), at),
                            save.fence()) : save;
                }
                return existing instanceof Delete ? existing : new Touch(at);
            });
        }
        requestFlush();
    }

    private boolean accepting() {
        if (state == State.CLOSED) {
            // Chats may still report while the application shuts down after the store: say it once, not per change.
            if (refusedAfterClose.getAndIncrement() == 0) {
                LOG.warn("sessions changed after the session store was closed; those changes are not stored");
            }
            return false;
        }
        return true;
    }

    @Override
    public Optional<SessionRecord> find(String tokenHash) {
        requireNonNull(tokenHash, "tokenHash is null");
        Intent intent = pending.get(tokenHash);
        if (intent instanceof Save save) {
            return Optional.of(save.record());
        }
        if (intent instanceof Delete) {
            return Optional.empty();
        }
        long failedAt = lookupFailedAt;
        if (failedAt != 0 && System.nanoTime() - failedAt < LOOKUP_FAST_FAIL.toNanos()) {
            // The database failed a lookup moments ago: say so at once rather than hold another page's thread for the
            // connection timeout. The page asks again later.
            throw new IllegalStateException("The session store could not be read (it failed less than "
                    + LOOKUP_FAST_FAIL.toSeconds() + " s ago)");
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(selectSql)) {
            select.setString(1, tokenHash);
            select.setQueryTimeout(FIND_TIMEOUT_SECONDS); // a hung database must not hold the page's thread for long
            Optional<SessionRecord> found;
            try (ResultSet row = select.executeQuery()) {
                found = row.next() ? read(tokenHash, row.getString(1), row.getString(2)) : Optional.empty();
            }
            lookupFailedAt = 0;
            return found;
        } catch (SQLException e) {
            lookupFailedAt = Math.max(1, System.nanoTime());
            throw new IllegalStateException("The session store could not be read (" + e.getMessage() + ")", e);
        }
    }

    /** How many sessions have changes not written to the database yet (for monitoring and tests). */
    public int pendingWrites() {
        return pending.size();
    }

    /** How many writes of pending changes failed (each is retried with a backoff), since the store opened. */
    public long failedWrites() {
        return failedFlushes.get();
    }

    /** How many session changes the database refused for their data and were dropped, since the store opened. */
    public long droppedWrites() {
        return droppedChanges.get();
    }

    /** Whether the database answers now: a connection from the pool that validates within two seconds. */
    @Override
    public boolean isReachable() {
        if (state != State.OPEN) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("the session database is not reachable: {}", e.toString());
            return false;
        }
    }

    /**
     * Deletes the rows of sessions not active for {@code idleTimeout}, now, on the writer thread; the writer also
     * does it every {@code purgeInterval}.
     *
     * @return how many rows were deleted
     */
    public int purgeIdleSessions() {
        try {
            return writer.submit(this::purge).get(options.closeTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while purging idle sessions", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The session store could not purge idle sessions (" + e.getCause().getMessage() + ")", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The session store did not purge idle sessions in time", e);
        }
    }

    /**
     * Writes what is pending, waiting at most {@code closeTimeout} (retrying while the database fails), then stops
     * the writer and closes the pool the store opened. What could not be written is logged as lost. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
        }
        purger.cancel(false);
        renewer.ifPresent(r -> r.cancel(false));
        awaitWritten(System.nanoTime() + options.closeTimeout().toNanos());
        state = State.CLOSED;
        writer.shutdownNow();
        try {
            writer.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            LOG.error("the session store closed with {} session change(s) not written: the database was unavailable for {}",
                    pending.size(), options.closeTimeout());
        }
        ownedPool.ifPresent(HikariDataSource::close);
        LOG.info("session store closed");
    }

    private void requestFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::flush, options.flushDelay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                flushScheduled.set(false);
            }
        }
    }

    /** Writes what is pending, in transactions of up to {@value #BATCH_SIZE} sessions. On the writer thread. */
    private void flush() {
        int written = 0;
        try {
            while (!pending.isEmpty()) {
                Map<String, Intent> batch = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, Intent>> it = pending.entrySet().iterator(); it.hasNext() && batch.size() < BATCH_SIZE; ) {
                    Map.Entry<String, Intent> entry = it.next();
                    batch.put(entry.getKey(), entry.getValue());
                }
                try {
                    writeRetryingDuplicate(batch);
                } catch (SQLException e) {
                    if (!isRowError(e)) {
                        throw e;
                    }
                    writeOneByOne(batch); // one session's data the database refuses must not hold back the others
                }
                // Only what was written leaves: a newer intent saved meanwhile stays pending.
                batch.forEach(pending::remove);
                written += batch.size();
                if (state == State.OPEN) {
                    break; // later changes wait for their own flush delay, so they are batched too
                }
            }
            if (outage) {
                outage = false;
                LOG.info("the session database is back after {} failed attempt(s); {} pending session change(s) written", failures, written);
            }
            failures = 0;
            // Changes that came during the write found a flush scheduled (this one) and did not schedule their own.
            flushScheduled.set(false);
            if (!pending.isEmpty()) {
                requestFlush();
            }
        } catch (SQLException | RuntimeException e) {
            failures++;
            failedFlushes.incrementAndGet();
            if (!outage) {
                outage = true;
                LOG.warn("the session database failed ({}); {} session change(s) are kept and retried until it is back",
                        e.toString(), pending.size());
            } else {
                LOG.debug("the session database still fails: {}", e.toString());
            }
            retryLater();
        } finally {
            synchronized (flushed) {
                flushed.notifyAll();
            }
        }
    }

    private void retryLater() {
        Duration backoff;
        if (state != State.OPEN) {
            backoff = CLOSING_BACKOFF; // closing: retry soon, whatever backoff was scheduled before, until close() gives up
        } else {
            backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 10));
            backoff = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
        }
        if (retry != null) {
            retry.cancel(false); // one retry at a time
        }
        try {
            flushScheduled.set(true); // changes during the backoff wait for it
            retry = writer.schedule(this::flush, backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException rejected) {
            flushScheduled.set(false);
        }
    }

    private void writeRetryingDuplicate(Map<String, Intent> batch) throws SQLException {
        try {
            write(batch);
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            LOG.debug("another process inserted a session row at the same time; writing again");
            write(batch);
        }
    }

    /**
     * Writes each change of {@code batch} in a transaction of its own. A change the database refuses for its data
     * ({@link #isRowError}) is dropped and logged, so that it cannot block every later write; any other failure is
     * thrown, and the changes not written yet stay pending.
     */
    private void writeOneByOne(Map<String, Intent> batch) throws SQLException {
        for (Map.Entry<String, Intent> entry : batch.entrySet()) {
            try {
                writeRetryingDuplicate(Map.of(entry.getKey(), entry.getValue()));
            } catch (SQLException e) {
                if (!isRowError(e)) {
                    throw e;
                }
                LOG.error("a session change was refused by the database and is dropped (SQL state {}): {}", e.getSQLState(),
                        e.getMessage());
                droppedChanges.incrementAndGet();
            }
            pending.remove(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Whether the database refused the data of a change (SQL state class 22, data exception, or 23, integrity
     * constraint violation): writing it again fails again, unlike a lost connection or a timeout.
     */
    private static boolean isRowError(SQLException e) {
        return hasSqlState(e, state -> state.startsWith("22") || state.startsWith("23"));
    }

    private static boolean isDuplicateKey(SQLException e) {
        return hasSqlState(e, "23505"::equals); // unique violation, in PostgreSQL, H2 and the SQL standard
    }

    /** Whether {@code e}, an exception chained to it ({@code getNextException}) or its cause has a matching SQL state. */
    private static boolean hasSqlState(SQLException e, Predicate<String> matches) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null && matches.test(s.getSQLState())) {
                return true;
            }
        }
        return e.getCause() instanceof SQLException cause && cause != e && hasSqlState(cause, matches);
    }

    /** One transaction: the saves (update, then insert what was not there), deletes and touches of {@code batch}. */
    private void write(Map<String, Intent> batch) throws SQLException {
        List<Row> saves = new ArrayList<>();
        List<Map.Entry<String, Long>> deletes = new ArrayList<>();
        boolean fenced = leases.isPresent();
        List<Row> lost = new ArrayList<>();
        List<Map.Entry<String, Instant>> touches = new ArrayList<>();
        for (Map.Entry<String, Intent> entry : batch.entrySet()) {
            Intent intent = entry.getValue();
            if (intent instanceof Save save) {
                // A record that cannot be serialized is logged, written as nothing, and leaves the pending map with the batch.
                serialize(save.record()).ifPresent(text -> saves.add(new Row(save.record(), text, save.fence())));
            } else if (intent instanceof Delete delete) {
                deletes.add(Map.entry(entry.getKey(), delete.fence()));
            } else if (intent instanceof Touch touch) {
                touches.add(Map.entry(entry.getKey(), touch.at()));
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!saves.isEmpty()) {
                    List<Row> missing = new ArrayList<>();
                    try (PreparedStatement update = connection.prepareStatement(updateSql)) {
                        for (Row row : saves) {
                            row.bindUpdate(update, fenced);
                            update.addBatch();
                        }
                        int[] counts = update.executeBatch();
                        for (int i = 0; i < counts.length; i++) {
                            if (counts[i] == 0) {
                                missing.add(saves.get(i));
                            } else if (counts[i] == Statement.SUCCESS_NO_INFO) {
                                // the driver does not say whether the row was there: ask for this one alone
                                update.clearBatch();
                                saves.get(i).bindUpdate(update, fenced);
                                if (update.executeUpdate() == 0) {
                                    missing.add(saves.get(i));
                                }
                            }
                        }
                    }
                    if (fenced) {
                        // No row under this fence: a new session's first write inserts it; otherwise another process
                        // took the session over (or deleted it), and this write must not land.
                        for (Row row : List.copyOf(missing)) {
                            if (!leases.get().mayInsert(row.record().tokenHash(), row.fence())) {
                                missing.remove(row);
                                lost.add(row);
                            }
                        }
                    }
                    if (!missing.isEmpty()) {
                        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
                            for (Row row : missing) {
                                insert.setString(1, row.record().tokenHash());
                                insert.setString(2, row.record().sessionId());
                                insert.setLong(3, row.record().lastActive().toEpochMilli());
                                insert.setString(4, row.json());
                                if (fenced) {
                                    insert.setString(5, leases.get().instanceId());
                                    insert.setLong(6, clock.millis() + leases.get().options().duration().toMillis());
                                } else {
                                    insert.setNull(5, java.sql.Types.VARCHAR);
                                    insert.setLong(6, 0);
                                }
                                insert.setLong(7, row.fence());
                                insert.addBatch();
                            }
                            insert.executeBatch();
                        }
                    }
                }
                if (!deletes.isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
                        for (Map.Entry<String, Long> key : deletes) {
                            delete.setString(1, key.getKey());
                            if (fenced) {
                                delete.setLong(2, key.getValue());
                            }
                            delete.addBatch();
                        }
                        delete.executeBatch();
                    }
                }
                if (!touches.isEmpty()) {
                    try (PreparedStatement touch = connection.prepareStatement(touchSql)) {
                        for (Map.Entry<String, Instant> entry : touches) {
                            touch.setLong(1, entry.getValue().toEpochMilli());
                            touch.setString(2, entry.getKey());
                            touch.setLong(3, entry.getValue().toEpochMilli());
                            touch.addBatch();
                        }
                        touch.executeBatch();
                    }
                }
                connection.commit();
                if (fenced) {
                    ChatLeases l = leases.get();
                    saves.stream().filter(row -> !lost.contains(row)).forEach(row -> l.written(row.record().tokenHash(), row.fence()));
                    deletes.forEach(key -> l.deleted(key.getKey(), key.getValue()));
                    lost.forEach(row -> l.lost(row.record().tokenHash(), row.fence()));
                }
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /**
     * Deletes the rows idle longer than the idle timeout, except those of sessions with a change not written yet (a
     * touch of a live session kept during an outage is newer than its row). Nothing is purged while the database is
     * failing: the changes kept meanwhile are written first.
     */
    private int purge() throws SQLException {
        if (outage) {
            LOG.debug("purge skipped: {} session change(s) wait for the database", pending.size());
            return 0;
        }
        long cutoff = clock.instant().minus(options.idleTimeout()).toEpochMilli();
        int purged = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(idleSql);
                PreparedStatement delete = connection.prepareStatement(purgeSql)) {
            connection.setAutoCommit(true);
            long now = clock.millis();
            select.setLong(1, cutoff);
            select.setLong(2, now);
            List<String> idle = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    idle.add(rows.getString(1));
                }
            }
            for (String hash : idle) {
                if (pending.containsKey(hash)) {
                    continue;
                }
                delete.setString(1, hash);
                delete.setLong(2, cutoff); // a row touched since it was selected stays
                delete.setLong(3, now); // and so does one leased since
                purged += delete.executeUpdate();
            }
        }
        if (purged > 0) {
            LOG.info("purged {} stored session(s) idle for longer than {}", purged, options.idleTimeout());
        }
        return purged;
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (SQLException | RuntimeException e) {
            // an outage is reported by the writes; a missed purge is done at the next interval
            LOG.debug("purging idle sessions failed: {}", e.toString());
        }
    }

    // --- The JSON format (version 1) ---

    private Optional<String> serialize(SessionRecord record) {
        try {
            return Optional.of(json.writeValueAsString(StoredSession.of(record)));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("session={} could not be written as JSON ({}); this change is not stored", record.sessionId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    Optional<SessionRecord> read(String tokenHash, String sessionId, String text) {
        try {
            JsonNode tree = json.readTree(text);
            int version = tree == null ? 0 : tree.path("version").asInt(0);
            if (version != FORMAT_VERSION) {
                LOG.warn("session={} is stored in format version {}, which this version of the web chat does not read; it is treated as absent",
                        sessionId, tree == null ? "?" : tree.path("version").asText("none"));
                return Optional.empty();
            }
            return Optional.of(json.treeToValue(tree, StoredSession.class).toRecord(tokenHash));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("session={} has a stored record that cannot be read ({}); it is treated as absent", sessionId, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_ABSENT);
    }

    private static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    /** A stored session; the token hash is the row's key, not part of the JSON. */
    record StoredSession(int version, String sessionId, Optional<StoredIdentity> identity, Optional<StoredChat> chat, Instant lastActive) {
        StoredSession {
            requireNonNull(sessionId, "sessionId is missing");
            requireNonNull(lastActive, "lastActive is missing");
            identity = orEmpty(identity);
            chat = orEmpty(chat);
        }

        static StoredSession of(SessionRecord r) {
            return new StoredSession(FORMAT_VERSION, r.sessionId(), r.identity().map(StoredIdentity::of), r.chat().map(StoredChat::of), r.lastActive());
        }

        SessionRecord toRecord(String tokenHash) {
            return new SessionRecord(tokenHash, sessionId, identity.map(StoredIdentity::toIdentity), chat.map(StoredChat::toChat), lastActive);
        }
    }

    record StoredIdentity(String id, Optional<String> name, Optional<String> email) {
        StoredIdentity {
            name = orEmpty(name);
            email = orEmpty(email);
        }

        static StoredIdentity of(UserIdentity u) {
            return new StoredIdentity(u.id(), u.name(), u.email());
        }

        UserIdentity toIdentity() {
            return new UserIdentity(id, name, email);
        }
    }

    record StoredChat(String chatId, boolean over, Optional<Map<String, String>> deskState, Optional<StoredAgent> agent,
            List<StoredEntry> transcript) {
        StoredChat {
            requireNonNull(chatId, "chatId is missing");
            deskState = orEmpty(deskState);
            agent = orEmpty(agent);
            transcript = transcript == null ? List.of() : transcript;
        }

        static StoredChat of(SessionRecord.ChatRecord c) {
            return new StoredChat(c.chatId(), c.over(), c.deskState().map(PersistedState::values), c.agent().map(StoredAgent::of),
                    c.transcript().stream().map(StoredEntry::of).toList());
        }

        SessionRecord.ChatRecord toChat() {
            return new SessionRecord.ChatRecord(chatId, over, deskState.map(PersistedState::new), agent.map(StoredAgent::toProfile),
                    transcript.stream().map(StoredEntry::toEntry).toList());
        }
    }

    record StoredAgent(String id, String nickname, Optional<String> avatarUrl) {
        StoredAgent {
            avatarUrl = orEmpty(avatarUrl);
        }

        static StoredAgent of(AgentProfile a) {
            return new StoredAgent(a.id(), a.nickname(), a.avatarUrl().map(URI::toString));
        }

        AgentProfile toProfile() {
            return new AgentProfile(id, nickname, avatarUrl.map(URI::create));
        }
    }

    record StoredEntry(TranscriptEntry.From from, String id, String text, Optional<String> agentId, Optional<String> agentName,
            Optional<TranscriptEntry.Delivery> delivery, Instant at) {
        StoredEntry {
            agentId = orEmpty(agentId);
            agentName = orEmpty(agentName);
            delivery = orEmpty(delivery);
        }

        static StoredEntry of(TranscriptEntry e) {
            return new StoredEntry(e.from(), e.id(), e.text(), e.agentId(), e.agentName(), e.delivery(), e.at());
        }

        TranscriptEntry toEntry() {
            return new TranscriptEntry(from, id, text, agentId, agentName, delivery, at);
        }
    }
}

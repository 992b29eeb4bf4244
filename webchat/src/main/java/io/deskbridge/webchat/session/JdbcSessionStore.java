package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.deskbridge.core.Secret;
import io.deskbridge.spi.ServiceDeskException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p><b>Parts.</b> This class holds the store's life cycle, its one writer thread and the {@link SessionStore} calls;
 * each job is a class of its own: the table's schema and statements ({@link SessionTable}), the JSON of a row
 * ({@link SessionRecordJson}), the write-behind queue with its retries and failure counts ({@link WriteBehindQueue}),
 * the fenced transaction that writes one batch ({@link SessionBatchWriter}), the purge ({@link IdleSessionPurge}) and
 * the connection pool ({@link SessionStorePool}).
 */
public final class JdbcSessionStore implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    /** The table's name unless {@code webchat.store.table} sets another. */
    public static final String DEFAULT_TABLE = "deskbridge_webchat_sessions";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");
    private static final int FIND_TIMEOUT_SECONDS = 5;
    private static final Duration LOOKUP_FAST_FAIL = Duration.ofSeconds(2);

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
    private final SessionTable table;
    private final SessionRecordJson format = new SessionRecordJson();
    private final Optional<ChatLeases> leases;
    /** The one writer thread of the store (never one per chat): writes, purges, lease renewals and releases. */
    private final ScheduledExecutorService writer;
    private final WriteBehindQueue writes;
    private final IdleSessionPurge idlePurge;
    private final ScheduledFuture<?> purger;
    private final Optional<ScheduledFuture<?>> renewer;
    private final AtomicLong refusedAfterClose = new AtomicLong();
    private volatile State state = State.OPEN;
    /** When a lookup last failed ({@link System#nanoTime()}), 0 after one succeeded. */
    private volatile long lookupFailedAt;

    private enum State {
        OPEN, CLOSING, CLOSED
    }

    private JdbcSessionStore(DataSource dataSource, Optional<HikariDataSource> ownedPool, Options options,
            Optional<ChatLeases.Options> leaseOptions, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.ownedPool = ownedPool;
        this.options = requireNonNull(options, "options is null");
        requireNonNull(clock, "clock is null");
        this.leases = leaseOptions.map(o -> new ChatLeases(dataSource, options.table(), o, clock, format::read));
        this.table = new SessionTable(options.table(), leases.isPresent());
        table.create(dataSource);
        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "webchat-session-store");
            thread.setDaemon(true);
            return thread;
        });
        this.writes = new WriteBehindQueue(writer, options.flushDelay(), new SessionBatchWriter(dataSource, table, format, leases, clock));
        this.idlePurge = new IdleSessionPurge(dataSource, table, writes, options.idleTimeout(), clock);
        long purgeMillis = options.purgeInterval().toMillis();
        this.purger = writer.scheduleWithFixedDelay(idlePurge::purgeQuietly, purgeMillis, purgeMillis, TimeUnit.MILLISECONDS);
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
        HikariDataSource pool = SessionStorePool.open(url, user, password);
        try {
            return new JdbcSessionStore(pool, Optional.of(pool), options, leases, clock);
        } catch (ServiceDeskException e) {
            pool.close();
            throw e;
        } catch (RuntimeException e) {
            pool.close();
            throw SessionStorePool.unusable(url, password, e);
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
                writes.put(record.tokenHash(), new PendingChange.Save(record, fence.getAsLong()));
            }
        }
    }

    @Override
    public void delete(String tokenHash) {
        requireNonNull(tokenHash, "tokenHash is null");
        if (accepting()) {
            OptionalLong fence = fenceOf(tokenHash);
            if (fence.isPresent()) {
                writes.put(tokenHash, new PendingChange.Delete(fence.getAsLong()));
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
        writes.awaitWritten(System.nanoTime() + options.closeTimeout().toNanos());
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

    @Override
    public void touch(Collection<String> tokenHashes, Instant at) {
        requireNonNull(tokenHashes, "tokenHashes is null");
        requireNonNull(at, "at is null");
        if (tokenHashes.isEmpty() || state == State.CLOSED) {
            return;
        }
        writes.touch(tokenHashes, at);
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
        Optional<PendingChange> change = writes.pendingChange(tokenHash);
        if (change.isPresent() && change.get() instanceof PendingChange.Save save) {
            return Optional.of(save.record());
        }
        if (change.isPresent() && change.get() instanceof PendingChange.Delete) {
            return Optional.empty();
        }
        long failedAt = lookupFailedAt;
        if (failedAt != 0 && System.nanoTime() - failedAt < LOOKUP_FAST_FAIL.toNanos()) {
            // The database failed a lookup moments ago: say so at once rather than hold another page's thread for the
            // connection timeout. The page asks again later.
            throw new IllegalStateException("The session store could not be read (it failed less than "
                    + LOOKUP_FAST_FAIL.toSeconds() + " s ago)");
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(table.select())) {
            select.setString(1, tokenHash);
            select.setQueryTimeout(FIND_TIMEOUT_SECONDS); // a hung database must not hold the page's thread for long
            Optional<SessionRecord> found;
            try (ResultSet row = select.executeQuery()) {
                found = row.next() ? format.read(tokenHash, row.getString(1), row.getString(2)) : Optional.empty();
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
        return writes.size();
    }

    /** How many writes of pending changes failed (each is retried with a backoff), since the store opened. */
    public long failedWrites() {
        return writes.failedWrites();
    }

    /** How many session changes the database refused for their data and were dropped, since the store opened. */
    public long droppedWrites() {
        return writes.droppedWrites();
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
            return writer.submit(idlePurge::purge).get(options.closeTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
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
            writes.drain();
        }
        purger.cancel(false);
        renewer.ifPresent(r -> r.cancel(false));
        writes.awaitWritten(System.nanoTime() + options.closeTimeout().toNanos());
        state = State.CLOSED;
        writer.shutdownNow();
        try {
            writer.awaitTermination(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writes.size() > 0) {
            LOG.error("the session store closed with {} session change(s) not written: the database was unavailable for {}",
                    writes.size(), options.closeTimeout());
        }
        ownedPool.ifPresent(HikariDataSource::close);
        LOG.info("session store closed");
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which web chat process owns which session, when several share one session table ({@link JdbcSessionStore} with
 * leases). The owner is the process holding the session's chat at the desk (its vendor socket); ownership is a lease
 * in the session's row: {@code owner} (this process's instance id), {@code lease_until} (epoch milliseconds) and
 * {@code fence}, a counter that every take-over increments.
 *
 * <ul>
 *   <li>A new session is {@linkplain #adopt adopted} with fence 1; its first write inserts the row as owned.</li>
 *   <li>A page presenting a token this process does not hold live makes it {@linkplain #claim claim} the row: the
 *       fence goes up by one whoever held it, alive or not, so the former owner's next write fails.</li>
 *   <li>Every write of a session ({@link JdbcSessionStore}) is fenced: {@code ... WHERE token_hash = ? AND fence = ?}
 *       with the fence this process holds. A write that finds the fence moved is dropped and the session
 *       {@linkplain #onLost reported lost}, so a process that lost a chat can never overwrite it.</li>
 *   <li>Leases are renewed every third of their duration in one statement for all of a process's sessions; the
 *       renewal also reads back which rows still name this process and reports the others lost. This is how a
 *       former owner that writes nothing learns it lost a chat: within a third of the lease, without any message
 *       between processes (the database is the only channel instances share, and polling it needs no vendor
 *       feature such as PostgreSQL's {@code LISTEN}). A process that cannot renew for a whole lease reports every
 *       session lost: it lets go of its chats rather than keep vendor sockets another process may take.</li>
 *   <li>A graceful shutdown {@linkplain #releaseAll releases} every lease after the last writes.</li>
 * </ul>
 *
 * A lapsed lease is not needed for a take-over (a page that comes back takes its chat over at once): its expiry
 * bounds how long a process cut off from the database may go on serving a chat, and keeps leased rows from the purge.
 * Thread-safe; the database calls run on the store's writer thread, except {@link #claim} and {@link #holds}, which
 * a returning page's lookup makes.
 */
public final class ChatLeases {
    private static final Logger LOG = LoggerFactory.getLogger(ChatLeases.class);
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final int QUERY_TIMEOUT_SECONDS = 5;

    /**
     * How this process holds leases.
     *
     * @param instanceId this process's name in the {@code owner} column ({@code webchat.instanceId}): letters,
     *     digits, {@code . _ : -}, at most 100; unique among the processes sharing the table
     * @param duration how long a lease lasts unless renewed ({@code webchat.leaseDuration}); renewed every third of it
     */
    public record Options(String instanceId, Duration duration) {
        public Options {
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(duration, "duration is null");
            if (!isValidInstanceId(instanceId)) {
                throw new IllegalArgumentException("instanceId must be 1 to 100 letters, digits, '.', '_', ':' or '-': " + instanceId);
            }
            if (duration.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("the lease duration must be at least 300ms: " + duration);
            }
        }

        /** How often leases are renewed: a third of their duration. */
        public Duration renewInterval() {
            return duration.dividedBy(3);
        }
    }

    /** Whether {@code id} may name a web chat process in the lease column. */
    public static boolean isValidInstanceId(String id) {
        return INSTANCE_ID.matcher(id).matches();
    }

    /**
     * A session this process took over.
     *
     * @param fence the fence this process now writes with
     * @param record the session as its former owner last wrote it
     */
    public record Claimed(long fence, SessionRecord record) {
        public Claimed {
            requireNonNull(record, "record is null");
        }
    }

    /** A reader of a row's record: (token hash, session id, JSON) to the record, empty when unreadable. */
    interface RowReader {
        Optional<SessionRecord> read(String tokenHash, String sessionId, String json);
    }

    /** A lease this process holds: its fence, and whether its row was written under it (else it may be inserted). */
    private record Lease(long fence, boolean written) {}

    private final DataSource dataSource;
    private final Options options;
    private final Clock clock;
    private final RowReader reader;
    private final ConcurrentMap<String, Lease> held = new ConcurrentHashMap<>();
    private final String claimSelectSql;
    private final String claimUpdateSql;
    private final String holdsSql;
    private final String renewSql;
    private final String ownedSql;
    private final String releaseAllSql;
    private volatile Consumer<String> lostListener = hash -> { };
    /** When leases were last renewed ({@link System#nanoTime()}). */
    private volatile long renewedAt = System.nanoTime();

    ChatLeases(DataSource dataSource, String table, Options options, Clock clock, RowReader reader) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.claimSelectSql = "SELECT fence, session_id, record FROM " + table + " WHERE token_hash = ?";
        this.claimUpdateSql = "UPDATE " + table + " SET owner = ?, lease_until = ?, fence = ? WHERE token_hash = ? AND fence = ?";
        this.holdsSql = "SELECT owner, fence FROM " + table + " WHERE token_hash = ?";
        this.renewSql = "UPDATE " + table + " SET lease_until = ? WHERE owner = ?";
        this.ownedSql = "SELECT token_hash, fence FROM " + table + " WHERE owner = ?";
        this.releaseAllSql = "UPDATE " + table + " SET owner = NULL, lease_until = 0 WHERE owner = ?";
    }

    /** This process's instance id. */
    public String instanceId() {
        return options.instanceId();
    }

    /** The leases' options. */
    public Options options() {
        return options;
    }

    /**
     * Sets what is told the token hash of a session this process lost to another (a fenced write or a renewal found
     * the fence moved, or leases could not be renewed for a whole lease). Called on the store's writer thread; it
     * must not block.
     */
    public void onLost(Consumer<String> listener) {
        this.lostListener = requireNonNull(listener, "listener is null");
    }

    /** A session this process just created: it owns it with fence 1, and its first write inserts its row. */
    public void adopt(String tokenHash) {
        held.put(requireNonNull(tokenHash, "tokenHash is null"), new Lease(1, false));
    }

    /** How many sessions this process holds. */
    public int size() {
        return held.size();
    }

    /** Forgets a session this process let go of (it handed it over, or its row was deleted). */
    public void forget(String tokenHash) {
        held.remove(tokenHash);
    }

    /**
     * Takes a stored session over for this process: in one transaction, reads its row and, when {@code acceptable}
     * accepts the record (for example, it belongs to the user presenting the token), names this process the owner
     * with the next fence. The former owner, alive or not, can no longer write it.
     *
     * @return the new fence and the record, or empty when there is no such row or it is not acceptable
     * @throws IllegalStateException when the database cannot be read or written
     */
    public Optional<Claimed> claim(String tokenHash, Predicate<SessionRecord> acceptable) {
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(acceptable, "acceptable is null");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // Compare-and-set on the fence read: two processes claiming at once cannot both win with one fence.
                for (int attempt = 0; attempt < 3; attempt++) {
                    long fence;
                    Optional<SessionRecord> record;
                    try (PreparedStatement select = connection.prepareStatement(claimSelectSql)) {
                        select.setString(1, tokenHash);
                        select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                        try (ResultSet row = select.executeQuery()) {
                            if (!row.next()) {
                                connection.rollback();
                                return Optional.empty();
                            }
                            fence = row.getLong(1);
                            record = reader.read(tokenHash, row.getString(2), row.getString(3));
                        }
                    }
                    if (record.isEmpty() || !acceptable.test(record.get())) {
                        connection.rollback();
                        return Optional.empty();
                    }
                    long next = fence + 1;
                    held.put(tokenHash, new Lease(next, true)); // before the commit: a racing renewal must not call it lost
                    try (PreparedStatement update = connection.prepareStatement(claimUpdateSql)) {
                        update.setString(1, options.instanceId());
                        update.setLong(2, clock.millis() + options.duration().toMillis());
                        update.setLong(3, next);
                        update.setString(4, tokenHash);
                        update.setLong(5, fence);
                        update.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                        if (update.executeUpdate() == 1) {
                            connection.commit();
                            LOG.info("session={} taken over by {} (fence {})", record.get().sessionId(), options.instanceId(), next);
                            return Optional.of(new Claimed(next, record.get()));
                        }
                    }
                    held.remove(tokenHash, new Lease(next, true));
                    connection.rollback(); // another process claimed it meanwhile: read again
                }
                throw new IllegalStateException("The session is being taken over by other processes at the same time");
            } catch (SQLException | RuntimeException e) {
                held.remove(tokenHash);
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The session store could not take the session over (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Whether this process still owns a session it holds live, asked of the database: a page came back to it, or its
     * desk reported the chat ended, and another process may have taken the chat over meanwhile. A session whose row
     * is not written yet is held.
     *
     * @throws IllegalStateException when the database cannot be read
     */
    public boolean holds(String tokenHash) {
        Lease lease = held.get(tokenHash);
        if (lease == null) {
            return false;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(holdsSql)) {
            select.setString(1, tokenHash);
            select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return !lease.written();
                }
                boolean mine = options.instanceId().equals(row.getString(1)) && row.getLong(2) == lease.fence();
                if (!mine) {
                    lost(tokenHash, lease.fence());
                }
                return mine;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The session store could not be read (" + e.getMessage() + ")", e);
        }
    }

    /** The fence this process writes {@code tokenHash} with, if it holds it. */
    OptionalLong fenceOf(String tokenHash) {
        Lease lease = held.get(tokenHash);
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease.fence());
    }

    /** Whether a write under {@code fence} that found no row may insert it: only a new session's first write. */
    boolean mayInsert(String tokenHash, long fence) {
        Lease lease = held.get(tokenHash);
        return lease != null && lease.fence() == fence && fence == 1 && !lease.written();
    }

    /** A write under {@code fence} succeeded: a missing row later means another process deleted it. */
    void written(String tokenHash, long fence) {
        held.computeIfPresent(tokenHash, (hash, lease) -> lease.fence() == fence ? new Lease(fence, true) : lease);
    }

    /** The row was deleted under {@code fence}: nothing is held any more. */
    void deleted(String tokenHash, long fence) {
        held.computeIfPresent(tokenHash, (hash, lease) -> lease.fence() == fence ? null : lease);
    }

    /** A write under {@code fence} found the row's fence moved: the session belongs to another process now. */
    void lost(String tokenHash, long fence) {
        Lease lease = held.get(tokenHash);
        if (lease != null && lease.fence() == fence && held.remove(tokenHash, lease)) {
            LOG.info("a session was taken over by another web chat process (fence {} is stale); letting it go", fence);
            notifyLost(tokenHash);
        }
    }

    private void notifyLost(String tokenHash) {
        try {
            lostListener.accept(tokenHash);
        } catch (RuntimeException e) {
            LOG.error("letting go of a session taken over elsewhere failed", e);
        }
    }

    /**
     * Renews every lease of this process and reports those another process took (their rows name another owner or
     * fence). When renewal has failed for a whole lease, reports every session lost. On the store's writer thread.
     */
    void renew() {
        if (held.isEmpty()) {
            renewedAt = System.nanoTime();
            return;
        }
        Map<String, Long> owned = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement renew = connection.prepareStatement(renewSql)) {
                renew.setLong(1, clock.millis() + options.duration().toMillis());
                renew.setString(2, options.instanceId());
                renew.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                renew.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement(ownedSql)) {
                select.setString(1, options.instanceId());
                select.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        owned.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            long since = System.nanoTime() - renewedAt;
            if (since >= options.duration().toNanos()) {
                LOG.error("leases could not be renewed for {} ({}); letting go of all {} session(s) this process holds",
                        options.duration(), e.toString(), held.size());
                for (String hash : List.copyOf(held.keySet())) {
                    Lease lease = held.remove(hash);
                    if (lease != null) {
                        notifyLost(hash);
                    }
                }
            } else {
                LOG.warn("leases could not be renewed ({}); trying again", e.toString());
            }
            return;
        }
        renewedAt = System.nanoTime();
        for (Map.Entry<String, Lease> entry : List.copyOf(held.entrySet())) {
            Lease lease = entry.getValue();
            Long fence = owned.get(entry.getKey());
            if (lease.written() && (fence == null || fence != lease.fence())) {
                lost(entry.getKey(), lease.fence());
            }
        }
    }

    /**
     * Gives up every lease of this process (a graceful shutdown, after the last writes): the rows name no owner, and
     * the processes the pages come back to take them over.
     */
    void releaseAll() {
        try (Connection connection = dataSource.getConnection(); PreparedStatement release = connection.prepareStatement(releaseAllSql)) {
            connection.setAutoCommit(true);
            release.setString(1, options.instanceId());
            release.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            int released = release.executeUpdate();
            LOG.info("released {} session lease(s) of {}", released, options.instanceId());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("leases could not be released ({}); they lapse after {}", e.toString(), options.duration());
        }
        held.clear();
    }
}

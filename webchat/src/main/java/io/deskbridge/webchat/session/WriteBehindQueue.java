package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-behind queue of a {@link JdbcSessionStore}: the newest {@link PendingChange} per session, and their
 * writing on the store's one writer thread, about {@code flushDelay} after a change, in transactions of up to
 * {@value #BATCH_SIZE} sessions ({@link SessionBatchWriter}).
 *
 * <p><b>Failures.</b> When the database fails, the pending changes are kept and retried with a backoff doubling from
 * 100 ms up to 5 s; the outage is logged once when it starts and once when it ends, and every failed write is counted
 * ({@link #failedWrites()}). A change the database refuses for its data (SQL state class 22 or 23) would fail again
 * however often it is retried: the batch is then written one change at a time, and that change alone is dropped,
 * logged and counted ({@link #droppedWrites()}), so that it cannot hold back the others. A duplicate key (two processes
 * inserting the same new row at once) is retried once: the retry's update then finds the row.
 *
 * <p><b>Draining.</b> Normally a flush writes one batch and leaves later changes to their own flush delay, so that they
 * are batched too. Once the store {@linkplain #drain() closes}, a flush writes everything pending and a failed one is
 * retried after 100 ms whatever the backoff, until the store gives up. Thread-safe: changes are recorded from any
 * thread; what the writes keep between them is confined to the writer thread.
 */
final class WriteBehindQueue {
    /** Logs as the store: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    private static final int BATCH_SIZE = 500;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CLOSING_BACKOFF = Duration.ofMillis(100);

    private final ScheduledExecutorService writer;
    private final Duration flushDelay;
    private final SessionBatchWriter batches;
    private final ConcurrentMap<String, PendingChange> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong failedFlushes = new AtomicLong();
    private final AtomicLong droppedChanges = new AtomicLong();
    /** Notified after every flush, written or failed: {@link #awaitWritten} waits on it. */
    private final Object flushed = new Object();
    private volatile boolean draining;

    // Confined to the writer thread.
    private int failures;
    private boolean outage;
    private ScheduledFuture<?> retry;

    /**
     * @param writer the store's writer thread, which runs every write
     * @param flushDelay how long after a change it is written (changes in between are written together)
     */
    WriteBehindQueue(ScheduledExecutorService writer, Duration flushDelay, SessionBatchWriter batches) {
        this.writer = requireNonNull(writer, "writer is null");
        this.flushDelay = requireNonNull(flushDelay, "flushDelay is null");
        this.batches = requireNonNull(batches, "batches is null");
    }

    /** Records {@code change} of the session {@code tokenHash} in place of any pending one, to be written soon. */
    void put(String tokenHash, PendingChange change) {
        pending.put(tokenHash, change);
        requestFlush();
    }

    /**
     * Records that the sessions {@code tokenHashes} were active at {@code at}: a pending save of an older record is
     * brought forward to {@code at}, a pending delete stays, and otherwise only {@code last_active} is written.
     */
    void touch(Collection<String> tokenHashes, Instant at) {
        for (String hash : tokenHashes) {
            pending.compute(hash, (key, existing) -> {
                if (existing instanceof PendingChange.Save save) {
                    SessionRecord r = save.record();
                    return r.lastActive().isBefore(at)
                            ? new PendingChange.Save(new SessionRecord(r.tokenHash(), r.sessionId(), r.identity(), r.chat(), at), save.fence())
                            : save;
                }
                return existing instanceof PendingChange.Delete ? existing : new PendingChange.Touch(at);
            });
        }
        requestFlush();
    }

    /** The change of {@code tokenHash} not written yet, if any. */
    Optional<PendingChange> pendingChange(String tokenHash) {
        return Optional.ofNullable(pending.get(tokenHash));
    }

    /** How many sessions have changes not written yet. */
    int size() {
        return pending.size();
    }

    /** Whether the last write failed and the changes kept since wait for the database. On the writer thread. */
    boolean inOutage() {
        return outage;
    }

    /** How many writes of pending changes failed (each is retried with a backoff). */
    long failedWrites() {
        return failedFlushes.get();
    }

    /** How many session changes the database refused for their data and were dropped. */
    long droppedWrites() {
        return droppedChanges.get();
    }

    /** From now on every flush writes all that is pending, and a failed one is retried soon: the store is closing. */
    void drain() {
        draining = true;
    }

    /** Requests a write of what is pending and waits until nothing is, or {@code deadline} ({@link System#nanoTime()}). */
    void awaitWritten(long deadline) {
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

    private void requestFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                writer.schedule(this::flush, flushDelay.toMillis(), TimeUnit.MILLISECONDS);
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
                Map<String, PendingChange> batch = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, PendingChange>> it = pending.entrySet().iterator(); it.hasNext() && batch.size() < BATCH_SIZE; ) {
                    Map.Entry<String, PendingChange> entry = it.next();
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
                // Only what was written leaves: a newer change saved meanwhile stays pending.
                batch.forEach(pending::remove);
                written += batch.size();
                if (!draining) {
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
        if (draining) {
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

    private void writeRetryingDuplicate(Map<String, PendingChange> batch) throws SQLException {
        try {
            batches.write(batch);
        } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
                throw e;
            }
            LOG.debug("another process inserted a session row at the same time; writing again");
            batches.write(batch);
        }
    }

    /**
     * Writes each change of {@code batch} in a transaction of its own. A change the database refuses for its data
     * ({@link #isRowError}) is dropped and logged, so that it cannot block every later write; any other failure is
     * thrown, and the changes not written yet stay pending.
     */
    private void writeOneByOne(Map<String, PendingChange> batch) throws SQLException {
        for (Map.Entry<String, PendingChange> entry : batch.entrySet()) {
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
}

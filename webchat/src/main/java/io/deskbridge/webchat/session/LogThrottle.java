package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one kind of log line through at most once per interval and counts the ones it held back, so that a client
 * repeating the same abuse cannot fill the disk with the same warning (one hostile loop wrote 66,888 lines in 80
 * seconds before this existed). Thread-safe and lock-free.
 *
 * <pre>{@code
 * long suppressed = throttle.admit();
 * if (suppressed >= 0) LOG.warn("refused a new session ({} similar lines suppressed)", suppressed);
 * }</pre>
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong next;
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(Duration interval) {
        this(interval, System::nanoTime);
    }

    LogThrottle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = requireNonNull(interval, "interval is null").toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.next = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Whether to write the line now: the number of lines held back since the last one written (0 or more), or -1
     * when this one is to be held back too.
     */
    public long admit() {
        long now = nanoTime.getAsLong();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}

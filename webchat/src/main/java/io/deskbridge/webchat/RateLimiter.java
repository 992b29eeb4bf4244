package io.deskbridge.webchat;

import java.util.function.LongSupplier;

/**
 * A token bucket for one connection: {@code perSecond} frames a second on average, with bursts of up to
 * {@code perSecond} frames. Not thread-safe: Jetty delivers one connection's frames one at a time.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be positive: " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.tokens = perSecond;
        this.last = nanoTime.getAsLong();
    }

    /** Takes one token; false when the bucket is empty and the frame must be refused. */
    boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perSecond, tokens + (double) (now - last) * perSecond / NANOS_PER_SECOND);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

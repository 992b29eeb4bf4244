package io.deskbridge.webchat;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} tokens a second on average, in bursts of up to {@code capacity}. Not thread-safe:
 * a socket's frames arrive one at a time; shared buckets are used under their owner's lock.
 */
final class RateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double perSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    /** {@code perSecond} frames a second, with bursts of as many. */
    RateLimiter(int perSecond, LongSupplier nanoTime) {
        this(perSecond, perSecond, nanoTime);
    }

    RateLimiter(double capacity, double perSecond, LongSupplier nanoTime) {
        if (!(perSecond > 0) || !(capacity >= 1)) {
            throw new IllegalArgumentException("perSecond must be positive and capacity at least 1: " + perSecond + ", " + capacity);
        }
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.last = nanoTime.getAsLong();
    }

    /** Takes one token; false when the bucket is empty and the frame must be refused. */
    boolean tryAcquire() {
        return tryAcquire(1);
    }

    /** Takes {@code amount} tokens; false (taking none) when the bucket holds fewer. */
    boolean tryAcquire(double amount) {
        refill();
        if (tokens >= amount) {
            tokens -= amount;
            return true;
        }
        return false;
    }

    /** Takes {@code amount} tokens even when that empties the bucket below zero; true if it did not go below zero. */
    boolean take(double amount) {
        refill();
        tokens -= amount;
        return tokens >= 0;
    }

    /** Whether the bucket is full again, so that forgetting it changes nothing. */
    boolean isFull() {
        refill();
        return tokens >= capacity;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (double) (now - last) * perSecond / NANOS_PER_SECOND);
        last = now;
    }
}

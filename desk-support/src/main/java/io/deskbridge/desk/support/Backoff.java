package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt to reconnect or retry: {@code initial · 2^(attempt-1)}, capped at
 * {@code max}, less up to {@value #JITTER_PERCENT} % of random jitter (so that the chats a vendor outage dropped do
 * not all come back in the same millisecond), for at most {@code maxRetries} attempts. A vendor's {@code Retry-After}
 * wins over the computed wait, as it is (no jitter: the vendor asked for at least that long), unless it is longer
 * than {@code maxRetryAfter}: then waiting is pointless and the retries end.
 *
 * @param initial the wait before the first retry
 * @param max the longest wait between two attempts
 * @param maxRetries retries after the first attempt (0: none; {@link #UNBOUNDED}: no limit)
 * @param maxRetryAfter the longest {@code Retry-After} honoured
 */
public record Backoff(Duration initial, Duration max, int maxRetries, Duration maxRetryAfter) {

    /** {@link #maxRetries()} of a backoff that never gives up (a connection a chat cannot do without). */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    /** The share of a wait that jitter may take off. */
    public static final int JITTER_PERCENT = 20;

    public Backoff {
        requireNonNull(initial, "initial is null");
        requireNonNull(max, "max is null");
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries is negative: " + maxRetries);
        }
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max: " + initial + ", " + max);
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter is negative: " + maxRetryAfter);
        }
    }

    /** A backoff from {@code initial} to {@code max} with no limit on attempts, honouring a Retry-After up to {@code max}. */
    public static Backoff unbounded(Duration initial, Duration max) {
        return new Backoff(initial, max, UNBOUNDED, max);
    }

    /**
     * The wait before retry {@code retry} (1 for the first), whatever the limit on retries: exponential, capped,
     * with jitter.
     */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be 1 or more: " + retry);
        }
        long base = initial.toMillis();
        long cap = max.toMillis();
        long millis = retry > 62 || base << (retry - 1) >>> (retry - 1) != base ? cap : Math.min(cap, base << (retry - 1));
        long jitter = millis * JITTER_PERCENT / 100;
        return Duration.ofMillis(millis - (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1)));
    }

    /**
     * The wait before retry {@code retry}, or empty when it must not happen: the retries are used up, or the vendor's
     * {@code retryAfter} is longer than {@link #maxRetryAfter()}.
     */
    public Optional<Duration> next(int retry, Optional<Duration> retryAfter) {
        requireNonNull(retryAfter, "retryAfter is null");
        if (retry > maxRetries) {
            return Optional.empty();
        }
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
            return asked.compareTo(maxRetryAfter) > 0 ? Optional.empty() : Optional.of(asked);
        }
        return Optional.of(delay(retry));
    }

    /** A counter of attempts on this backoff, for one connection. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /** The retries made on one connection since it last worked. Not thread-safe (a chat's lane owns it). */
    public static final class Attempts {
        private final Backoff backoff;
        private int retries;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** The wait before the next retry, counting it; empty (and not counted) when the retries are used up. */
        public Optional<Duration> next() {
            return next(Optional.empty());
        }

        /** As {@link #next()}, honouring the vendor's {@code Retry-After}. */
        public Optional<Duration> next(Optional<Duration> retryAfter) {
            Optional<Duration> wait = backoff.next(retries + 1, retryAfter);
            if (wait.isPresent()) {
                retries++;
            }
            return wait;
        }

        /** How many retries were counted since the last {@link #reset()}. */
        public int retries() {
            return retries;
        }

        /** The connection works again: the next drop starts from the first wait. */
        public void reset() {
            retries = 0;
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The outbound pace of one chat: {@code rate} messages per second with a burst of {@code rate}, plus a pause the
 * server can impose ({@code TooManyRequestsErrorMessage.retryAfter}). Not thread-safe: used from the chat's serial
 * executor only.
 */
final class TokenBucket {
    private final Clock clock;
    private final int rate;
    private double tokens;
    private Instant refilledAt;
    private Instant pausedUntil = Instant.MIN;

    TokenBucket(Clock clock, int rate) {
        this.clock = requireNonNull(clock, "clock is null");
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1: " + rate);
        }
        this.rate = rate;
        this.tokens = rate;
        this.refilledAt = clock.instant();
    }

    /** Takes a token if one is available now; otherwise says how long to wait for one. */
    Duration tryTake() {
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil)) {
            return Duration.between(now, pausedUntil);
        }
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        double missing = 1 - tokens;
        return Duration.ofNanos((long) Math.ceil(missing / rate * 1_000_000_000L));
    }

    /** The server asked to wait: nothing is sent before {@code duration} passed, and the burst starts empty. */
    void pause(Duration duration) {
        Instant until = clock.instant().plus(duration);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
        tokens = 0;
        refilledAt = until;
    }

    private void refill(Instant now) {
        if (now.isAfter(refilledAt)) {
            double elapsed = Duration.between(refilledAt, now).toNanos() / 1_000_000_000.0;
            tokens = Math.min(rate, tokens + elapsed * rate);
            refilledAt = now;
        }
    }
}

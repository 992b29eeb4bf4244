package io.deskbridge.genesys.simulator.webmessaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The rate limit of a session's guest messages: a token bucket refilled at the deployment's messages per second (as
 * Genesys limits each session), plus a limit a test scripts for the next message. Thread-safe.
 */
final class SessionRateLimit {
    private final Clock clock;
    private final IntSupplier messagesPerSecond;
    private volatile int scriptedSeconds;
    private double tokens;
    private Instant refilledAt;

    /** @param since when the bucket was last full: the session's start */
    SessionRateLimit(Clock clock, IntSupplier messagesPerSecond, Instant since) {
        this.clock = clock;
        this.messagesPerSecond = messagesPerSecond;
        this.refilledAt = since;
        this.tokens = messagesPerSecond.getAsInt();
    }

    /** The next message gets a 4029 with this {@code retryAfter}. */
    void limitNext(int retryAfterSeconds) {
        scriptedSeconds = retryAfterSeconds;
    }

    /** The retryAfter of a 4029 for this message, or 0 when it may pass (per-session token bucket, plus scripted limits). */
    synchronized int retryAfter() {
        if (scriptedSeconds > 0) {
            int seconds = scriptedSeconds;
            scriptedSeconds = 0;
            return seconds;
        }
        int rate = messagesPerSecond.getAsInt();
        Instant now = clock.instant();
        double elapsed = Duration.between(refilledAt, now).toNanos() / 1e9;
        tokens = Math.min(rate, tokens + Math.max(0, elapsed) * rate);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return 1;
    }
}

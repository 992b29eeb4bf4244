package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.support.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * How often and how long to retry a Genesys request that failed for a reason that may pass: {@code 429} (after its
 * {@code Retry-After}), {@code 5xx} and network errors (after an exponential backoff with jitter).
 *
 * @param maxRetries retries after the first attempt (0: no retry)
 * @param initialBackoff the wait before the first retry of a 5xx or network error; doubled for each later retry
 * @param maxBackoff the longest wait between two attempts
 * @param maxRetryAfter the longest {@code Retry-After} the client waits; a longer one fails the request at once
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {
    public RetryPolicy {
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries is negative: " + maxRetries);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initialBackoff <= maxBackoff");
        }
    }

    /** Three retries, 500 ms doubling up to 10 s, a {@code Retry-After} of at most 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** No retries at all. */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The backoff before retry number {@code retry} (1 for the first): {@code initialBackoff · 2^(retry-1)}, capped
     * at {@code maxBackoff}, less up to 20 % of random jitter so that many chats do not retry in lockstep (desk-support's
     * {@link Backoff}, the one backoff of every desk).
     */
    public Duration backoff(int retry) {
        return new Backoff(initialBackoff, maxBackoff, maxRetries, maxRetryAfter).delay(retry);
    }

    /**
     * The wait before retry number {@code retry} of a request that failed with {@code failure}, or empty when it
     * must not be retried (retries used up, a {@code Retry-After} longer than {@link #maxRetryAfter()}, a failure
     * that is not temporary, or a possibly processed request that is not {@code idempotent}).
     */
    public Optional<Duration> delayBeforeRetry(int retry, GenesysApiException failure, boolean idempotent) {
        requireNonNull(failure, "failure is null");
        if (retry > maxRetries) {
            return Optional.empty();
        }
        if (failure.status() == 429) {
            Duration wait = failure.retryAfter().orElse(backoff(retry));
            return wait.compareTo(maxRetryAfter) > 0 ? Optional.empty() : Optional.of(wait);
        }
        if (failure.status() == 503) {
            // Not processed: safe to repeat for any request.
            return Optional.of(failure.retryAfter().filter(d -> d.compareTo(maxRetryAfter) <= 0).orElse(backoff(retry)));
        }
        if (idempotent && (failure.status() >= 500 || failure.status() == GenesysApiException.NETWORK_FAILURE)) {
            return Optional.of(backoff(retry));
        }
        return Optional.empty();
    }
}

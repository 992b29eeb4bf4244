package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One platform request that many chats want answered, asked at most once at a time and its outcome reused for a
 * lifetime: every chat waiting in a queue reads the same queue figures, and an OAuth client may make only a few
 * hundred requests a minute (Genesys's {@code client.credentials.token.rate.per.minute}), shared with the signed
 * data authenticated chats need to start.
 *
 * <p>A failure is kept for the lifetime too, so that a refused or rate-limited query is not repeated by every
 * waiting chat. An outcome is as old as the moment its request was sent. Thread-safe.
 *
 * <p>Written here rather than taken from a cache library: there is a single key, no eviction, and failures must
 * be remembered (a loading cache such as Caffeine's drops a failed load, so every caller would ask again).
 */
final class SharedQuery<T> {
    private final Supplier<CompletableFuture<T>> query;
    private final Clock clock;
    private final Duration lifetime;

    // Guarded by this.
    private CompletableFuture<T> latest;
    private Instant askedAt;

    /**
     * @param query sends the request; called at most once at a time
     * @param lifetime how long an outcome is reused
     */
    SharedQuery(Supplier<CompletableFuture<T>> query, Clock clock, Duration lifetime) {
        this.query = requireNonNull(query, "query is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
    }

    /** The request in flight, else an outcome younger than the lifetime, else a new request's. */
    synchronized CompletableFuture<T> get() {
        if (latest != null && (!latest.isDone() || clock.instant().isBefore(askedAt.plus(lifetime)))) {
            return latest.copy();
        }
        return ask();
    }

    /** The request in flight, else a new request's outcome, however young the last one is (a scheduled refresh). */
    synchronized CompletableFuture<T> refresh() {
        if (latest != null && !latest.isDone()) {
            return latest.copy();
        }
        return ask();
    }

    /** Forgets the last outcome (not a request in flight): the next {@link #get()} asks again. */
    synchronized void forget() {
        if (latest != null && latest.isDone()) {
            latest = null;
        }
    }

    // Guarded by this.
    private CompletableFuture<T> ask() {
        askedAt = clock.instant();
        CompletableFuture<T> asked;
        try {
            asked = requireNonNull(query.get(), "the query returned no future");
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        latest = asked;
        // A copy: a caller that cancels or completes its future must not touch the one the others share.
        return asked.copy();
    }
}

package io.deskbridge.webchat;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for the tests: poll a condition until it holds or the deadline passes. Never a blind sleep. */
final class Await {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {}

    static <T> T until(Supplier<Optional<T>> probe, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + "s waiting for " + what);
            }
            pause();
        }
    }

    static void until(BooleanSupplier condition, String what) {
        until(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), what);
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

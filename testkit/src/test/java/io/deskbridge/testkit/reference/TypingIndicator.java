package io.deskbridge.testkit.reference;

import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The reference desk's agent typing indicator (rule 9): on at the vendor's typing event, off after the timeout or
 * before the agent's next event. Confined to the desk's strand; the timeout comes back onto it.
 */
final class TypingIndicator {
    private final ScheduledExecutorService scheduler;
    private final Executor strand;
    private final Duration timeout;
    private final ServiceDeskCallback callback;
    private final BooleanSupplier over;
    private ScheduledFuture<?> off;
    private long generation;

    TypingIndicator(ScheduledExecutorService scheduler, Executor strand, Duration timeout, ServiceDeskCallback callback, BooleanSupplier over) {
        this.scheduler = scheduler;
        this.strand = strand;
        this.timeout = timeout;
        this.callback = callback;
        this.over = over;
    }

    /** The agent types: the indicator goes on, or its timeout starts again. */
    void on() {
        if (off == null) {
            callback.agentTyping(true);
        } else {
            off.cancel(false);
        }
        long current = ++generation;
        off = scheduler.schedule(() -> strand.execute(() -> timedOut(current)), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void timedOut(long expected) {
        if (off != null && !over.getAsBoolean() && expected == generation) {
            off = null;
            callback.agentTyping(false);
        }
    }

    /** The agent's next event: the indicator goes off, if it is on. */
    void stop() {
        if (off != null) {
            cancel();
            callback.agentTyping(false);
        }
    }

    /** The chat is over for the desk: the timer goes, and nothing is called. */
    void cancel() {
        if (off != null) {
            off.cancel(false);
            off = null;
        }
    }
}

package io.deskbridge.core;

import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The application's side of a chat in tests: records every callback with the thread it ran on, notices when two
 * callbacks overlap, and lets a test wait, with a bound, for what it expects.
 */
final class RecordingApplication {
    /** One recorded callback, or a marker the test added to place its own actions in the sequence. */
    record Entry(Object what, String thread) {}

    private final List<Entry> entries = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final ServiceDeskCallback callback = CallbackEvent.recorder(this::record);

    ServiceDeskCallback callback() {
        return callback;
    }

    private void record(CallbackEvent event) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            // Stay inside the callback a moment so that an overlapping delivery would be seen.
            for (int i = 0; i < 50; i++) {
                Thread.onSpinWait();
            }
            add(new Entry(event, Thread.currentThread().getName()));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Adds a marker from the test (for example "endChat completed") to the recorded sequence. */
    void mark(String marker) {
        add(new Entry(marker, Thread.currentThread().getName()));
    }

    private synchronized void add(Entry entry) {
        entries.add(entry);
        notifyAll();
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The callbacks and markers in order. */
    synchronized List<Object> sequence() {
        return entries.stream().map(Entry::what).collect(Collectors.toList());
    }

    /** The callbacks only, in order. */
    synchronized List<CallbackEvent> events() {
        return entries.stream().map(Entry::what).filter(CallbackEvent.class::isInstance).map(CallbackEvent.class::cast)
                .collect(Collectors.toList());
    }

    /** The most callbacks that ever ran at the same time. */
    int maxConcurrentCallbacks() {
        return maxInFlight.get();
    }

    /** Waits until {@code condition} holds for the recorded callbacks, failing after {@code timeout}. */
    synchronized List<CallbackEvent> await(Predicate<List<CallbackEvent>> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<CallbackEvent> events = events();
            if (condition.test(events)) {
                return events;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + description
                        + "; recorded: " + events);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + description, e);
            }
        }
    }

    List<CallbackEvent> await(Predicate<List<CallbackEvent>> condition, String description) {
        return await(condition, description, Duration.ofSeconds(10));
    }

    /** Waits until at least {@code count} callbacks were recorded. */
    List<CallbackEvent> awaitCount(int count) {
        return await(events -> events.size() >= count, count + " callbacks");
    }
}

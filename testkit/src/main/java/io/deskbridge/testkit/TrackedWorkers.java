package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ForwardingExecutorService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker pool the kit gives a desk under test: a real pool that counts the tasks in flight (so that, on virtual
 * time, the kit does not move the clock while real work is under way, and knows when a desk is idle) and keeps the
 * exceptions that escape plain {@link Runnable}s, which a production pool would lose.
 */
final class TrackedWorkers extends ForwardingExecutorService {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong activity = new AtomicLong();
    private final List<Throwable> failures = new ArrayList<>();

    TrackedWorkers(ExecutorService delegate) {
        super(delegate);
    }

    int inFlight() {
        return inFlight.get();
    }

    long activityCount() {
        return activity.get();
    }

    List<Throwable> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void execute(Runnable command) {
        requireNonNull(command, "command is null");
        inFlight.incrementAndGet();
        activity.incrementAndGet();
        try {
            delegate.execute(() -> {
                try {
                    command.run();
                } catch (RuntimeException | Error e) {
                    if (!(command instanceof Future)) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                    throw e;
                } finally {
                    activity.incrementAndGet();
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }
}

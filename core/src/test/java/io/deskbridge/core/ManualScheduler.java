package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time: tasks run on the test's thread when {@link #advance(Duration)} passes their time, and
 * the {@link ManualClock} moves with it. {@link #execute} runs a task at the current time on the next advance (or
 * {@link #runDue()}). Thread-safe: tasks may be scheduled from any thread.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;

    ManualScheduler(ManualClock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Moves the clock and the timers forward, running each task due on the way at its own time. */
    void advance(Duration duration) {
        advance(duration, true);
    }

    /**
     * Moves only the timers forward, leaving the clock behind: a timer that fires before the clock shows its time,
     * as happens when a real timer and a wall clock drift apart.
     */
    void advanceTimersOnly(Duration duration) {
        advance(duration, false);
    }

    private void advance(Duration duration, boolean moveClock) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Task<?> task;
            synchronized (this) {
                Task<?> next = queue.peek();
                if (next == null || next.atNanos > target) {
                    if (moveClock) {
                        clock.advance(Duration.ofNanos(target - nowNanos));
                    }
                    nowNanos = target;
                    return;
                }
                task = queue.poll();
                if (moveClock) {
                    clock.advance(Duration.ofNanos(task.atNanos - nowNanos));
                }
                nowNanos = Math.max(nowNanos, task.atNanos);
            }
            task.run();
        }
    }

    /** Runs every task due now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks wait for their time. */
    synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<Void>(Executors.callable(command, null), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<Void>(Executors.callable(command, null), unit.toNanos(initialDelay), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("the manual scheduler is shut down");
        }
        queue.add(task);
        return task;
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(queue);
        queue.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private long atNanos;
        private final long periodNanos;
        private final long order;

        Task(Callable<V> callable, long delayNanos, long periodNanos) {
            super(callable);
            synchronized (ManualScheduler.this) {
                this.atNanos = nowNanos + Math.max(0, delayNanos);
                this.order = sequence++;
            }
            this.periodNanos = periodNanos;
        }

        @Override
        public boolean isPeriodic() {
            return periodNanos > 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset()) {
                synchronized (ManualScheduler.this) {
                    atNanos += periodNanos;
                    if (!shutdown) {
                        queue.add(this);
                    }
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(atNanos - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            int byTime = Long.compare(atNanos, that.atNanos);
            return byTime != 0 ? byTime : Long.compare(order, that.order);
        }
    }
}

package io.deskbridge.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One task of a {@link VirtualScheduler}: a {@link FutureTask} with a virtual due time and, if periodic, a period. */
final class VirtualTask<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
    private final VirtualScheduler owner;
    private final boolean reportFailures;
    final long initialDelayNanos;
    /** 0: one shot; positive: fixed rate; negative: fixed delay. */
    private final long periodNanos;
    private final Callable<V> callable;
    volatile Instant due;
    long sequence;

    VirtualTask(VirtualScheduler owner, Callable<V> callable, boolean reportFailures, long initialDelayNanos, long periodNanos) {
        super(callable);
        this.owner = owner;
        this.callable = callable;
        this.reportFailures = reportFailures;
        this.initialDelayNanos = initialDelayNanos;
        this.periodNanos = periodNanos;
    }

    @Override
    public boolean isPeriodic() {
        return periodNanos != 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(Duration.between(owner.now(), due).toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        if (other instanceof VirtualTask<?> task) {
            int byTime = due.compareTo(task.due);
            return byTime != 0 ? byTime : Long.compare(sequence, task.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public void run() {
        if (!isPeriodic()) {
            super.run();
            if (reportFailures && isDone() && !isCancelled()) {
                try {
                    get();
                } catch (java.util.concurrent.ExecutionException e) {
                    owner.failed(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        Instant started = owner.now();
        if (runAndReset()) {
            owner.reschedule(this, periodNanos > 0 ? due.plusNanos(periodNanos) : started.plusNanos(-periodNanos));
        } else if (reportFailures && !isCancelled()) {
            try {
                get();
            } catch (java.util.concurrent.ExecutionException e) {
                owner.failed(e.getCause());
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                // cancelled while running: nothing to report
            }
        }
    }

    @Override
    public String toString() {
        return "task due " + due + " (" + callable + ")";
    }
}

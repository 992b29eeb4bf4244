package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ScheduledExecutorService} and a {@link Clock} on virtual time: nothing runs and the clock does not move
 * until a test says so. Tasks run on the thread that calls {@link #runDueTasks()}, {@link #runNextTask()} or
 * {@link #advance(Duration)}, one at a time, in order of their due time (ties in submission order).
 *
 * <pre>{@code
 * VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2030-01-01T00:00:00Z"));
 * scheduler.schedule(() -> fired.set(true), 5, TimeUnit.SECONDS);
 * scheduler.advance(Duration.ofSeconds(4));   // nothing yet
 * scheduler.advance(Duration.ofSeconds(1));   // runs the task, clock at +5 s
 * }</pre>
 *
 * <p><b>Threads.</b> Tasks may be submitted from any thread (a desk's I/O thread, a worker pool); submissions wake
 * a thread blocked in {@link #awaitActivity(Duration)}. Running tasks is serialised: two threads that run due tasks
 * at the same time take turns, so tasks never overlap.
 *
 * <p><b>Semantics.</b> Like {@link java.util.concurrent.ScheduledThreadPoolExecutor} with its default policies:
 * {@link #execute} and {@link #submit} run at the current virtual time; fixed-rate tasks are due at
 * {@code first + n * period}, fixed-delay tasks {@code delay} after the previous run ended (on virtual time, the
 * moment it started); a periodic task that throws is not run again and its future holds the failure; after
 * {@link #shutdown()} delayed one-shot tasks still run when due, periodic tasks are cancelled and new submissions
 * are rejected. An exception thrown by a task submitted as a {@link Runnable} through {@code execute} or
 * {@code schedule*} is also kept in {@link #failures()}: in production it would be lost on a pool thread, in a test
 * it is a bug to report.
 */
public final class VirtualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** The instant a scheduler created with {@link #VirtualScheduler()} starts at. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T09:00:00Z");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition activity = lock.newCondition();
    private final ReentrantLock runner = new ReentrantLock();
    private final PriorityQueue<VirtualTask<?>> queue = new PriorityQueue<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final VirtualClock clock = new VirtualClock(this::now, ZoneOffset.UTC);

    // Guarded by lock.
    private Instant now;
    private long sequence;
    private long activityCount;
    private boolean shutdown;
    private int running;

    /** A scheduler whose clock starts at {@link #DEFAULT_START}. */
    public VirtualScheduler() {
        this(DEFAULT_START);
    }

    /** A scheduler whose clock starts at {@code start}. */
    public VirtualScheduler(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    /** The virtual clock (UTC): reads the scheduler's current time. */
    public Clock clock() {
        return clock;
    }

    /** The current virtual time. */
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the clock forward by {@code duration}, running every task that falls due on the way at its due time (the
     * clock reads that time while the task runs), including tasks those tasks schedule within the window.
     *
     * @return how many tasks ran
     */
    public int advance(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot move virtual time backwards: " + duration);
        }
        Instant target;
        lock.lock();
        try {
            target = now.plus(duration);
        } finally {
            lock.unlock();
        }
        return advanceTo(target);
    }

    /**
     * Moves the clock forward to {@code target} (no change if it is in the past), running the tasks due on the way.
     *
     * @return how many tasks ran
     */
    public int advanceTo(Instant target) {
        requireNonNull(target, "target is null");
        int ran = 0;
        while (runOne(target)) {
            ran++;
        }
        lock.lock();
        try {
            if (target.isAfter(now)) {
                now = target;
                activityCount++;
                activity.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return ran;
    }

    /**
     * Runs every task due at the current time, including tasks they submit for immediate execution; the clock does
     * not move.
     *
     * @return how many tasks ran
     */
    public int runDueTasks() {
        int ran = 0;
        while (runOne(null)) {
            ran++;
        }
        return ran;
    }

    /**
     * Runs the earliest pending task, first moving the clock to its due time if that is in the future.
     *
     * @return whether a task ran ({@code false}: nothing is scheduled)
     */
    public boolean runNextTask() {
        return runOne(Instant.MAX);
    }

    /** When the earliest pending task is due, if any task is pending. */
    public Optional<Instant> nextTaskTime() {
        lock.lock();
        try {
            purgeCancelled();
            VirtualTask<?> head = queue.peek();
            return head == null ? Optional.empty() : Optional.of(head.due);
        } finally {
            lock.unlock();
        }
    }

    /** How many tasks are pending (cancelled tasks are not counted). */
    public int pendingTasks() {
        lock.lock();
        try {
            purgeCancelled();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a task is due now (or overdue) and waiting to run. */
    public boolean hasDueTasks() {
        lock.lock();
        try {
            purgeCancelled();
            VirtualTask<?> head = queue.peek();
            return head != null && !head.due.isAfter(now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A counter that grows whenever a task is submitted, runs or the clock moves: a waiting test compares two
     * readings to tell whether anything happened in between.
     */
    public long activityCount() {
        lock.lock();
        try {
            return activityCount;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks the calling thread for at most {@code timeout} of real time until a task is submitted or run, or the
     * clock moves.
     *
     * @return whether something happened
     */
    public boolean awaitActivity(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long before = activityCount;
            long nanos = timeout.toNanos();
            while (activityCount == before && nanos > 0) {
                nanos = activity.awaitNanos(nanos);
            }
            return activityCount != before;
        } finally {
            lock.unlock();
        }
    }

    /** Exceptions thrown by tasks submitted as a {@link Runnable} (see the class comment), oldest first. */
    public List<Throwable> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    // ---- ScheduledExecutorService ----

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        requireNonNull(command, "command is null");
        return enqueue(new VirtualTask<Void>(this, Executors.callable(command, null), true, delay(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        requireNonNull(callable, "callable is null");
        return enqueue(new VirtualTask<>(this, callable, false, delay(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        requireNonNull(command, "command is null");
        return enqueue(new VirtualTask<Void>(this, Executors.callable(command, null), true, delay(initialDelay, unit), positive(period, unit, "period")));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        requireNonNull(command, "command is null");
        return enqueue(new VirtualTask<Void>(this, Executors.callable(command, null), true, delay(initialDelay, unit), -positive(delay, unit, "delay")));
    }

    @Override
    public void execute(Runnable command) {
        requireNonNull(command, "command is null");
        // FutureTasks (from submit) keep their own outcome; plain runnables report failures.
        enqueue(new VirtualTask<Void>(this, Executors.callable(command, null), !(command instanceof java.util.concurrent.Future), 0, 0));
    }

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            for (VirtualTask<?> task : List.copyOf(queue)) {
                if (task.isPeriodic()) {
                    queue.remove(task);
                    task.cancel(false);
                }
            }
            activityCount++;
            activity.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            shutdown = true;
            List<Runnable> never = new ArrayList<>();
            VirtualTask<?> task;
            while ((task = queue.poll()) != null) {
                if (!task.isCancelled()) {
                    never.add(task);
                }
                task.cancel(false);
            }
            activityCount++;
            activity.signalAll();
            return never;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            purgeCancelled();
            return shutdown && queue.isEmpty() && running == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, in real time, for another thread to run the remaining tasks. On virtual time nothing runs by itself:
     * call {@link #advance(Duration)} or {@link #runNextTask()} instead, or {@link #shutdownNow()}.
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitActivity(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10))));
        }
        return true;
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "VirtualScheduler[now=" + now + ", pending=" + queue.size() + (shutdown ? ", shut down" : "") + "]";
        } finally {
            lock.unlock();
        }
    }

    // ---- internals ----

    private static long delay(long delay, TimeUnit unit) {
        requireNonNull(unit, "unit is null");
        return Math.max(0, unit.toNanos(delay));
    }

    private static long positive(long value, TimeUnit unit, String name) {
        requireNonNull(unit, "unit is null");
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value + " " + unit);
        }
        return unit.toNanos(value);
    }

    private <V> VirtualTask<V> enqueue(VirtualTask<V> task) {
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the virtual scheduler is shut down");
            }
            task.sequence = sequence++;
            task.due = now.plusNanos(task.initialDelayNanos);
            queue.add(task);
            activityCount++;
            activity.signalAll();
            return task;
        } finally {
            lock.unlock();
        }
    }

    private void purgeCancelled() {
        queue.removeIf(FutureTask::isCancelled);
    }

    /**
     * Runs the head task if it is due by {@code horizon} ({@code null}: by now), moving the clock to its due time.
     */
    private boolean runOne(Instant horizon) {
        runner.lock();
        try {
            VirtualTask<?> task;
            lock.lock();
            try {
                purgeCancelled();
                task = queue.peek();
                Instant limit = horizon == null ? now : horizon;
                if (task == null || task.due.isAfter(limit)) {
                    return false;
                }
                queue.poll();
                if (task.due.isAfter(now)) {
                    now = task.due;
                }
                running++;
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } finally {
                lock.lock();
                try {
                    running--;
                    activityCount++;
                    activity.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            return true;
        } finally {
            runner.unlock();
        }
    }

    void reschedule(VirtualTask<?> task, Instant due) {
        lock.lock();
        try {
            if (shutdown || task.isCancelled()) {
                task.cancel(false);
                return;
            }
            task.due = due;
            task.sequence = sequence++;
            queue.add(task);
        } finally {
            lock.unlock();
        }
    }

    void failed(Throwable failure) {
        synchronized (failures) {
            failures.add(failure);
        }
    }
}

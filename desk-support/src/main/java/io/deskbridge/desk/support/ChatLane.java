package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One chat's serial lane: tasks run one at a time, in submission order, on the desk's shared pool (a
 * {@link SerialExecutor}; the lane owns no thread). A desk runs everything that touches its chat's state on the lane
 * (the application's calls, the vendor's events, the completions of vendor calls, timers) so that its fields need no
 * locks and its callbacks are never concurrent (rule 12).
 *
 * <p>Timers from {@link #schedule} run on the lane too, and a timer cancelled on the lane never runs, even if it was
 * already due and queued behind the task that cancels it: the race that makes a typing indicator expire right after
 * a new one started.
 */
public final class ChatLane implements Executor {
    private final SerialExecutor serial;
    private final ScheduledExecutorService scheduler;
    /** The thread running a task of this lane, if one is. */
    private volatile Thread runner;

    /**
     * @param workers the shared pool the lane's tasks run on
     * @param scheduler the shared scheduler for the lane's timers
     */
    public ChatLane(Executor workers, ScheduledExecutorService scheduler) {
        this.serial = new SerialExecutor(requireNonNull(workers, "workers is null"));
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    /**
     * A lane whose tasks log with the chat's id in the MDC ({@code chat}), as every line a chat causes should.
     *
     * @param chatId the chat the lane serves
     * @param workers the shared pool the lane's tasks run on
     * @param scheduler the shared scheduler for the lane's timers
     */
    public ChatLane(String chatId, Executor workers, ScheduledExecutorService scheduler) {
        this.serial = SerialExecutor.forChat(requireNonNull(chatId, "chatId is null"), requireNonNull(workers, "workers is null"));
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    /** Runs {@code task} on the lane after the tasks submitted before it. A task that throws is logged. */
    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task is null");
        serial.execute(() -> {
            Thread outer = runner;
            runner = Thread.currentThread();
            try {
                task.run();
            } finally {
                runner = outer;
            }
        });
    }

    /** Whether the calling thread is running one of this lane's tasks. */
    public boolean isCurrent() {
        return runner == Thread.currentThread();
    }

    /**
     * A stage that runs {@code body} on the lane with the stage's future: the shape of every application call into a
     * desk ("hop onto the lane, answer later"). A {@code body} that throws completes the stage with the exception.
     */
    public <T> CompletableFuture<T> call(Consumer<CompletableFuture<T>> body) {
        requireNonNull(body, "body is null");
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                body.accept(result);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Runs {@code then} on the lane once {@code stage} completed, whatever thread completed it, with the failure as
     * its author threw it (unwrapped from {@code CompletionException}).
     */
    public <T> void whenComplete(CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> then) {
        requireNonNull(then, "then is null");
        requireNonNull(stage, "stage is null").whenComplete((value, failure) -> execute(() -> then.accept(value, CompletionFailures.unwrap(failure))));
    }

    /** A stage that completes on the lane as {@code stage} does, its failure unwrapped. */
    public <T> CompletableFuture<T> onLane(CompletionStage<T> stage) {
        CompletableFuture<T> result = new CompletableFuture<>();
        relay(stage, result);
        return result;
    }

    /** Completes {@code to} on the lane as {@code from} completes (failure unwrapped): a desk answers with a vendor call's outcome. */
    public <T> void relay(CompletionStage<? extends T> from, CompletableFuture<T> to) {
        requireNonNull(to, "to is null");
        whenComplete(from, (value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure);
            } else {
                to.complete(value);
            }
        });
    }

    /** Runs {@code task} on the lane after {@code delay}, unless the returned timer is cancelled first. */
    public Timer schedule(Duration delay, Runnable task) {
        requireNonNull(delay, "delay is null");
        requireNonNull(task, "task is null");
        Timer timer = new Timer();
        timer.future = scheduler.schedule(() -> execute(() -> {
            if (!timer.cancelled) {
                timer.fired = true;
                task.run();
            }
        }), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return timer;
    }

    /** A task {@link #schedule}d on the lane. */
    public static final class Timer {
        private volatile boolean cancelled;
        private volatile boolean fired;
        private volatile ScheduledFuture<?> future;

        private Timer() {}

        /** The task will not run (called on the lane: not even when it is already due). Idempotent. */
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }

        /** Whether the task is still to run: neither cancelled nor run. */
        public boolean isPending() {
            return !cancelled && !fired;
        }
    }
}

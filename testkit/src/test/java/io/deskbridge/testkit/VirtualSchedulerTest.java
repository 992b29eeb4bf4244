package io.deskbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("VirtualScheduler")
class VirtualSchedulerTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final VirtualScheduler scheduler = new VirtualScheduler(START);
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + Duration.between(START, scheduler.clock().instant()).toMillis());
    }

    @Test
    @DisplayName("time stands still until the test moves it, and a task runs at its due time")
    void runsAtDueTime() {
        scheduler.schedule(note("a"), 5, TimeUnit.SECONDS);
        assertThat(scheduler.runDueTasks()).isZero();
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(log).isEmpty();
        assertThat(scheduler.advance(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(log).containsExactly("a@5000");
        assertThat(scheduler.clock().instant()).isEqualTo(START.plusSeconds(5));
    }

    @Test
    @DisplayName("advance runs tasks in due order, ties in submission order, each seeing its own due time")
    void dueOrder() {
        scheduler.schedule(note("late"), 3, TimeUnit.SECONDS);
        scheduler.schedule(note("first"), 1, TimeUnit.SECONDS);
        scheduler.schedule(note("second"), 1, TimeUnit.SECONDS);
        scheduler.execute(note("now"));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(log).containsExactly("now@0", "first@1000", "second@1000", "late@3000");
        assertThat(scheduler.now()).isEqualTo(START.plusSeconds(10));
    }

    @Test
    @DisplayName("tasks scheduled by tasks within the window run in the same advance")
    void nestedScheduling() {
        scheduler.schedule(() -> scheduler.schedule(note("child"), 2, TimeUnit.SECONDS), 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(log).containsExactly("child@3000");
    }

    @Test
    @DisplayName("a fixed-rate task runs every period from its first run")
    void fixedRate() {
        scheduler.scheduleAtFixedRate(note("tick"), 1, 2, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(log).containsExactly("tick@1000", "tick@3000", "tick@5000");
    }

    @Test
    @DisplayName("a fixed-delay task runs its delay after the previous run")
    void fixedDelay() {
        scheduler.scheduleWithFixedDelay(note("run"), 0, 500, TimeUnit.MILLISECONDS);
        scheduler.advance(Duration.ofMillis(1200));
        assertThat(log).containsExactly("run@0", "run@500", "run@1000");
    }

    @Test
    @DisplayName("a cancelled task never runs and is no longer pending")
    void cancel() {
        ScheduledFuture<?> future = scheduler.schedule(note("never"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(note("tick"), 1, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofMillis(1500));
        assertThat(future.cancel(false)).isFalse();
        assertThat(periodic.cancel(false)).isTrue();
        scheduler.schedule(note("x"), 1, TimeUnit.SECONDS).cancel(false);
        assertThat(scheduler.pendingTasks()).isZero();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(log).containsExactly("never@1000", "tick@1000");
        assertThat(periodic.isCancelled()).isTrue();
    }

    @Test
    @DisplayName("submit and schedule with a Callable give the result through the future")
    void callables() throws Exception {
        Future<String> submitted = scheduler.submit(() -> "hello");
        ScheduledFuture<Integer> delayed = scheduler.schedule(() -> 42, 2, TimeUnit.SECONDS);
        assertThat(submitted.isDone()).isFalse();
        scheduler.runDueTasks();
        assertThat(submitted.get()).isEqualTo("hello");
        assertThat(delayed.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(2000);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(delayed.get()).isEqualTo(42);
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    @DisplayName("runNextTask jumps to the next task's due time")
    void runNextTask() {
        scheduler.schedule(note("a"), 7, TimeUnit.SECONDS);
        assertThat(scheduler.nextTaskTime()).contains(START.plusSeconds(7));
        assertThat(scheduler.runNextTask()).isTrue();
        assertThat(log).containsExactly("a@7000");
        assertThat(scheduler.runNextTask()).isFalse();
        assertThat(scheduler.nextTaskTime()).isEmpty();
    }

    @Test
    @DisplayName("a Runnable that throws is kept as a failure; a Callable's exception stays in its future")
    void failures() {
        scheduler.execute(() -> {
            throw new IllegalStateException("boom");
        });
        Future<Object> callable = scheduler.submit(() -> {
            throw new IllegalArgumentException("in the future");
        });
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("second run");
            }
        }, 1, 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(scheduler.failures()).extracting(Throwable::getMessage).containsExactly("boom", "second run");
        assertThat(runs).hasValue(2);
        assertThat(periodic.isDone()).isTrue();
        assertThatThrownBy(callable::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("in the future");
    }

    @Test
    @DisplayName("shutdown rejects new tasks, cancels periodic ones and still runs delayed ones when due")
    void shutdown() throws Exception {
        scheduler.schedule(note("delayed"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(note("tick"), 1, 1, TimeUnit.SECONDS);
        scheduler.shutdown();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThatThrownBy(() -> scheduler.execute(note("late"))).isInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.isTerminated()).isFalse();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(log).containsExactly("delayed@1000");
        assertThat(scheduler.isTerminated()).isTrue();
        assertThat(scheduler.awaitTermination(1, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    @DisplayName("shutdownNow returns the tasks that never ran")
    void shutdownNow() {
        scheduler.schedule(note("a"), 1, TimeUnit.SECONDS);
        scheduler.schedule(note("b"), 2, TimeUnit.SECONDS).cancel(false);
        assertThat(scheduler.shutdownNow()).hasSize(1);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(log).isEmpty();
        assertThat(scheduler.isTerminated()).isTrue();
    }

    @Test
    @DisplayName("a submission from another thread wakes a thread waiting for activity, and runs on the pumping thread")
    void otherThreads() throws Exception {
        long before = scheduler.activityCount();
        Thread submitter = new Thread(() -> scheduler.execute(() -> log.add(Thread.currentThread().getName())), "submitter");
        submitter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (scheduler.activityCount() == before && System.nanoTime() < deadline) {
            scheduler.awaitActivity(Duration.ofMillis(100));
        }
        submitter.join(5000);
        assertThat(scheduler.runDueTasks()).isEqualTo(1);
        assertThat(log).containsExactly(Thread.currentThread().getName());
    }

    @Test
    @DisplayName("many threads submitting at once lose no task")
    void concurrentSubmissions() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    scheduler.schedule(ran::incrementAndGet, i % 7, TimeUnit.MILLISECONDS);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(ran).hasValue(4000);
    }

    @Test
    @DisplayName("the clock cannot move backwards and periods must be positive")
    void invalidArguments() {
        assertThatThrownBy(() -> scheduler.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backwards");
        assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(note("x"), 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
        scheduler.advanceTo(START.minusSeconds(5));
        assertThat(scheduler.now()).isEqualTo(START);
    }
}

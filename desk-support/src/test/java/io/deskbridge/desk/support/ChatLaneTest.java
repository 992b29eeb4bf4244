package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.testkit.VirtualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ChatLane")
class ChatLaneTest {
    final VirtualScheduler scheduler = new VirtualScheduler();
    final ManualWorkers workers = new ManualWorkers();
    final ChatLane lane = new ChatLane(workers, scheduler);

    @Test
    @DisplayName("runs tasks one at a time in submission order, and knows when the caller is on it")
    void serialAndCurrent() {
        List<String> ran = new ArrayList<>();
        lane.execute(() -> ran.add("first " + lane.isCurrent()));
        lane.execute(() -> ran.add("second " + lane.isCurrent()));
        assertThat(ran).isEmpty();
        workers.runAll();
        assertThat(ran).containsExactly("first true", "second true");
        assertThat(lane.isCurrent()).isFalse();
    }

    @Test
    @DisplayName("runs a timer on the lane when its delay passed on the scheduler's clock")
    void timerOnVirtualTime() {
        AtomicBoolean onLane = new AtomicBoolean();
        ChatLane.Timer timer = lane.schedule(Duration.ofSeconds(5), () -> onLane.set(lane.isCurrent()));
        scheduler.advance(Duration.ofMillis(4_999));
        workers.runAll();
        assertThat(timer.isPending()).isTrue();
        scheduler.advance(Duration.ofMillis(1));
        workers.runAll();
        assertThat(onLane).isTrue();
        assertThat(timer.isPending()).isFalse();
    }

    @Test
    @DisplayName("a timer cancelled on the lane does not run, even when it was already due and queued behind the cancel")
    void cancelWins() {
        AtomicBoolean fired = new AtomicBoolean();
        ChatLane.Timer timer = lane.schedule(Duration.ofSeconds(1), () -> fired.set(true));
        lane.execute(timer::cancel);       // queued on the lane first
        scheduler.advance(Duration.ofSeconds(1)); // the due timer queues its task behind the cancel
        workers.runAll();
        assertThat(fired).isFalse();
        assertThat(timer.isPending()).isFalse();
    }

    @Test
    @DisplayName("whenComplete runs on the lane with the failure as it was thrown, not wrapped")
    void whenCompleteUnwraps() {
        CompletableFuture<String> vendor = new CompletableFuture<>();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicBoolean onLane = new AtomicBoolean();
        lane.whenComplete(vendor.thenApply(s -> s), (value, failure) -> {
            seen.set(failure);
            onLane.set(lane.isCurrent());
        });
        IOException cause = new IOException("reset");
        vendor.completeExceptionally(cause);
        assertThat(seen.get()).isNull(); // not on the completing thread
        workers.runAll();
        assertThat(seen.get()).isSameAs(cause);
        assertThat(onLane).isTrue();
    }

    @Test
    @DisplayName("relay completes the answer on the lane as the vendor call completed")
    void relay() {
        CompletableFuture<String> vendor = new CompletableFuture<>();
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicBoolean onLane = new AtomicBoolean();
        answer.whenComplete((v, e) -> onLane.set(lane.isCurrent()));
        lane.relay(vendor, answer);
        vendor.complete("posted");
        assertThat(answer).isNotDone();
        workers.runAll();
        assertThat(answer).isCompletedWithValue("posted");
        assertThat(onLane).isTrue();
    }

    @Test
    @DisplayName("onLane completes on the lane, and call turns a body that throws into a failed stage")
    void onLaneAndCall() {
        CompletableFuture<String> onLane = lane.onLane(CompletableFuture.completedFuture("ok"));
        CompletableFuture<String> failing = lane.call(result -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<String> answered = lane.call(result -> result.complete(lane.isCurrent() ? "on lane" : "off lane"));
        assertThat(onLane).isNotDone();
        workers.runAll();
        assertThat(onLane).isCompletedWithValue("ok");
        assertThat(answered).isCompletedWithValue("on lane");
        assertThat(failing).isCompletedExceptionally();
        assertThat(failing.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join())
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }
}

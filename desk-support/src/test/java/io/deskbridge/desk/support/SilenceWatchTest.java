package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.testkit.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SilenceWatch")
class SilenceWatchTest {
    static final Duration QUIET = Duration.ofSeconds(90);
    static final Duration ANSWER = Duration.ofSeconds(15);

    final VirtualScheduler scheduler = new VirtualScheduler();
    final ChatLane lane = new ChatLane(scheduler, scheduler);
    final List<CompletableFuture<Void>> pings = new ArrayList<>();
    final List<String> silent = new ArrayList<>();
    final SilenceWatch watch = new SilenceWatch(lane, QUIET, ANSWER, new SilenceWatch.Probe() {
        @Override
        public CompletionStage<?> ping() {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            pings.add(sent);
            return sent;
        }

        @Override
        public void silent(String why) {
            silent.add(why);
        }
    });

    void onLane(Runnable task) {
        lane.execute(task);
        scheduler.runDueTasks();
    }

    @Test
    @DisplayName("frames keep the connection from being pinged; the quiet time counts from the last one")
    void framesKeepItQuietlyAlive() {
        onLane(watch::start);
        scheduler.advance(QUIET.minusSeconds(1));
        onLane(watch::heard);
        scheduler.advance(QUIET.minusSeconds(1));
        assertThat(pings).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(pings).hasSize(1);
        assertThat(watch.isPinging()).isTrue();
    }

    @Test
    @DisplayName("a quiet connection that answers the ping is not reported, however long it stays quiet")
    void answeredPing() {
        onLane(watch::start);
        for (int round = 1; round <= 5; round++) {
            scheduler.advance(QUIET);
            assertThat(pings).hasSize(round);
            pings.get(round - 1).complete(null);
            scheduler.advance(ANSWER.minusSeconds(1));
            onLane(watch::heard); // the pong
            assertThat(watch.isPinging()).isFalse();
        }
        scheduler.advance(ANSWER.multipliedBy(2));
        assertThat(silent).isEmpty();
    }

    @Test
    @DisplayName("a connection that does not answer the ping is reported silent once, within quiet + answer, and then no more pinged")
    void unansweredPing() {
        onLane(watch::start);
        scheduler.advance(QUIET);
        pings.get(0).complete(null);
        scheduler.advance(ANSWER.minusMillis(1));
        assertThat(silent).isEmpty();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(silent).singleElement().asString().contains("no answer to a ping within 15000 ms");
        scheduler.advance(QUIET.multipliedBy(3));
        onLane(watch::heard);
        scheduler.advance(QUIET.multipliedBy(3));
        assertThat(pings).hasSize(1);
        assertThat(silent).hasSize(1);
    }

    @Test
    @DisplayName("a ping that cannot be sent is the connection dead, at once; a stopped watch reports nothing")
    void failedPingAndStop() {
        onLane(watch::start);
        scheduler.advance(QUIET);
        onLane(() -> pings.get(0).completeExceptionally(new IllegalStateException("output closed")));
        assertThat(silent).singleElement().asString().contains("output closed");

        SilenceWatch stopped = new SilenceWatch(lane, QUIET, ANSWER, new SilenceWatch.Probe() {
            @Override
            public CompletionStage<?> ping() {
                throw new AssertionError("a stopped watch pinged");
            }

            @Override
            public void silent(String why) {
                throw new AssertionError("a stopped watch reported silence");
            }
        });
        onLane(stopped::start);
        onLane(stopped::stop);
        scheduler.advance(QUIET.multipliedBy(2));
        assertThat(scheduler.failures()).isEmpty();
    }

    @Test
    @DisplayName("the times must be positive")
    void validation() {
        SilenceWatch.Probe probe = new SilenceWatch.Probe() {
            @Override
            public CompletionStage<?> ping() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void silent(String why) {
            }
        };
        assertThatThrownBy(() -> new SilenceWatch(lane, Duration.ZERO, ANSWER, probe)).hasMessageContaining("quiet must be positive");
        assertThatThrownBy(() -> new SilenceWatch(lane, QUIET, Duration.ofSeconds(-1), probe)).hasMessageContaining("answer must be positive");
    }
}

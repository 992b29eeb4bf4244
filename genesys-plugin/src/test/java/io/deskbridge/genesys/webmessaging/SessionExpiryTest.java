package io.deskbridge.genesys.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A web messaging session's expiry, as Genesys's messenger SDK watches it")
class SessionExpiryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ChatLane lane = new ChatLane("chat-expiry", scheduler, scheduler);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private void onLane(Runnable action) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        lane.execute(() -> {
            action.run();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("Activity moves the expiry to now plus durationSeconds, past the date Genesys named")
    void activityExtends() throws Exception {
        SessionExpiry expiry = new SessionExpiry("chat-expiry", lane, () -> new CompletableFuture<>(), () -> {});
        Instant named = Instant.now().plusSeconds(60);
        onLane(() -> {
            expiry.duration(OptionalLong.of(3600));
            expiry.expiresAt(named);
        });
        assertThat(deadline(expiry)).isEqualTo(named);
        onLane(expiry::activity);
        assertThat(deadline(expiry)).isAfter(Instant.now().plusSeconds(3500));
        onLane(expiry::stop);
    }

    @Test
    @DisplayName("At the expiry the desk asks Genesys; an answer without a date keeps the session for one more duration")
    void answeredEchoKeeps() throws Exception {
        AtomicInteger echoes = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        Frame answer = new Frame("response", "StructuredMessage", 200, JSON.readTree("{\"text\":\"ping\",\"type\":\"Text\"}"),
                java.util.Optional.of("echo-1"));
        CountDownLatch asked = new CountDownLatch(1);
        SessionExpiry expiry = new SessionExpiry("chat-expiry", lane, () -> {
            echoes.incrementAndGet();
            asked.countDown();
            return CompletableFuture.completedFuture(answer);
        }, expired::incrementAndGet);
        onLane(() -> {
            expiry.duration(OptionalLong.of(3600));
            expiry.expiresAt(Instant.now().minusSeconds(2)); // due at once (after a second's grace)
        });
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        WebMessagingHarness.awaitTrue(() -> deadline(expiry).isAfter(Instant.now().plusSeconds(3500)), "the session kept one more duration");
        assertThat(expired).hasValue(0);
        assertThat(echoes).hasValue(1);
        onLane(expiry::stop);
    }

    @Test
    @DisplayName("At the expiry an echo without answer, or answered 4006, ends the chat")
    void unansweredOrGoneEnds() throws Exception {
        for (CompletableFuture<Frame> outcome : java.util.List.of(CompletableFuture.<Frame>failedFuture(new TimeoutException("no answer")),
                CompletableFuture.completedFuture(new Frame("response", "string", 4006, JSON.getNodeFactory().textNode("session expired"),
                        java.util.Optional.of("echo-2"))))) {
            CountDownLatch ended = new CountDownLatch(1);
            SessionExpiry expiry = new SessionExpiry("chat-expiry", lane, () -> outcome, ended::countDown);
            onLane(() -> expiry.expiresAt(Instant.now().minusSeconds(2)));
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("ended").isTrue();
        }
    }

    @Test
    @DisplayName("An echo that finds no socket leaves the chat to the reconnection, which watches the expiry again")
    void noSocket() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(2);
        SessionExpiry expiry = new SessionExpiry("chat-expiry", lane, () -> {
            asked.countDown();
            return CompletableFuture.failedFuture(new WebMessagingSocket.ConnectionLost("no socket"));
        }, expired::incrementAndGet);
        Instant named = Instant.now().minusSeconds(2);
        onLane(() -> expiry.expiresAt(named));
        awaitCount(asked, 1);
        onLane(() -> expiry.expiresAt(named)); // the reconnection's SessionResponse, same date
        assertThat(asked.await(10, TimeUnit.SECONDS)).as("asked again after the reconnection").isTrue();
        assertThat(expired).hasValue(0);
        onLane(expiry::stop);
    }

    /** The expiry's deadline, read on the chat's lane as every other access. */
    private Instant deadline(SessionExpiry expiry) {
        return CompletableFuture.supplyAsync(expiry::deadline, lane).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void awaitCount(CountDownLatch latch, long remaining) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (latch.getCount() > remaining && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(latch.getCount()).isEqualTo(remaining);
    }
}

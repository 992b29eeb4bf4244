package io.deskbridge.genesys.guestchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.SilenceWatch;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event stream's ping over a real loopback socket: the pong reaches the stream's listener, so a quiet stream that
 * answers is kept, and one whose peer does not answer is found silent. The simulator always answers pings, so the
 * silent peer is a bare WebSocket server here.
 */
@DisplayName("GuestChatEventStream: ping and pong on a real socket")
class GuestChatEventStreamTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ChatLane lane = new ChatLane(scheduler, scheduler);
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger alive = new AtomicInteger();
    final List<String> silent = new CopyOnWriteArrayList<>();
    Peer peer;
    GuestChatEventStream stream;
    /** The watch of the test's stream; used on the lane. */
    SilenceWatch current;

    @AfterEach
    void stop() throws InterruptedException {
        if (stream != null) {
            stream.abort();
        }
        if (peer != null) {
            peer.stop(1000);
        }
        scheduler.shutdownNow();
    }

    @Test
    @DisplayName("a peer that answers the ping keeps a quiet stream: every ping's pong is heard, nothing is reported silent")
    void answered() throws Exception {
        open(true);
        SilenceWatch watch = watch(Duration.ofMillis(50), Duration.ofSeconds(5));
        lane.execute(watch::start);
        waitUntil(() -> alive.get() >= 5, "five pongs");
        lane.execute(watch::stop);
        assertThat(silent).isEmpty();
    }

    @Test
    @DisplayName("a peer that does not answer the ping is found silent within quiet + answer")
    void unanswered() throws Exception {
        open(false);
        SilenceWatch watch = watch(Duration.ofMillis(50), Duration.ofMillis(300));
        lane.execute(watch::start);
        waitUntil(() -> !silent.isEmpty(), "the stream reported silent");
        assertThat(silent).singleElement().asString().contains("no answer to a ping within 300 ms");
        assertThat(alive).hasValue(0);
        assertThat(peer.pings).hasPositiveValue();
    }

    void open(boolean answerPings) throws Exception {
        peer = new Peer(answerPings);
        peer.setReuseAddr(true);
        peer.start();
        assertThat(peer.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the peer started").isTrue();
        stream = GuestChatEventStream.open(http, URI.create("ws://127.0.0.1:" + peer.getPort() + "/stream"), WAIT, Optional.empty(),
                new GuestChatEventStream.Listener() {
                    @Override
                    public void onFrame(String text) {
                    }

                    @Override
                    public void onClosed(int statusCode, String reason, Throwable error) {
                    }

                    @Override
                    public void onAlive() {
                        lane.execute(() -> {
                            alive.incrementAndGet();
                            watchHeard();
                        });
                    }
                }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    void watchHeard() {
        if (current != null) {
            current.heard();
        }
    }

    SilenceWatch watch(Duration quiet, Duration answer) {
        current = new SilenceWatch(lane, quiet, answer, new SilenceWatch.Probe() {
            @Override
            public CompletionStage<?> ping() {
                return stream.ping();
            }

            @Override
            public void silent(String why) {
                silent.add(why);
            }
        });
        return current;
    }

    static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** A loopback WebSocket peer that answers pings, or says nothing at all. */
    static final class Peer extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger pings = new AtomicInteger();
        final boolean answerPings;

        Peer(boolean answerPings) {
            super(new InetSocketAddress("127.0.0.1", 0), 1);
            this.answerPings = answerPings;
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata frame) {
            pings.incrementAndGet();
            if (answerPings) {
                super.onWebsocketPing(conn, frame);
            }
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.TextFrameListener;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.spi.ServiceDeskException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat's web messaging socket: opening it, writing requests in order, matching answers to the requests that wait
 * for them, and checking that an idle socket still answers.
 *
 * <p><b>Correlation.</b> A request that waits for an answer is matched by its {@code tracingId}. Genesys leaves the
 * {@code tracingId} off some answers (errors among them); such a frame goes to the oldest waiting request whose
 * {@linkplain Claim claim} recognises it by class and body, and otherwise to {@link Events#frame}: an answer nobody
 * claims never completes an unrelated request.
 *
 * <p><b>Generations.</b> Each open socket has a generation; frames and closes of an older socket are ignored, so a
 * replaced socket cannot disturb the chat.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor, and so do the listener's callbacks.
 */
final class WebMessagingSocket {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingSocket.class);
    private static final AtomicLong TRACING = new AtomicLong();

    /** What the socket reports to the chat. Called on the serial executor. */
    interface Events {
        /** A frame that answers no waiting request: pushed by Genesys, or an answer nobody claims. */
        void frame(Frame frame);

        /** The open socket went away: closed by Genesys, failed, not writable, or silent at a health check. */
        void lost(String reason);

        /** Genesys said when the session expires without activity (an echo's {@code expirationDate}). */
        void expiresAt(java.time.Instant expiry);

        /** A message went or came (a {@code Text} or {@code Structured} message, not a health check's echo). */
        default void activity() {}
    }

    /** Recognises an answer without {@code tracingId} as the answer to one waiting request. */
    @FunctionalInterface
    interface Claim extends Predicate<Frame> {
        /** Claims nothing: the request is answered only by its {@code tracingId}. */
        Claim NONE = frame -> false;
    }

    /** The socket went away while a request waited for its answer. */
    static final class ConnectionLost extends RuntimeException {
        ConnectionLost(String reason) {
            super("the web messaging socket closed: " + reason, null, false, false);
        }
    }

    private record Waiting(CompletableFuture<Frame> answer, Claim claim) {}

    private final String chatId;
    private final WebMessagingSettings settings;
    private final HttpClient sockets;
    private final ObjectMapper json;
    private final Executor serial;
    private final ChatLane timers;
    private final Events events;
    private final WebMessagingRequestMetrics metrics;

    private WebSocket socket;
    private int generation;
    private CompletableFuture<Void> sendChain = CompletableFuture.completedFuture(null);
    /** Requests waiting for an answer, oldest first, by tracing id. */
    private final Map<String, Waiting> pending = new LinkedHashMap<>();
    private ChatLane.Timer healthTimer;
    private ChatLane.Timer pingTimer;
    private String echoPending;

    WebMessagingSocket(String chatId, WebMessagingSettings settings, HttpClient sockets, ObjectMapper json, ChatLane timers,
            Events events, WebMessagingRequestMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.json = requireNonNull(json, "json is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.serial = timers;
        this.events = requireNonNull(events, "events is null");
    }

    /** A tracing id unique in this process, prefixed by what the request is for (it shows in Genesys's logs). */
    static String nextTracingId(String purpose) {
        return purpose + "-" + TRACING.incrementAndGet();
    }

    boolean isOpen() {
        return socket != null;
    }

    /** Opens a new socket, closing the current one first. Fails with a {@link ServiceDeskException} naming the cause. */
    CompletableFuture<Void> open() {
        close();
        int gen = ++generation;
        WebSocket.Builder builder = sockets.newWebSocketBuilder().connectTimeout(settings.sendTimeout());
        // Both official SDKs always send an Origin (the messenger SDK the socket's host); deployments that restrict
        // their domains check it.
        builder.header("Origin", settings.effectiveOrigin());
        return builder.buildAsync(settings.socketUri(), listener(gen))
                .thenAcceptAsync(ws -> {
                    if (gen != generation) {
                        ws.abort();
                        throw new ConnectionLost("replaced while opening");
                    }
                    socket = ws;
                    sendChain = CompletableFuture.completedFuture(null);
                    startPings(gen);
                }, serial)
                .exceptionallyCompose(failure -> {
                    Throwable cause = CompletionFailures.unwrap(failure);
                    return CompletableFuture.failedFuture(cause instanceof ConnectionLost ? cause
                            : new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                                    "Cannot open the Genesys web messaging socket " + settings.webMessagingUrl() + ": "
                                            + describeOpenFailure(cause),
                                    "The chat service cannot be reached right now. Please try again later.", cause));
                });
    }

    private static String describeOpenFailure(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "the handshake was answered HTTP " + handshake.getResponse().statusCode();
        }
        return cause.toString();
    }

    /**
     * Sends {@code request} and waits for its answer: the frame with {@code tracingId}, or a frame without one that
     * {@code claim} recognises. Fails with {@link ConnectionLost} if the socket goes first, with a
     * {@link TimeoutException} after {@code timeout}.
     */
    CompletableFuture<Frame> request(Object request, String tracingId, Duration timeout, Claim claim) {
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        long sentAt = System.nanoTime();
        answer.whenComplete((frame, failure) -> metrics.answered(request, sentAt, frame, failure));
        pending.put(tracingId, new Waiting(answer, claim));
        send(request).whenCompleteAsync((ignored, failure) -> {
            if (failure != null && pending.remove(tracingId) != null) {
                Throwable cause = CompletionFailures.unwrap(failure);
                answer.completeExceptionally(cause instanceof ConnectionLost ? cause : new ConnectionLost(cause.toString()));
            }
        }, serial);
        ChatLane.Timer timer = timers.schedule(timeout, () -> {
            if (pending.remove(tracingId) != null) {
                answer.completeExceptionally(new TimeoutException("Genesys did not answer " + tracingId + " within " + timeout.toMillis() + " ms"));
            }
        });
        answer.whenComplete((f, e) -> timer.cancel());
        return answer;
    }

    /** {@link #request(Object, String, Duration, Claim)} answered by its tracing id only. */
    CompletableFuture<Frame> request(Object request, String tracingId, Duration timeout) {
        return request(request, tracingId, timeout, Claim.NONE);
    }

    /** Completes the request waiting under {@code tracingId} with {@code frame}; whether one waited. */
    boolean answer(String tracingId, Frame frame) {
        Waiting waiting = pending.remove(tracingId);
        if (waiting == null) {
            return false;
        }
        waiting.answer().complete(frame);
        return true;
    }

    /** Whether a request waits under {@code tracingId}. */
    boolean isWaiting(String tracingId) {
        return pending.containsKey(tracingId);
    }

    /** Writes {@code request}, after every earlier write; a socket that cannot be written to is dropped. */
    CompletableFuture<Void> send(Object request) {
        WebSocket ws = socket;
        if (ws == null) {
            return CompletableFuture.failedFuture(new ConnectionLost("no socket"));
        }
        String text;
        try {
            text = json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot write a web messaging request", e));
        }
        int gen = generation;
        CompletableFuture<Void> sent = sendChain.handle((r, e) -> null)
                .thenCompose(ignored -> ws.sendText(text, true))
                .thenApply(w -> (Void) null);
        sendChain = sent;
        sent.whenCompleteAsync((ignored, failure) -> {
            if (failure != null && gen == generation && socket == ws) {
                // A socket that cannot be written to is gone, whether or not its end was reported.
                ws.abort();
                closed(gen, "could not be written to: " + CompletionFailures.unwrap(failure));
            }
        }, serial);
        return sent;
    }

    /** Reads a frame's body as {@code type}. */
    <T> T read(Frame frame, Class<T> type) {
        try {
            return json.treeToValue(frame.body(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + frame.className() + " body that is not a valid " + type.getSimpleName(), e);
        }
    }

    /** Closes the socket normally; waiting requests fail with {@link ConnectionLost}. Nothing is reported. */
    void close() {
        WebSocket ws = socket;
        socket = null;
        generation++;
        stopHealthChecks();
        if (pingTimer != null) {
            pingTimer.cancel();
            pingTimer = null;
        }
        failPending(new ConnectionLost("closed by the desk"));
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, e) -> ws.abort());
        }
    }

    /** Aborts the socket and reports it {@linkplain Events#lost lost}. */
    void drop(String reason) {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        closed(generation, reason);
    }

    // ---------------------------------------------------------------- keep-alive and health checks

    /**
     * WebSocket pings every {@link WebMessagingSettings#pingInterval()} (15 s, as Genesys's messenger SDK), so that
     * no proxy or load balancer closes a quiet socket. Pings need no answer from the chat: the client answers pongs.
     */
    private void startPings(int gen) {
        if (pingTimer != null) {
            pingTimer.cancel();
        }
        if (settings.pingInterval().isZero() || settings.pingInterval().isNegative()) {
            return;
        }
        pingTimer = timers.schedule(settings.pingInterval(), () -> {
            WebSocket ws = socket;
            if (gen != generation || ws == null) {
                return;
            }
            // The next ping is scheduled before this one leaves, so the cadence does not depend on how soon it is sent.
            startPings(gen);
            sendChain = sendChain.handle((r, e) -> null).thenCompose(ignored -> ws.sendPing(java.nio.ByteBuffer.allocate(0)))
                    .thenApply(w -> (Void) null);
        });
    }

    /** Sends {@code echo} every health check interval; an echo unanswered by the next check drops the socket. */
    void startHealthChecks(String token) {
        stopHealthChecks();
        healthTimer = timers.schedule(settings.healthCheckInterval(), () -> healthCheck(token));
    }

    void stopHealthChecks() {
        if (healthTimer != null) {
            healthTimer.cancel();
            healthTimer = null;
        }
        echoPending = null;
    }

    private void healthCheck(String token) {
        if (socket == null) {
            return;
        }
        healthTimer = timers.schedule(settings.healthCheckInterval(), () -> healthCheck(token));
        if (echoPending != null) {
            LOG.warn("chat={} the web messaging health check was not answered within {}; reconnecting", chatId, settings.healthCheckInterval());
            drop("did not answer the health check");
            return;
        }
        String tracingId = nextTracingId("echo");
        echoPending = tracingId;
        request(Requests.Echo.ping(token, tracingId), tracingId, settings.healthCheckInterval().multipliedBy(2))
                .whenCompleteAsync((frame, failure) -> {
                    if (failure == null && tracingId.equals(echoPending)) {
                        echoPending = null;
                    }
                    if (failure == null) {
                        // The echo's answer tells how long the session lives on without activity.
                                        String expiry = frame.body().path("metadata").path("expirationDate").asText("");
                        if (!expiry.isEmpty() && expiry.chars().allMatch(Character::isDigit)) {
                            events.expiresAt(java.time.Instant.ofEpochSecond(Long.parseLong(expiry)));
                        }
                    }
                }, serial);
    }

    // ---------------------------------------------------------------- frames in

    private void onFrame(int gen, String text) {
        if (gen != generation) {
            return;
        }
        Frame frame;
        try {
            frame = json.readValue(text, Frame.class);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("chat={} ignored a web messaging frame that is not a valid envelope ({} characters): {}", chatId, text.length(),
                    e.getClass().getSimpleName());
            return;
        }
        if (isActivity(frame)) {
            events.activity();
        }
        if (frame.tracingId().isPresent() && answer(frame.tracingId().get(), frame)) {
            return;
        }
        if (frame.tracingId().isEmpty() && claimed(frame)) {
            return;
        }
        events.frame(frame);
    }

    /** Genesys's copy of a message either way extends the session (an echo's answer does not count). */
    private static boolean isActivity(Frame frame) {
        String messageType = frame.body().path("type").asText("");
        return "StructuredMessage".equals(frame.className()) && ("Text".equals(messageType) || "Structured".equals(messageType))
                && frame.tracingId().filter(t -> t.startsWith("echo-")).isEmpty();
    }

    private boolean claimed(Frame frame) {
        for (Iterator<Map.Entry<String, Waiting>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Waiting waiting = it.next().getValue();
            if (waiting.claim().test(frame)) {
                it.remove();
                waiting.answer().complete(frame);
                return true;
            }
        }
        return false;
    }

    private void closed(int gen, String reason) {
        if (gen != generation) {
            return;
        }
        generation++;
        socket = null;
        stopHealthChecks();
        if (pingTimer != null) {
            pingTimer.cancel();
            pingTimer = null;
        }
        failPending(new ConnectionLost(reason));
        events.lost(reason);
    }

    private void failPending(RuntimeException reason) {
        if (pending.isEmpty()) {
            return;
        }
        List<Waiting> waiting = new ArrayList<>(pending.values());
        pending.clear();
        waiting.forEach(w -> w.answer().completeExceptionally(reason));
    }

    /** The frames of the socket of generation {@code gen}, handed to the lane; an older socket's are ignored there. */
    private TextFrameListener listener(int gen) {
        return new TextFrameListener(new TextFrameListener.Frames() {
            @Override
            public void onFrame(String text) {
                serial.execute(() -> WebMessagingSocket.this.onFrame(gen, text));
            }

            @Override
            public void onClosed(int statusCode, String reason, Optional<Throwable> error) {
                serial.execute(() -> closed(gen, error.map(e -> "failed: " + e).orElse("closed by Genesys with " + statusCode)));
            }
        });
    }
}

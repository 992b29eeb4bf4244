package io.deskbridge.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JSON text WebSocket on the JDK's {@code java.net.http} client: no thread of its own (the client's selector and
 * executor serve every socket). Sends are chained, so a sender never has two in flight; frames are handed to
 * {@link #onFrame} one at a time.
 */
abstract class TextSocket implements WebSocket.Listener {
    static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder partial = new StringBuilder();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private CompletableFuture<WebSocket> sending;
    private volatile boolean closing;
    private volatile long openedAt;
    private volatile long joinedAt;

    /** Opens the socket; {@link #onOpened} runs once it is open. */
    final void open(HttpClient client, URI uri) {
        openedAt = System.nanoTime();
        CompletableFuture<WebSocket> socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, this);
        synchronized (this) {
            sending = socket;
        }
        socket.whenComplete((ws, error) -> {
            if (error != null) {
                fail("not connected: " + rootMessage(error));
            } else {
                onOpened();
            }
        });
    }

    /** Sends one frame after the ones before it; {@code beforeSend} runs just before it goes out. */
    final void send(String text, Runnable beforeSend) {
        synchronized (this) {
            sending = sending.thenCompose(ws -> {
                beforeSend.run();
                return ws.sendText(text, true);
            });
            sending.whenComplete((ws, error) -> {
                if (error != null && !closing) {
                    fail("send failed: " + rootMessage(error));
                }
            });
        }
    }

    final void send(JsonNode frame) {
        send(frame.toString(), () -> {});
    }

    abstract void onOpened();

    abstract void onFrame(JsonNode frame);

    final void markJoined() {
        if (joinedAt == 0) {
            joinedAt = System.nanoTime();
        }
        joined.complete(null);
    }

    public final CompletableFuture<Void> joined() {
        return joined;
    }

    public final long setupNanos() {
        return joinedAt == 0 ? 0 : joinedAt - openedAt;
    }

    public final Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    public final void fail(String reason) {
        if (failure.compareAndSet(null, reason)) {
            joined.completeExceptionally(new IllegalStateException(reason));
        }
    }

    public final void close() {
        closing = true;
        synchronized (this) {
            sending.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        }
    }

    @Override
    public final CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                onFrame(JSON.readTree(text));
            } catch (IOException | RuntimeException e) {
                fail("bad frame: " + e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public final CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            fail("socket closed: " + statusCode + " " + reason);
        }
        return null;
    }

    @Override
    public final void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            fail("socket error: " + rootMessage(error));
        }
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}

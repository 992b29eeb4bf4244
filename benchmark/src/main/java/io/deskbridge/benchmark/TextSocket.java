package io.deskbridge.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.desk.support.TextFrameListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JSON text WebSocket on the JDK's {@code java.net.http} client: no thread of its own (the client's selector and
 * executor serve every socket). Sends are chained, so a sender never has two in flight; whole frames
 * ({@link TextFrameListener}) are handed to {@link #onFrame} one at a time.
 */
abstract class TextSocket {
    static final ObjectMapper JSON = new ObjectMapper();

    /** desk-support's listener: whole text frames, and the end of the socket once. */
    private final TextFrameListener listener = new TextFrameListener(new TextFrameListener.Frames() {
        @Override
        public void onFrame(String text) {
            try {
                TextSocket.this.onFrame(JSON.readTree(text));
            } catch (IOException | RuntimeException e) {
                fail("bad frame: " + e);
            }
        }

        @Override
        public void onClosed(int statusCode, String reason, Optional<Throwable> error) {
            if (!closing) {
                fail(error.map(e -> "socket error: " + rootMessage(e)).orElse("socket closed: " + statusCode + " " + reason));
            }
        }
    });
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private CompletableFuture<WebSocket> sending;
    private volatile boolean closing;
    private volatile long openedAt;
    private volatile long joinedAt;

    /** Opens the socket; {@link #onOpened} runs once it is open. */
    final void open(HttpClient client, URI uri) {
        openedAt = System.nanoTime();
        CompletableFuture<WebSocket> socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, listener);
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

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}

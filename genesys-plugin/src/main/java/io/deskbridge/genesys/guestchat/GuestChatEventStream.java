package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection to a guest chat's event stream ({@code eventStreamUri}), over the JDK's WebSocket client of one of
 * the desk's socket clients ({@link io.deskbridge.genesys.platform.GenesysSocketClients}): it shares the client's I/O
 * thread, so a chat holds no thread of its own, and its listener runs on that thread, so that a connection closed
 * without a close frame is always reported (the JDK client can lose such an end when frames are handed to an
 * executor). Whole text frames go to the
 * {@link Listener}, one at a time; the connection asks for the next frame as soon as one was handed over, so the
 * listener must not block (the desk queues frames on the chat's serial executor).
 */
final class GuestChatEventStream {
    /** The close code reported for a connection lost without a close frame. */
    static final int ABNORMAL_CLOSURE = 1006;

    /** What the stream reports. Called from the HTTP client's threads, never concurrently for one stream. */
    interface Listener {
        void onFrame(String text);

        /** The stream ended: closed by Genesys or the network ({@code error} is then set). Called at most once. */
        void onClosed(int statusCode, String reason, Throwable error);
    }

    private final WebSocket socket;
    private final AtomicBoolean closedByUs = new AtomicBoolean();

    private GuestChatEventStream(WebSocket socket) {
        this.socket = socket;
    }

    /** Opens the stream at {@code uri}, exactly as Genesys returned it. */
    static CompletableFuture<GuestChatEventStream> open(HttpClient http, URI uri, Duration connectTimeout, Listener listener) {
        requireNonNull(listener, "listener is null");
        Adapter adapter = new Adapter(listener);
        return http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(uri, adapter)
                .thenApply(socket -> {
                    GuestChatEventStream stream = new GuestChatEventStream(socket);
                    adapter.stream = stream;
                    return stream;
                });
    }

    /** Closes the stream normally; the listener hears nothing more. */
    void close() {
        if (closedByUs.compareAndSet(false, true)) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "chat ended").whenComplete((ws, failure) -> socket.abort());
        }
    }

    /** Drops the connection at once (a stream found dead); the listener hears nothing more. */
    void abort() {
        closedByUs.set(true);
        socket.abort();
    }

    private static final class Adapter implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder text = new StringBuilder();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile GuestChatEventStream stream;

        Adapter(Listener listener) {
            this.listener = listener;
        }

        private boolean silenced() {
            GuestChatEventStream s = stream;
            return s != null && s.closedByUs.get();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                if (!silenced()) {
                    listener.onFrame(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            webSocket.request(1); // the guest stream sends text only; anything else is ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (ended.compareAndSet(false, true) && !silenced()) {
                listener.onClosed(statusCode, reason, null);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            if (ended.compareAndSet(false, true) && !silenced()) {
                listener.onClosed(ABNORMAL_CLOSURE, String.valueOf(error.getMessage()), error);
            }
        }
    }
}

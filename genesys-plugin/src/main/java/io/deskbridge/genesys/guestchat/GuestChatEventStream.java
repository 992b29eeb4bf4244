package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.support.TextFrameListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection to a guest chat's event stream ({@code eventStreamUri}), over the JDK's WebSocket client of one of
 * the desk's socket clients ({@link io.deskbridge.genesys.platform.GenesysSocketClients}): it shares the client's I/O
 * thread, so a chat holds no thread of its own, and its listener runs on that thread, so that a connection closed
 * without a close frame is always reported (the JDK client can lose such an end when frames are handed to an
 * executor). Whole text frames ({@link TextFrameListener}) go to the
 * {@link Listener}, one at a time; the connection asks for the next frame as soon as one was handed over, so the
 * listener must not block (the desk queues frames on the chat's serial executor).
 */
final class GuestChatEventStream {
    /** The close code reported for a connection lost without a close frame. */
    static final int ABNORMAL_CLOSURE = TextFrameListener.ABNORMAL_CLOSURE;

    /** What the stream reports. Called from the HTTP client's threads, never concurrently for one stream. */
    interface Listener {
        void onFrame(String text);

        /** The stream ended: closed by Genesys or the network ({@code error} is then set). Called at most once. */
        void onClosed(int statusCode, String reason, Throwable error);

        /** A ping or the answer to {@link #ping()} arrived: the stream lives, though it carried no frame. */
        default void onAlive() {
        }
    }

    private final WebSocket socket;
    private final TextFrameListener frames;
    private final AtomicBoolean closed = new AtomicBoolean();

    private GuestChatEventStream(WebSocket socket, TextFrameListener frames) {
        this.socket = socket;
        this.frames = frames;
    }

    /**
     * Opens the stream at {@code uri}, exactly as Genesys returned it, with the {@code Origin} header when one is
     * configured ({@code genesys.origin}).
     */
    static CompletableFuture<GuestChatEventStream> open(HttpClient http, URI uri, Duration connectTimeout, Optional<String> origin,
            Listener listener) {
        requireNonNull(listener, "listener is null");
        // desk-support's listener assembles the text frames and reports the end once.
        TextFrameListener frames = new TextFrameListener(new TextFrameListener.Frames() {
            @Override
            public void onFrame(String text) {
                listener.onFrame(text);
            }

            @Override
            public void onClosed(int statusCode, String reason, Optional<Throwable> error) {
                listener.onClosed(statusCode, reason, error.orElse(null));
            }

            @Override
            public void onAlive() {
                listener.onAlive();
            }
        });
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        origin.ifPresent(value -> builder.header("Origin", value));
        return builder.buildAsync(uri, frames)
                .thenApply(socket -> new GuestChatEventStream(socket, frames));
    }

    /** Asks Genesys to show the stream lives: a WebSocket ping, which any WebSocket server answers with a pong. */
    CompletableFuture<?> ping() {
        return socket.sendPing(ByteBuffer.allocate(0));
    }

    /** Closes the stream normally; the listener hears nothing more. */
    void close() {
        frames.silence();
        if (closed.compareAndSet(false, true)) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "chat ended").whenComplete((ws, failure) -> socket.abort());
        }
    }

    /** Drops the connection at once (a stream found dead); the listener hears nothing more. */
    void abort() {
        frames.silence();
        closed.set(true);
        socket.abort();
    }
}

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener for the JDK's {@link WebSocket} that hands on whole text frames: the client delivers a long message in
 * parts ({@code last == false}), and a vendor's JSON is only readable whole. It asks for the next part as soon as one
 * was handed over, so {@link Frames} must not block (a desk queues each frame on its chat's lane). Binary frames are
 * ignored; pings are answered by the client.
 *
 * <p>A frame longer than the limit is dropped (and logged by its size, never its content) instead of growing the
 * buffer without end. The end of the connection is reported once, by a close frame or an error; after
 * {@link #silence()} (the desk closes the socket itself) nothing more is reported.
 */
public final class TextFrameListener implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(TextFrameListener.class);

    /** The close code reported for a connection lost without a close frame. */
    public static final int ABNORMAL_CLOSURE = 1006;

    /** The longest frame handed on by default, in characters. */
    public static final int DEFAULT_MAX_FRAME_CHARS = 4 * 1024 * 1024;

    /** What the listener reports. Called on the client's threads, never concurrently for one socket. */
    public interface Frames {
        /** One whole text frame. */
        void onFrame(String text);

        /**
         * The connection ended: closed by the peer ({@code error} empty) or lost (the error, with
         * {@link #ABNORMAL_CLOSURE}). Called at most once.
         */
        void onClosed(int statusCode, String reason, Optional<Throwable> error);

        /**
         * A ping or a pong arrived: the connection lives though it carried no text (for a {@link SilenceWatch}). The
         * client answers pings itself.
         */
        default void onAlive() {
        }
    }

    private final Frames frames;
    private final int maxFrameChars;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean silenced;
    private boolean oversized;

    /** A listener that hands frames of up to {@link #DEFAULT_MAX_FRAME_CHARS} characters to {@code frames}. */
    public TextFrameListener(Frames frames) {
        this(frames, DEFAULT_MAX_FRAME_CHARS);
    }

    public TextFrameListener(Frames frames, int maxFrameChars) {
        this.frames = requireNonNull(frames, "frames is null");
        if (maxFrameChars < 1) {
            throw new IllegalArgumentException("maxFrameChars must be positive: " + maxFrameChars);
        }
        this.maxFrameChars = maxFrameChars;
    }

    /** Nothing more is reported: the desk is closing the socket itself. Any thread. */
    public void silence() {
        silenced = true;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!oversized && partial.length() + data.length() > maxFrameChars) {
            LOG.warn("Dropped a WebSocket text frame longer than {} characters", maxFrameChars);
            oversized = true;
            partial.setLength(0);
        }
        if (!oversized) {
            partial.append(data);
        }
        if (last) {
            if (!oversized && !silenced) {
                String text = partial.toString();
                partial.setLength(0);
                frames.onFrame(text);
            }
            partial.setLength(0);
            oversized = false;
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        if (!silenced) {
            frames.onAlive();
        }
        return WebSocket.Listener.super.onPing(webSocket, message); // the pong, and the next frame requested
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        if (!silenced) {
            frames.onAlive();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (ended.compareAndSet(false, true) && !silenced) {
            frames.onClosed(statusCode, reason == null ? "" : reason, Optional.empty());
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (ended.compareAndSet(false, true) && !silenced) {
            frames.onClosed(ABNORMAL_CLOSURE, String.valueOf(error.getMessage()), Optional.of(error));
        }
    }
}

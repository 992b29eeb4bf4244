package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TextFrameListener")
class TextFrameListenerTest {
    final List<String> frames = new ArrayList<>();
    final List<String> closes = new ArrayList<>();
    final CountingSocket socket = new CountingSocket();
    final TextFrameListener listener = new TextFrameListener(new TextFrameListener.Frames() {
        @Override
        public void onFrame(String text) {
            frames.add(text);
        }

        @Override
        public void onClosed(int statusCode, String reason, Optional<Throwable> error) {
            closes.add(statusCode + " " + reason + error.map(e -> " " + e.getClass().getSimpleName()).orElse(""));
        }
    }, 10);

    @Test
    @DisplayName("hands on a text frame delivered in parts as one, and asks for each next part")
    void assemblesParts() {
        listener.onOpen(socket);
        listener.onText(socket, "{\"a\":", false);
        listener.onText(socket, "1}", true);
        listener.onText(socket, "{}", true);
        assertThat(frames).containsExactly("{\"a\":1}", "{}");
        assertThat(socket.requested).isEqualTo(4);
    }

    @Test
    @DisplayName("drops a frame longer than the limit and hands on the next one whole")
    void dropsOversized() {
        listener.onText(socket, "0123456789", false);
        listener.onText(socket, "overflow", false);
        listener.onText(socket, "end", true);
        listener.onText(socket, "ok", true);
        assertThat(frames).containsExactly("ok");
    }

    @Test
    @DisplayName("ignores binary frames but keeps reading")
    void ignoresBinary() {
        listener.onBinary(socket, ByteBuffer.wrap(new byte[] {1}), true);
        assertThat(frames).isEmpty();
        assertThat(socket.requested).isEqualTo(1);
    }

    @Test
    @DisplayName("reports the end once: a close frame, or an error as 1006")
    void endOnce() {
        listener.onError(socket, new IOException("reset"));
        listener.onClose(socket, 1000, "bye");
        assertThat(closes).containsExactly("1006 reset IOException");
    }

    @Test
    @DisplayName("after silence nothing is reported: the desk closes the socket itself")
    void silence() {
        listener.silence();
        listener.onText(socket, "{}", true);
        listener.onClose(socket, 1000, "bye");
        assertThat(frames).isEmpty();
        assertThat(closes).isEmpty();
    }

    @Test
    @DisplayName("a ping or a pong says the connection lives (for a silence watch), and the next frame is asked for; not after silence")
    void alive() {
        List<String> alive = new ArrayList<>();
        TextFrameListener watched = new TextFrameListener(new TextFrameListener.Frames() {
            @Override
            public void onFrame(String text) {
                frames.add(text);
            }

            @Override
            public void onClosed(int statusCode, String reason, Optional<Throwable> error) {
                closes.add(reason);
            }

            @Override
            public void onAlive() {
                alive.add("alive");
            }
        });
        watched.onPong(socket, ByteBuffer.allocate(0));
        watched.onPing(socket, ByteBuffer.allocate(0));
        assertThat(alive).hasSize(2);
        assertThat(socket.requested).isEqualTo(2);
        watched.silence();
        watched.onPong(socket, ByteBuffer.allocate(0));
        assertThat(alive).hasSize(2);
        assertThat(frames).isEmpty();
    }

    /** A socket that counts the frames asked for. */
    static final class CountingSocket implements WebSocket {
        int requested;

        @Override public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) { return CompletableFuture.completedFuture(this); }
        @Override public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) { return CompletableFuture.completedFuture(this); }
        @Override public CompletableFuture<WebSocket> sendPing(ByteBuffer message) { return CompletableFuture.completedFuture(this); }
        @Override public CompletableFuture<WebSocket> sendPong(ByteBuffer message) { return CompletableFuture.completedFuture(this); }
        @Override public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) { return CompletableFuture.completedFuture(this); }
        @Override public void request(long n) { requested += (int) n; }
        @Override public String getSubprotocol() { return ""; }
        @Override public boolean isOutputClosed() { return false; }
        @Override public boolean isInputClosed() { return false; }
        @Override public void abort() {}
    }

}

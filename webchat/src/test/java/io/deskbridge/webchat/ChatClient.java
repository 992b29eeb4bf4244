package io.deskbridge.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A browser tab as the tests play it: a {@code java.net.http} WebSocket on {@code /chat} that records every frame the
 * server sends, with bounded waits for the next frame of a type.
 */
final class ChatClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final List<JsonNode> received;
    private final CompletableFuture<Integer> closed;
    private int cursor;

    private ChatClient(WebSocket socket, Recorder recorder) {
        this.socket = socket;
        this.received = recorder.received;
        this.closed = recorder.closed;
    }

    static ChatClient connect(URI server) {
        return connect(server, Map.of());
    }

    static ChatClient connect(URI server, Map<String, String> headers) {
        Recorder recorder = new Recorder();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        URI chat = URI.create("ws://" + server.getHost() + ":" + server.getPort() + "/chat");
        WebSocket socket = builder.buildAsync(chat, recorder).join();
        return new ChatClient(socket, recorder);
    }

    /** Connects and says hello, returning the welcome. */
    static ChatClient greeted(URI server) {
        ChatClient client = connect(server);
        client.send("{\"type\":\"hello\"}");
        client.await("welcome");
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(Map<String, ?> frame) {
        send(JSON.valueToTree(frame).toString());
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Every frame received so far. */
    List<JsonNode> frames() {
        return List.copyOf(received);
    }

    /** Waits for the next frame (after the last one awaited) of this type, skipping others. */
    JsonNode await(String type) {
        return await(type, f -> true);
    }

    /** Waits for the next frame of this type that matches. */
    JsonNode await(String type, Predicate<JsonNode> matches) {
        return Await.until(() -> {
            List<JsonNode> all = received;
            for (int i = cursor; i < all.size(); i++) {
                JsonNode frame = all.get(i);
                if (frame.path("type").asText().equals(type) && matches.test(frame)) {
                    cursor = i + 1;
                    return Optional.of(frame);
                }
            }
            return Optional.empty();
        }, "a " + type + " frame; received so far: " + received);
    }

    /** Waits for {@code error {errorType: "BAD_REQUEST", code}}. */
    JsonNode awaitBadRequest(String code) {
        return await("error", f -> f.path("errorType").asText().equals("BAD_REQUEST") && f.path("code").asText().equals(code));
    }

    /** Asks whether agents are online and waits for the answer: proof the connection still works. */
    JsonNode roundTrip() {
        send("{\"type\":\"agentsOnline\"}");
        return await("agentsOnline");
    }

    /** The frames of a type received so far. */
    List<JsonNode> all(String type) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode frame : received) {
            if (frame.path("type").asText().equals(type)) {
                matching.add(frame);
            }
        }
        return matching;
    }

    /** The status code the server closed the socket with, waiting for the close. */
    int awaitClose() {
        try {
            return closed.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the socket", e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private static final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new AssertionError("the server sent a frame that is not JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}

package io.deskbridge.genesys.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A guest's event stream socket, opened with the JDK client as a desk would, recording every frame. */
final class StreamRecorder implements WebSocket.Listener {
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static StreamRecorder open(HttpClient client, URI uri) {
        StreamRecorder recorder = new StreamRecorder();
        recorder.socket = client.newWebSocketBuilder().buildAsync(uri, recorder).orTimeout(5, TimeUnit.SECONDS).join();
        return recorder;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete("close " + statusCode);
        return null;
    }

    /**
     * "error IOException" for any I/O failure (a reset connection shows as a {@code SocketException} or, when the
     * client was writing, another {@code IOException}), else the error's class.
     */
    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + (error instanceof IOException ? "IOException" : error.getClass().getSimpleName()));
    }

    /** The next raw frame. */
    String nextRaw() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a frame within " + WAIT).isNotNull();
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, parsed. */
    JsonNode next() {
        return parse(nextRaw());
    }

    /** The next frame that is not a heartbeat. */
    JsonNode nextEvent() {
        while (true) {
            JsonNode frame = next();
            if (!frame.path("topicName").asText().equals("channel.metadata")) {
                return frame;
            }
        }
    }

    /** The next {@code count} events (heartbeats skipped). */
    List<JsonNode> nextEvents(int count) {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(nextEvent());
        }
        return events;
    }

    /** Skips frames until a heartbeat. */
    JsonNode awaitHeartbeat() {
        while (true) {
            JsonNode frame = next();
            if (frame.path("topicName").asText().equals("channel.metadata")) {
                return frame;
            }
        }
    }

    /** Skips events until one matches. */
    JsonNode awaitEvent(Predicate<JsonNode> wanted) {
        while (true) {
            JsonNode event = nextEvent();
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    /** Whether no frame arrives within {@code quiet}. */
    boolean silentFor(Duration quiet) throws InterruptedException {
        String frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        return frame == null;
    }

    /** "close CODE" or "error TYPE", once the socket ended. */
    String awaitEnd() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void abort() {
        socket.abort();
    }

    static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }

    /** "member-change MEMBER STATE" or "message SENDER BODYTYPE" or "typing-indicator SENDER": a frame's gist. */
    static String gist(JsonNode event) {
        String type = event.path("metadata").path("type").asText();
        JsonNode body = event.path("eventBody");
        switch (type) {
            case "member-change":
                return type + " " + body.path("member").path("id").asText() + " "
                        + body.path("member").path("state").asText();
            case "message":
                return type + " " + body.path("sender").path("id").asText() + " " + body.path("bodyType").asText();
            default:
                return type + " " + body.path("sender").path("id").asText();
        }
    }
}

package io.deskbridge.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.webchat.session.WebSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bundled chat page as the multi-instance tests play it: one tab that keeps its resume token across sockets,
 * reconnects after a close as {@code chat.js} does (at once after 1012, otherwise after a pause), and shows the agent's
 * messages as the page does: each welcome redraws the saved transcript, then live messages follow, an id shown once.
 */
final class Page implements AutoCloseable {
    private final List<ChatClient> sockets = new ArrayList<>();
    private String token;

    private Page() {}

    /** A page that opened the chat socket at {@code entry} and was welcomed. */
    static Page open(URI entry) {
        Page page = new Page();
        page.connect(entry, Duration.ofSeconds(30));
        return page;
    }

    /** The current socket. */
    ChatClient socket() {
        return sockets.get(sockets.size() - 1);
    }

    String token() {
        return token;
    }

    /** Waits for the server to close the current socket and returns its close code (-1 when it just broke). */
    int awaitClosed() {
        return socket().awaitClose();
    }

    /**
     * Reconnects through {@code entry} as the page does after a close with {@code closeCode}, trying again until a
     * process welcomes it (a stopping process refuses the upgrade; a busy store asks to try later).
     *
     * @return the welcome
     */
    JsonNode reconnect(URI entry, int closeCode) {
        if (closeCode != WebSession.CLOSE_RECONNECT) {
            pause(Duration.ofSeconds(1)); // the page waits 1 s after an unexpected close (chat.js); 1012 means at once
        }
        return connect(entry, Duration.ofSeconds(45));
    }

    /** Drops the current socket as a network blip would (no close frame from the server). */
    void dropSocket() {
        socket().close();
    }

    private JsonNode connect(URI entry, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            ChatClient client;
            try {
                client = ChatClient.connect(entry);
            } catch (RuntimeException e) {
                last = new AssertionError("the chat socket did not open: " + e, e);
                pause(Duration.ofMillis(100));
                continue;
            }
            client.send(token == null ? "{\"type\":\"hello\"}" : "{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}");
            try {
                Await.until(() -> !client.all("welcome").isEmpty() || client.isClosed()
                        || client.all("error").stream().anyMatch(f -> f.path("code").asText().equals("SERVER_BUSY")), "a welcome");
            } catch (AssertionError e) {
                last = e;
            }
            if (!client.all("welcome").isEmpty()) {
                JsonNode welcome = client.all("welcome").get(0);
                if (token != null && !welcome.path("resumeToken").asText().equals(token)) {
                    throw new AssertionError("the chat was not resumed: a new session was started " + welcome);
                }
                token = welcome.path("resumeToken").asText();
                sockets.add(client);
                return welcome;
            }
            client.close();
            pause(Duration.ofMillis(200));
        }
        throw last != null ? last : new AssertionError("no web chat process welcomed the page within " + patience);
    }

    /** The agent messages' texts the page shows now: the last welcome's transcript, then what came live, by id once. */
    List<String> shownAgentTexts() {
        ChatClient current = socket();
        Map<String, String> shown = new LinkedHashMap<>();
        JsonNode welcome = current.all("welcome").get(0);
        for (JsonNode entry : welcome.path("chat").path("transcript")) {
            if (!entry.path("from").asText().equals("user")) {
                shown.putIfAbsent(entry.path("id").asText(), entry.path("text").asText());
            }
        }
        for (JsonNode message : current.all("agentMessage")) {
            shown.putIfAbsent(message.path("id").asText(), message.path("text").asText());
        }
        return List.copyOf(shown.values());
    }

    /** The agent message ids that one socket received twice (its welcome's transcript and live frames together). */
    List<String> idsReceivedTwiceOnOneSocket() {
        List<String> twice = new ArrayList<>();
        for (ChatClient socket : sockets) {
            Set<String> seen = new HashSet<>();
            for (JsonNode welcome : socket.all("welcome")) {
                for (JsonNode entry : welcome.path("chat").path("transcript")) {
                    if (!entry.path("from").asText().equals("user")) {
                        seen.add(entry.path("id").asText());
                    }
                }
            }
            for (JsonNode message : socket.all("agentMessage")) {
                if (!seen.add(message.path("id").asText())) {
                    twice.add(message.path("text").asText());
                }
            }
        }
        return twice;
    }

    /** The page's own back-off before it tries again (a pause the page makes, not a wait for an event). */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        sockets.forEach(ChatClient::close);
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames against a running server while another page chats: malformed JSON, deep nesting, huge
 * strings and frames, wrong types, invalid UTF-8, binary frames, reserved bits, many half-open connections. Seeded
 * ({@code -Ddeskbridge.fuzz.seed=N} replays a run; {@code -Ddeskbridge.fuzz.frames=N} runs longer) and bounded.
 *
 * <p>Asserted: every frame is answered with a clear error (or a welcome, when a mutation happened to make a valid
 * {@code hello}) or the socket is closed with a protocol close code; the server stays up; the other page's chat
 * carries on with every message delivered; sessions and sockets stay bounded.
 */
@DisplayName("Hostile input fuzzing of the chat socket")
class HostileInputFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("deskbridge.fuzz.seed", 13L);
    private static final int FRAMES = Integer.getInteger("deskbridge.fuzz.frames", 400);
    private static final String INSERTS = "{}[]\":,\\ 0ae\u0000\uFFFF";
    private static final Set<Integer> PROTOCOL_CLOSES = Set.of(1002, 1003, 1007, 1008, 1009);
    private static final List<String> VALID = List.of(
            "{\"type\":\"hello\",\"user\":{\"name\":\"Ada\",\"locale\":\"en-GB\"}}",
            "{\"type\":\"startChat\",\"topic\":\"billing\",\"messageToAgent\":\"hi\"}",
            "{\"type\":\"message\",\"id\":\"m-1\",\"text\":\"hello there\"}",
            "{\"type\":\"typing\",\"isTyping\":true}",
            "{\"type\":\"read\"}",
            "{\"type\":\"agentsOnline\"}",
            "{\"type\":\"endChat\"}");

    /** The kinds of hostile frames, each counted so the run shows it covered them all. */
    enum Kind { MUTATED, TRUNCATED, RANDOM_TEXT, DEEP_NESTING, HUGE_STRING, HUGE_FRAME, WRONG_TYPES, INVALID_UTF8, BINARY, RESERVED_BITS }

    private ScriptedDesk.Provider desk;
    private WebChatFixture web;
    private final Random random = new Random(SEED);

    @BeforeEach
    void start() {
        desk = new ScriptedDesk.Provider();
        web = WebChatFixture.start(desk, Map.of("webchat.maxMessagesPerSecond", "10000", "webchat.maxInboundBytesPerSecond",
                "67108864", "webchat.helloTimeout", "5m", "webchat.maxConnectionsPerAddress", "2000", "webchat.newSessionsPerAddress", "1000"));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    @DisplayName("every hostile frame gets a clear error or a close; the server and another chat carry on")
    void fuzz() throws Exception {
        URI uri = web.uri();
        Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        try (ChatClient bystander = ChatClient.greeted(uri)) {
            bystander.send("{\"type\":\"startChat\"}");
            bystander.await("chatStarted");
            RawSocket socket = RawSocket.open(uri);
            try {
                for (int i = 0; i < FRAMES; i++) {
                    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                    sent.merge(kind, 1, Integer::sum);
                    String outcome;
                    try {
                        send(socket, kind);
                        outcome = answer(socket, kind, i);
                    } catch (IOException closedWhileSending) {
                        outcome = "closed while sending";
                    }
                    outcomes.merge(kind + " -> " + outcome, 1, Integer::sum);
                    if (!outcome.startsWith("error")) {
                        socket.close();
                        socket = RawSocket.open(uri);
                    }
                    if (i % 50 == 0) {
                        String id = "b" + i;
                        bystander.send("{\"type\":\"message\",\"id\":\"" + id + "\",\"text\":\"still here " + i + "\"}");
                        bystander.await("messageStatus", f -> f.path("id").asText().equals(id) && f.path("status").asText().equals("sent"));
                    }
                }
            } finally {
                socket.close();
            }
            assertThat(sent.keySet()).as("every kind of hostile frame was sent (seed %d)", SEED).containsAll(Set.of(Kind.values()));
            halfOpenConnections(uri);
            // Every hostile socket is gone again: only the bystander's is held.
            Await.until(() -> web.server.sessions().connectionCount() == 1, "the hostile sockets released");
            assertThat(bystander.roundTrip().path("type").asText()).isEqualTo("agentsOnline");
            assertThat(desk.latestChat().messages).hasSize((FRAMES + 49) / 50);
        }
        // No session was made by anything but a valid hello: far fewer than the frames sent.
        assertThat(web.server.sessions().size()).isLessThan(FRAMES / 4);
        System.out.printf("hostile input fuzz (seed %d, %d frames): %s%n", SEED, FRAMES, outcomes);
    }

    /** Many TCP connections that never finish their request, and upgraded sockets that never say hello. */
    private void halfOpenConnections(URI uri) throws IOException {
        List<Socket> tcp = new ArrayList<>();
        List<RawSocket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = RawSocket.tcp(uri, Optional.empty());
                s.getOutputStream().write("GET /chat HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
                tcp.add(s);
            }
            for (int i = 0; i < 100; i++) {
                silent.add(RawSocket.open(uri));
            }
            try (ChatClient newcomer = ChatClient.greeted(uri)) {
                assertThat(newcomer.roundTrip().path("type").asText()).isEqualTo("agentsOnline");
            }
        } finally {
            tcp.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closed
                }
            });
            silent.forEach(RawSocket::close);
        }
    }

    private void send(RawSocket socket, Kind kind) throws IOException {
        switch (kind) {
            case MUTATED -> socket.sendText(mutate(VALID.get(random.nextInt(VALID.size()))));
            case TRUNCATED -> {
                String valid = VALID.get(random.nextInt(VALID.size()));
                socket.sendText(valid.substring(0, random.nextInt(valid.length())));
            }
            case RANDOM_TEXT -> socket.sendText(randomText(random.nextInt(200)));
            case DEEP_NESTING -> {
                int depth = 500 + random.nextInt(15_000);
                String open = random.nextBoolean() ? "[" : "{\"a\":";
                socket.sendText(open.repeat(Math.min(depth, 30_000 / open.length())));
            }
            case HUGE_STRING -> socket.sendText("{\"type\":\"message\",\"id\":\"h\",\"text\":\"" + "ü".repeat(4_001 + random.nextInt(12_000)) + "\"}");
            case HUGE_FRAME -> socket.sendText("{\"type\":\"read\",\"pad\":\"" + "x".repeat(70_000 + random.nextInt(2_000_000)) + "\"}");
            case WRONG_TYPES -> socket.sendText(wrongTypes());
            case INVALID_UTF8 -> {
                byte[] bytes = "{\"type\":\"message\",\"id\":\"u\",\"text\":\"XX\"}".getBytes(StandardCharsets.UTF_8);
                bytes[bytes.length - 4] = (byte) (0x80 + random.nextInt(0x40)); // a continuation byte with no lead
                bytes[bytes.length - 3] = (byte) 0xff;
                socket.sendFrame(RawSocket.TEXT, bytes, false, true);
            }
            case BINARY -> {
                byte[] bytes = new byte[random.nextInt(1_000)];
                random.nextBytes(bytes);
                socket.sendFrame(RawSocket.BINARY, bytes, false, true);
            }
            case RESERVED_BITS -> socket.sendFrame(random.nextBoolean() ? RawSocket.TEXT : 0x3 + random.nextInt(5),
                    VALID.get(0).getBytes(StandardCharsets.UTF_8), true, true);
        }
    }

    /** The server's answer to one hostile frame, asserted to be a clear error, a welcome or a protocol close. */
    private String answer(RawSocket socket, Kind kind, int index) throws IOException {
        Optional<RawSocket.Frame> frame = socket.read();
        String where = kind + " frame #" + index + " (seed " + SEED + ")";
        assertThat(frame).as("an answer or a close to the " + where).isPresent();
        if (frame.get().opcode() == RawSocket.CLOSE) {
            assertThat(frame.get().closeCode()).as("the close code after the " + where).isIn(PROTOCOL_CLOSES);
            return "close " + frame.get().closeCode();
        }
        JsonNode answer = JSON.readTree(frame.get().text());
        String type = answer.path("type").asText();
        if (type.equals("welcome")) {
            return "welcome";
        }
        assertThat(type).as("the answer to the " + where + ": " + answer).isEqualTo("error");
        assertThat(answer.path("errorType").asText()).isEqualTo("BAD_REQUEST");
        assertThat(answer.path("code").asText()).isNotBlank();
        assertThat(answer.path("messageToUser").asText()).isNotBlank();
        return "error " + answer.path("code").asText();
    }

    private String mutate(String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && text.length() > 0; e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(4)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, INSERTS.charAt(random.nextInt(INSERTS.length())));
                case 2 -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                default -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(20))));
            }
        }
        return text.toString();
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = random.nextInt(10) == 0 ? 0x1F600 + random.nextInt(80) : 32 + random.nextInt(95);
            text.appendCodePoint(cp);
        }
        return text.toString();
    }

    private String wrongTypes() {
        List<String> values = List.of("5", "true", "null", "[]", "{}", "\"\"", "1e400", "-0", "\"" + "z".repeat(300) + "\"");
        String value = values.get(random.nextInt(values.size()));
        return switch (random.nextInt(6)) {
            case 0 -> "{\"type\":" + value + "}";
            case 1 -> "{\"type\":\"message\",\"id\":" + value + ",\"text\":\"t\"}";
            case 2 -> "{\"type\":\"message\",\"id\":\"x\",\"text\":" + value + "}";
            case 3 -> "{\"type\":\"typing\",\"isTyping\":" + value + "}";
            case 4 -> "{\"type\":\"startChat\",\"topic\":" + value + "}";
            default -> value;
        };
    }
}

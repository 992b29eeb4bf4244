package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What a hostile probe of the running web chat found, each finding as a test that failed before its fix: one client
 * locking every new visitor out, unbounded transcripts (see {@code TranscriptTest}), compressed frames inflated
 * without bound, floods and silent sockets never disconnected, and missing or revealing headers.
 */
@DisplayName("A hostile client")
class HostileClientTest {
    private static final InetAddress OTHER_CLIENT = loopback(2);

    private ScriptedDesk.Provider desk;
    private WebChatFixture web;

    private URI start(Map<String, String> keys) {
        desk = new ScriptedDesk.Provider();
        web = WebChatFixture.start(desk, keys);
        return web.uri();
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    @DisplayName("1. cannot lock new visitors out by opening sessions in a loop")
    class SessionBudget {

        @Test
        @DisplayName("an address that opens sessions in a loop is refused with SERVER_BUSY past its budget; other addresses and resumes are not")
        void perAddress() throws IOException {
            URI uri = start(Map.of("webchat.newSessionsPerAddress", "5"));
            String firstToken = null;
            int welcomed = 0;
            int refused = 0;
            for (int i = 0; i < 12; i++) {
                try (RawSocket socket = RawSocket.open(uri)) {
                    socket.sendText("{\"type\":\"hello\"}");
                    String answer = socket.awaitText("\"type\"").orElseThrow();
                    if (answer.contains("welcome")) {
                        welcomed++;
                        if (firstToken == null) {
                            firstToken = ChatClientJson.field(answer, "resumeToken");
                        }
                    } else {
                        assertThat(answer).contains("SERVER_BUSY", "Too many new chats");
                        refused++;
                    }
                }
            }
            assertThat(welcomed).isEqualTo(5);
            assertThat(refused).isEqualTo(7);
            assertThat(web.server.sessions().size()).isEqualTo(5);

            // Another visitor (another address) is let in; the looping client may still resume its session.
            try (RawSocket other = RawSocket.open(uri, Optional.of(OTHER_CLIENT), false)) {
                other.sendText("{\"type\":\"hello\"}");
                assertThat(other.awaitText("\"type\"").orElseThrow()).contains("welcome");
            }
            try (RawSocket resumed = RawSocket.open(uri)) {
                resumed.sendText("{\"type\":\"hello\",\"resumeToken\":\"" + firstToken + "\"}");
                assertThat(resumed.awaitText("\"type\"").orElseThrow()).contains("welcome", "\"resumed\":true");
            }
        }

        @Test
        @DisplayName("behind a proxy in webchat.trustedProxies each client counts by its X-Forwarded-For address; others cannot forge it")
        void trustedProxies() throws IOException {
            URI uri = start(Map.of("webchat.newSessionsPerAddress", "2", "webchat.trustedProxies", "127.0.0.1"));
            assertThat(helloVia(uri, Optional.empty(), "203.0.113.7")).contains("welcome");
            assertThat(helloVia(uri, Optional.empty(), "203.0.113.7")).contains("welcome");
            assertThat(helloVia(uri, Optional.empty(), "203.0.113.7")).contains("SERVER_BUSY");
            // Another client behind the same proxy; a forged left-most entry is ignored, the proxy's own is used.
            assertThat(helloVia(uri, Optional.empty(), "203.0.113.7, 198.51.100.9")).contains("welcome");
            // A peer that is not a trusted proxy cannot choose what it is counted as.
            assertThat(helloVia(uri, Optional.of(OTHER_CLIENT), "192.0.2.1")).contains("welcome");
            assertThat(helloVia(uri, Optional.of(OTHER_CLIENT), "192.0.2.2")).contains("welcome");
            assertThat(helloVia(uri, Optional.of(OTHER_CLIENT), "192.0.2.3")).contains("SERVER_BUSY");
        }

        private String helloVia(URI uri, Optional<InetAddress> from, String forwardedFor) throws IOException {
            try (RawSocket socket = RawSocket.open(uri, from, false, "X-Forwarded-For: " + forwardedFor + "\r\n")) {
                socket.sendText("{\"type\":\"hello\"}");
                return socket.awaitText("\"type\"").orElseThrow();
            }
        }

        @Test
        @DisplayName("a verified user who opens sessions in a loop is refused past webchat.newSessionsPerUser; another user on the same address is not")
        void perUser() throws IOException {
            String secret = "a-test-secret-that-is-at-least-32-bytes-long";
            URI uri = start(Map.of("webchat.auth", "jwt", "webchat.auth.secret", secret, "webchat.auth.audience", "deskbridge-webchat",
                    "webchat.newSessionsPerUser", "3", "webchat.newSessionsPerAddress", "100"));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(hello(uri, userToken("mallory", secret)));
            }
            assertThat(answers.subList(0, 3)).allSatisfy(a -> assertThat(a).contains("welcome"));
            assertThat(answers.subList(3, 5)).allSatisfy(a -> assertThat(a).contains("SERVER_BUSY"));
            assertThat(hello(uri, userToken("alice", secret))).contains("welcome");
        }

        private String hello(URI uri, String token) throws IOException {
            try (RawSocket socket = RawSocket.open(uri)) {
                socket.sendText("{\"type\":\"hello\",\"authToken\":\"" + token + "\"}");
                return socket.awaitText("\"type\"").orElseThrow();
            }
        }

        private String userToken(String subject, String secret) {
            try {
                com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(subject)
                        .audience("deskbridge-webchat").expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(600)))
                        .issueTime(new java.util.Date()).build();
                com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader(
                        com.nimbusds.jose.JWSAlgorithm.HS256), claims);
                jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        @Test
        @DisplayName("a session that never started a chat is forgotten after webchat.unstartedSessionTimeout; one with a chat lives on")
        void unstartedSessionsGoSoon() {
            URI uri = start(Map.of("webchat.sessionIdleTimeout", "1h", "webchat.unstartedSessionTimeout", "200ms"));
            try (ChatClient idle = ChatClient.greeted(uri); ChatClient chatting = ChatClient.greeted(uri)) {
                chatting.send("{\"type\":\"startChat\"}");
                chatting.await("chatStarted");
                assertThat(web.server.sessions().size()).isEqualTo(2);
            }
            Await.until(() -> web.server.sessions().size() == 1, "the session without a chat forgotten");
            assertThat(desk.latestChat()).isNotNull();
        }
    }

    @Nested
    @DisplayName("4. cannot make the server inflate without bound")
    class Compression {

        @Test
        @DisplayName("a compressed frame that inflates past the frame limit closes the socket (1009) before it is all inflated")
        void bombFrame() throws IOException {
            URI uri = start(Map.of());
            try (RawSocket socket = RawSocket.open(uri, Optional.empty(), true)) {
                assertThat(socket.status).isEqualTo(101);
                socket.sendText("{\"type\":\"hello\"}");
                socket.awaitText("welcome").orElseThrow();
                socket.sendCompressedText("{\"type\":\"read\",\"padding\":\"" + " ".repeat(1_000_000) + "\"}");
                assertThat(socket.awaitClose()).isEqualTo(1009);
            }
        }

        @Test
        @DisplayName("a socket that keeps sending large compressed frames is closed (1008) once over webchat.maxInboundBytesPerSecond")
        void inflatedBytesPerSecond() throws IOException {
            URI uri = start(Map.of("webchat.maxMessagesPerSecond", "1000"));
            try (RawSocket socket = RawSocket.open(uri, Optional.empty(), true)) {
                socket.sendText("{\"type\":\"hello\"}");
                socket.awaitText("welcome").orElseThrow();
                String frame = "{\"type\":\"read\",\"padding\":\"" + " ".repeat(60_000) + "\"}";
                int sent = 0;
                try {
                    for (; sent < 40; sent++) {
                        socket.sendCompressedText(frame); // ~100 bytes on the wire, 60 KB inflated
                    }
                } catch (IOException closedWhileSending) {
                    // the server closed the socket: what this test expects
                }
                assertThat(socket.awaitClose()).isIn(1008, -1);
                // 128 KiB a second, in bursts of 128 KiB: a handful of 60 KB frames, not 40.
                Await.until(() -> web.server.sessions().connectionCount() == 0, "the closed socket detached");
            }
        }
    }

    @Nested
    @DisplayName("5. is disconnected when it floods or never says hello, and cannot open sockets without limit")
    class Floods {

        @Test
        @DisplayName("a socket that keeps flooding is closed with 1008 and is not answered frame for frame")
        void floodIsDisconnected() throws IOException {
            URI uri = start(Map.of("webchat.maxMessagesPerSecond", "5", "webchat.maxDroppedFrames", "20"));
            try (RawSocket socket = RawSocket.open(uri)) {
                socket.sendText("{\"type\":\"hello\"}");
                socket.awaitText("welcome").orElseThrow();
                int sent = 0;
                try {
                    for (; sent < 300; sent++) {
                        socket.sendText("{\"type\":\"typing\",\"isTyping\":true}");
                    }
                } catch (IOException closedWhileSending) {
                    // closed by the server
                }
                int errors = 0;
                int close;
                while (true) {
                    Optional<RawSocket.Frame> frame = socket.read();
                    if (frame.isEmpty()) {
                        close = -1;
                        break;
                    }
                    if (frame.get().opcode() == RawSocket.CLOSE) {
                        close = frame.get().closeCode();
                        break;
                    }
                    if (frame.get().text().contains("RATE_LIMITED")) {
                        errors++;
                    }
                }
                assertThat(close).isEqualTo(1008);
                assertThat(errors).isLessThan(10);
            }
        }

        @Test
        @DisplayName("a socket that does not say hello within webchat.helloTimeout is closed with 1008")
        void helloTimeout() throws IOException {
            URI uri = start(Map.of("webchat.helloTimeout", "300ms"));
            try (RawSocket silent = RawSocket.open(uri); ChatClient greeted = ChatClient.greeted(uri)) {
                assertThat(silent.awaitClose()).isEqualTo(1008);
                assertThat(greeted.roundTrip().path("type").asText()).isEqualTo("agentsOnline");
            }
        }

        @Test
        @DisplayName("more than webchat.maxConnectionsPerAddress sockets from one address are refused with 429; others still connect")
        void connectionsPerAddress() throws IOException {
            URI uri = start(Map.of("webchat.maxConnectionsPerAddress", "3"));
            List<RawSocket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(RawSocket.open(uri));
                    assertThat(open.get(i).status).isEqualTo(101);
                }
                try (RawSocket fourth = RawSocket.open(uri)) {
                    assertThat(fourth.status).isEqualTo(429);
                    assertThat(fourth.responseHead).contains("X-Frame-Options");
                }
                try (RawSocket other = RawSocket.open(uri, Optional.of(OTHER_CLIENT), false)) {
                    assertThat(other.status).isEqualTo(101);
                }
                open.remove(0).close();
                Await.until(() -> {
                    try (RawSocket again = RawSocket.open(uri)) {
                        return again.status == 101;
                    } catch (IOException e) {
                        return false;
                    }
                }, "a slot given back when a socket closed");
            } finally {
                open.forEach(RawSocket::close);
            }
        }
    }

    @Nested
    @DisplayName("6. cannot frame the page or learn the server's version")
    class Headers {

        @Test
        @DisplayName("the page forbids framing and names no server; webchat.frameAncestors allows named sites")
        void framing() throws Exception {
            URI uri = start(Map.of());
            HttpResponse<String> page = get(uri.resolve("/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("Server")).isEmpty();
            web.close();

            Map<String, String> keys = new HashMap<>();
            keys.put("webchat.frameAncestors", "https://shop.example.com, self");
            uri = start(keys);
            page = get(uri.resolve("/"));
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("frame-ancestors https://shop.example.com 'self'");
            assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
        }

        @Test
        @DisplayName("Jetty's own error answers carry the security headers and no version: 404, 400 and a refused upgrade")
        void errorPages() throws Exception {
            URI uri = start(Map.of("webchat.allowedOrigins", "https://shop.example.com"));
            HttpResponse<String> missing = get(uri.resolve("/no-such-page"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertHardened(missing.headers().map(), missing.body());

            try (Socket socket = RawSocket.tcp(uri, Optional.empty())) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /%%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 400").contains("X-Frame-Options: DENY", "X-Content-Type-Options: nosniff")
                        .doesNotContainIgnoringCase("jetty");
            }

            try (Socket socket = RawSocket.tcp(uri, Optional.empty())) {
                socket.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example.com\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 403").contains("X-Frame-Options: DENY", "Content-Security-Policy:",
                        "webchat.allowedOrigins").doesNotContainIgnoringCase("jetty");
            }
        }

        private void assertHardened(Map<String, List<String>> headers, String body) {
            Map<String, List<String>> lower = new HashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
            assertThat(lower).containsKeys("x-frame-options", "content-security-policy", "x-content-type-options");
            assertThat(lower).doesNotContainKey("server");
            assertThat(body).doesNotContainIgnoringCase("jetty").doesNotContain("12.");
        }

        private HttpResponse<String> get(URI uri) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Reads one field of a frame the raw socket received. */
    static final class ChatClientJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        static String field(String frame, String name) {
            try {
                JsonNode node = JSON.readTree(frame);
                return node.path(name).asText();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + frame, e);
            }
        }
    }
}

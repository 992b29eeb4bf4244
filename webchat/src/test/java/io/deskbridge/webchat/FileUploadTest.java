package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The upload step of the chat socket protocol, on the example desk (which takes PNG, JPEG, GIF, PDF and plain text
 * files up to {@code example.maxFileSize}): a file is checked before its bytes travel, its bytes go over HTTP, and a
 * message carries it to the agent; each refusal says why.
 */
@DisplayName("File uploads through the web chat")
class FileUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WebChatFixture web;

    private void start(Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>();
        keys.put("desk", "example");
        keys.put("webchat.maxMessagesPerSecond", "1000");
        keys.put("example.joinDelay", "50ms");
        keys.put("example.queueUpdateInterval", "20ms");
        keys.put("example.readDelay", "10ms");
        keys.put("example.typingPause", "10ms");
        keys.put("example.maxFileSize", "2000");
        keys.putAll(extra);
        web = WebChatFixture.start(keys);
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
    }

    private ChatClient joined() {
        ChatClient client = ChatClient.greeted(web.uri());
        client.send("{\"type\":\"startChat\"}");
        awaitJoined(client);
        return client;
    }

    /** The chat started and Ada joined (in either order: the desk may confirm the start after the agent joined). */
    private static void awaitJoined(ChatClient client) {
        Await.until(() -> !client.all("chatStarted").isEmpty() && !client.all("agentJoined").isEmpty(), "the chat to start and Ada to join");
    }

    private static String upload(String fileId, String name, String type, long size) {
        return "{\"type\":\"upload\",\"fileId\":\"" + fileId + "\",\"fileName\":\"" + name + "\",\"contentType\":\"" + type
                + "\",\"size\":" + size + "}";
    }

    private HttpResponse<String> put(String path, byte[] body) {
        return put(path, body, Map.of());
    }

    private HttpResponse<String> put(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(web.uri().resolve(path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(body, e);
        }
    }

    @Test
    @DisplayName("a checked file is uploaded over HTTP, sent with a message, reaches the agent, and is reported sent")
    void fileReachesTheAgent() {
        start(Map.of());
        try (ChatClient client = joined()) {
            byte[] bytes = "an invoice, in plain text".getBytes(StandardCharsets.UTF_8);
            client.send(upload("f-1", "invoice.txt", "text/plain", bytes.length));
            JsonNode ready = client.await("uploadReady");
            assertThat(ready.path("fileId").asText()).isEqualTo("f-1");
            assertThat(ready.path("url").asText()).matches("/upload/[A-Za-z0-9_-]{43}");
            assertThat(ready.path("maxBytes").asLong()).isEqualTo(bytes.length);

            HttpResponse<String> response = put(ready.path("url").asText(), bytes);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response.body()).path("fileId").asText()).isEqualTo("f-1");

            client.send("{\"type\":\"message\",\"id\":\"m-1\",\"text\":\"\",\"files\":[\"f-1\"]}");
            // The desk reports the file before it confirms the message that carried it.
            assertThat(client.await("fileStatus").path("status").asText()).isEqualTo("sent");
            assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
            assertThat(client.await("agentMessage", f -> f.path("text").asText().contains("invoice.txt")).path("text").asText())
                    .contains("invoice.txt (" + bytes.length + " bytes)");
            assertThat(web.server.sessions().size()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("the URL is single-use: the same bytes sent twice are refused the second time")
    void singleUse() {
        start(Map.of());
        try (ChatClient client = joined()) {
            client.send(upload("f-1", "a.txt", "text/plain", 3));
            String url = client.await("uploadReady").path("url").asText();
            assertThat(put(url, new byte[3]).statusCode()).isEqualTo(200);
            HttpResponse<String> again = put(url, new byte[3]);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(json(again.body()).path("code").asText()).isEqualTo("UPLOAD_NOT_FOUND");
        }
    }

    @Nested
    @DisplayName("refusals, each with its reason")
    class Refusals {

        @Test
        @DisplayName("a type the desk does not take is refused before any byte travels, with the desk's reason")
        void typeRefusedByDesk() {
            start(Map.of());
            try (ChatClient client = joined()) {
                client.send(upload("f-1", "setup.exe", "application/x-msdownload", 10));
                JsonNode refused = client.await("uploadRefused");
                assertThat(refused.path("fileId").asText()).isEqualTo("f-1");
                assertThat(refused.path("code").asText()).isEqualTo("REFUSED_BY_DESK");
                assertThat(refused.path("messageToUser").asText()).contains("setup.exe", "application/x-msdownload");
                assertThat(client.all("uploadReady")).isEmpty();
            }
        }

        @Test
        @DisplayName("a file larger than the desk allows is refused by the desk's rules")
        void tooLargeForTheDesk() {
            start(Map.of());
            try (ChatClient client = joined()) {
                client.send(upload("f-1", "big.png", "image/png", 2001));
                JsonNode refused = client.await("uploadRefused");
                assertThat(refused.path("code").asText()).isEqualTo("REFUSED_BY_DESK");
                assertThat(refused.path("messageToUser").asText()).contains("big.png", "2000 bytes");
            }
        }

        @Test
        @DisplayName("a file larger than webchat.maxUploadBytes is refused by the server")
        void tooLargeForTheServer() {
            start(Map.of("webchat.maxUploadBytes", "1024"));
            try (ChatClient client = joined()) {
                client.send(upload("f-1", "photo.png", "image/png", 1500));
                JsonNode refused = client.await("uploadRefused");
                assertThat(refused.path("code").asText()).isEqualTo("FILE_TOO_LARGE");
                assertThat(refused.path("messageToUser").asText()).contains("photo.png", "1 KB");
            }
        }

        @Test
        @DisplayName("webchat.maxUploadBytes=0 turns uploads off")
        void uploadsOff() {
            start(Map.of("webchat.maxUploadBytes", "0"));
            try (ChatClient client = joined()) {
                client.send(upload("f-1", "a.txt", "text/plain", 3));
                assertThat(client.await("uploadRefused").path("code").asText()).isEqualTo("FILES_NOT_ACCEPTED");
            }
        }

        @Test
        @DisplayName("an upload before the chat started is refused with NO_CHAT")
        void noChat() {
            start(Map.of());
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                client.send(upload("f-1", "a.txt", "text/plain", 3));
                assertThat(client.await("uploadRefused").path("code").asText()).isEqualTo("NO_CHAT");
            }
        }

        @Test
        @DisplayName("a body that is not the announced size is refused and nothing is kept")
        void sizeMismatch() {
            start(Map.of());
            try (ChatClient client = joined()) {
                client.send(upload("f-1", "a.txt", "text/plain", 10));
                String url = client.await("uploadReady").path("url").asText();
                HttpResponse<String> response = put(url, new byte[11]);
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(json(response.body()).path("code").asText()).isEqualTo("SIZE_MISMATCH");
                client.send("{\"type\":\"message\",\"id\":\"m-1\",\"text\":\"here\",\"files\":[\"f-1\"]}");
                JsonNode bad = client.awaitBadRequest("INVALID_FIELD");
                assertThat(bad.path("messageToUser").asText()).contains("f-1", "was not uploaded");
                assertThat(bad.path("messageId").asText()).isEqualTo("m-1");
            }
        }

        @Test
        @DisplayName("an unknown upload URL answers 404 with UPLOAD_NOT_FOUND")
        void unknownUrl() {
            start(Map.of());
            HttpResponse<String> response = put("/upload/nope", new byte[1]);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response.body()).path("code").asText()).isEqualTo("UPLOAD_NOT_FOUND");
            assertThat(json(response.body()).path("messageToUser").asText()).isNotBlank();
        }

        @Test
        @DisplayName("a page of an origin not in webchat.allowedOrigins may not upload; an allowed one gets CORS headers")
        void origins() {
            start(Map.of("webchat.allowedOrigins", "http://shop.example"));
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                client.send("{\"type\":\"startChat\"}");
                awaitJoined(client);
                client.send(upload("f-1", "a.txt", "text/plain", 3));
                String url = client.await("uploadReady").path("url").asText();
                HttpResponse<String> evil = put(url, new byte[3], Map.of("Origin", "http://evil.example"));
                assertThat(evil.statusCode()).isEqualTo(403);
                assertThat(json(evil.body()).path("code").asText()).isEqualTo("ORIGIN_NOT_ALLOWED");
                assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
                HttpResponse<String> shop = put(url, new byte[3], Map.of("Origin", "http://shop.example"));
                assertThat(shop.statusCode()).isEqualTo(200);
                assertThat(shop.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://shop.example");
            }
        }

        @Test
        @DisplayName("malformed upload frames are refused with INVALID_FIELD naming the field")
        void malformed() {
            start(Map.of());
            try (ChatClient client = joined()) {
                client.send("{\"type\":\"upload\",\"fileId\":\"f\",\"fileName\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":-1}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("upload.size");
                client.send("{\"type\":\"upload\",\"fileId\":\"f\",\"fileName\":\"a.txt\",\"contentType\":\"not a type\",\"size\":1}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("upload.contentType");
                client.send("{\"type\":\"message\",\"id\":\"m\",\"text\":\"x\",\"files\":\"f\"}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("message.files");
            }
        }
    }

    @Test
    @DisplayName("the adapter module is served with CORS for allowed page origins")
    void adapterServedWithCors() throws Exception {
        start(Map.of("webchat.allowedOrigins", "http://shop.example"));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(web.uri().resolve("/deskbridge-service-desk.js"))
                .header("Origin", "http://shop.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://shop.example");
        assertThat(response.body()).contains("export function createDeskbridgeServiceDesk");
        assertThat(List.of(response.headers().allValues("Vary").toString())).anyMatch(v -> v.contains("Origin"));
    }
}

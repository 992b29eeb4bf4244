package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.RecordingCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The desk against a loopback Genesys that answers with frames recorded in the tests of Genesys's messenger transport
 * SDK ({@code MyPureCloud/genesys-messenger-transport-mobile-sdk},
 * {@code transport/src/androidUnitTest/kotlin/transport/util/Response.kt}), in an order the simulator cannot script:
 * an uncorrelated frame between a request and its own answer.
 */
@DisplayName("Web messaging against a loopback Genesys replaying recorded frames")
class WebMessagingLoopbackGenesysTest {
    private static final String DEPLOYMENT = "loopback-deployment";
    /** The text the loopback Genesys refuses as too long (Response.kt messageTooLong), after an unrelated frame. */
    private static final String REFUSED = "refused by Genesys";

    private LoopbackGenesys genesys;
    private Deskbridge runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (genesys != null) {
            genesys.close();
        }
    }

    @Test
    @DisplayName("A GenerateUrlError (code 200, no tracingId) arriving before Genesys refuses a text does not deliver the text")
    void generateUrlErrorDoesNotConfirmAText() {
        genesys = new LoopbackGenesys(List.of(
                // Response.kt generateUrlError: the answer to some attachment request, uncorrelated.
                "{\"type\":\"message\",\"class\":\"GenerateUrlError\",\"code\":200,\"body\":{\"attachmentId\":\"test_attachment_id\","
                        + "\"errorCode\":4001,\"errorMessage\":\"This is a generic error message for testing.\"}}"));
        ServiceDesk desk = desk(new RecordingCallback());
        await(desk.startChat(ConnectRequest.of("billing", "The user asks about an invoice"), StartChatOptions.none()));

        Throwable failure = awaitFailure(desk.sendMessageToAgent(new UserMessage("m-refused", REFUSED)));

        assertThat(failure).hasMessageContaining("4011");
        // The desk is not confused afterwards: the next text is confirmed by its own echo.
        await(desk.sendMessageToAgent(new UserMessage("m-next", "a shorter one")));
        assertThat(genesys.texts).containsExactly("The user asks about an invoice\nTopic: billing", REFUSED, "a shorter one");
    }

    private ServiceDesk desk(RecordingCallback callback) {
        Map<String, String> values = new HashMap<>();
        values.put("desk", "genesys");
        values.put("genesys.deploymentId", DEPLOYMENT);
        values.put("genesys.webMessagingUrl", genesys.socketUrl().toString());
        values.put("genesys.apiBaseUrl", genesys.httpUrl().toString());
        values.put("genesys.deploymentConfigBaseUrl", genesys.httpUrl().toString());
        values.put("genesys.loginBaseUrl", genesys.httpUrl().toString());
        values.put("genesys.organizationId", "test-organization");
        values.put("genesys.queueName", "Web Messaging Queue");
        values.put("genesys.webMessagingSendTimeout", "8s");
        runtime = Deskbridge.builder().configuration(Configuration.of(values))
                .providers(ServiceDeskProviders.of(List.of(new io.deskbridge.genesys.GenesysServiceDeskProvider()))).build();
        return runtime.getInstance(ServiceDeskFactory.class).create(new DeskContext("loopback-chat", callback));
    }

    /**
     * A web messaging socket and a deployment configuration on loopback ports. It answers {@code configureSession},
     * {@code echo} and {@code getJwt} as Genesys does, echoes each accepted message, and refuses the text
     * {@link #REFUSED} with 4011 after writing {@code before} uncorrelated.
     */
    private static final class LoopbackGenesys extends WebSocketServer implements AutoCloseable {
        private final ObjectMapper json = new ObjectMapper();
        private final List<String> before;
        private final CountDownLatch started = new CountDownLatch(1);
        private final HttpServer http;
        final List<String> texts = new CopyOnWriteArrayList<>();

        LoopbackGenesys(List<String> before) {
            super(new InetSocketAddress("127.0.0.1", 0), 1);
            this.before = List.copyOf(before);
            setReuseAddr(true);
            start();
            try {
                if (!started.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the loopback socket did not start");
                }
                http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // A default deployment's configuration, in the shape of the SDK's DeploymentConfig.kt.
            String config = "{\"id\":\"" + DEPLOYMENT + "\",\"version\":\"1\",\"languages\":[\"en-us\"],\"defaultLanguage\":\"en-us\","
                    + "\"apiEndpoint\":\"" + httpUrl() + "\",\"messenger\":{\"enabled\":true,\"apps\":{\"conversations\":{\"messagingEndpoint\":\""
                    + socketUrl() + "\"}},\"styles\":{\"primaryColor\":\"#ff4f1f\"},\"launcherButton\":{\"visibility\":\"On\"},"
                    + "\"fileUpload\":{\"modes\":[]}},\"journeyEvents\":{\"enabled\":false},\"status\":\"Active\",\"auth\":{\"enabled\":false}}";
            http.createContext("/webdeployments/v1/deployments/" + DEPLOYMENT + "/config.json", exchange -> {
                byte[] body = config.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();
        }

        URI socketUrl() {
            return URI.create("ws://127.0.0.1:" + getPort() + "/v1");
        }

        URI httpUrl() {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket connection, Exception e) {
        }

        @Override
        public void onMessage(WebSocket connection, String text) {
            JsonNode request;
            try {
                request = json.readTree(text);
            } catch (IOException e) {
                return;
            }
            String tracingId = request.path("tracingId").asText();
            switch (request.path("action").asText()) {
                case "configureSession" -> connection.send("{\"type\":\"response\",\"class\":\"SessionResponse\",\"code\":200,\"body\":"
                        + "{\"connected\":true,\"newSession\":true,\"readOnly\":false,\"maxCustomDataBytes\":2048},\"tracingId\":\"" + tracingId + "\"}");
                case "echo" -> connection.send("{\"type\":\"response\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"text\":\"ping\","
                        + "\"type\":\"Text\",\"direction\":\"Inbound\",\"id\":\"echo_id\"},\"tracingId\":\"" + tracingId + "\"}");
                case "getJwt" -> connection.send("{\"type\":\"response\",\"class\":\"JwtResponse\",\"code\":200,\"body\":{\"jwt\":\"some_jwt\","
                        + "\"exp\":4102444800},\"tracingId\":\"" + tracingId + "\"}");
                case "onMessage" -> answer(connection, request.path("message"), tracingId);
                default -> { }
            }
        }

        private void answer(WebSocket connection, JsonNode message, String tracingId) {
            if (message.path("type").asText().equals("Text")) {
                texts.add(message.path("text").asText());
                if (message.path("text").asText().equals(REFUSED)) {
                    before.forEach(connection::send);
                    connection.send("{\"type\":\"response\",\"class\":\"string\",\"code\":4011,\"body\":\"message too long\",\"tracingId\":\""
                            + tracingId + "\"}");
                    return;
                }
            }
            // The echo: the guest's message as Genesys stored it, answering the request.
            ObjectNode stored = message.deepCopy();
            String id = UUID.randomUUID().toString();
            stored.put("id", id).put("direction", "Inbound");
            ObjectNode channel = stored.has("channel") && stored.get("channel").isObject() ? (ObjectNode) stored.get("channel")
                    : stored.putObject("channel");
            channel.put("time", "2022-08-22T19:24:26.704Z").put("messageId", id);
            ObjectNode frame = json.createObjectNode().put("type", "message").put("class", "StructuredMessage").put("code", 200);
            frame.set("body", stored);
            frame.put("tracingId", tracingId);
            connection.send(frame.toString());
        }

        @Override
        public void close() {
            http.stop(0);
            try {
                stop(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

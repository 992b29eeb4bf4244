package io.deskbridge.genesys.webmessaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A loopback WebSocket relay between the desk and the simulator that reshapes what the simulator sends into what
 * Genesys's messenger SDK's recorded frames look like, so tests do not lean on the simulator's habits (for example,
 * {@link #SDK_SHAPES} takes the {@code tracingId} off every answer but message echoes, as in the SDK's
 * {@code Response.kt}). Each desk socket gets its own socket to the simulator, with the desk's Origin; closes travel
 * both ways.
 */
final class GenesysFrameRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The SDK's recorded shapes: {@code SessionResponse}, {@code JwtResponse}, {@code PresignedUrlResponse} and
     * {@code string} errors carry no {@code tracingId}; a {@code StructuredMessage} keeps it.
     */
    static final UnaryOperator<ObjectNode> SDK_SHAPES = frame -> {
        if (!"StructuredMessage".equals(frame.path("class").asText())) {
            frame.remove("tracingId");
        }
        return frame;
    };

    private final Server server;
    private final UnaryOperator<ObjectNode> reshape;
    private final Map<WebSocket, WebSocketClient> upstreams = new ConcurrentHashMap<>();
    private final List<String> requestPaths = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> deskRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<ObjectNode, String>> answers = new ConcurrentHashMap<>();
    private volatile URI upstream;

    /** A relay, started, that reshapes every JSON frame from the simulator with {@code reshape}. */
    GenesysFrameRelay(UnaryOperator<ObjectNode> reshape) {
        this.reshape = reshape;
        server = new Server();
        server.setReuseAddr(true);
        server.start();
        try {
            if (!server.started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the relay did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the desk connects: {@code ws://127.0.0.1:port/v1}. */
    URI socketUrl() {
        return URI.create("ws://127.0.0.1:" + server.getPort() + "/v1");
    }

    /** The simulator's socket URL; set before the desk connects. */
    void upstream(URI socketUrl) {
        this.upstream = socketUrl;
    }

    /**
     * Answers the desk's requests with {@code action} here, with the frame {@code answer} gives for the request,
     * instead of relaying them: for Genesys's answers the simulator does not give as the SDK's fixtures record them.
     */
    void answer(String action, Function<ObjectNode, String> answer) {
        answers.put(action, answer);
    }

    /** Every JSON request the desk sent, relayed or answered here, in order. */
    List<ObjectNode> deskRequests() {
        return List.copyOf(deskRequests);
    }

    /** The path and query of every socket the desk opened, in order. */
    List<String> requestPaths() {
        return List.copyOf(requestPaths);
    }

    @Override
    public void close() {
        upstreams.values().forEach(WebSocketClient::close);
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String reshaped(String text) {
        try {
            JsonNode frame = JSON.readTree(text);
            return frame instanceof ObjectNode object ? JSON.writeValueAsString(reshape.apply(object)) : text;
        } catch (Exception e) {
            return text; // not JSON: relayed as it is
        }
    }

    private static Optional<ObjectNode> request(String text) {
        try {
            return JSON.readTree(text) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Server() {
            super(new InetSocketAddress("127.0.0.1", 0), 1);
        }

        @Override
        public void onOpen(WebSocket desk, ClientHandshake handshake) {
            String resource = handshake.getResourceDescriptor();
            requestPaths.add(resource);
            String base = upstream.toString();
            URI target = URI.create(base.substring(0, base.indexOf("/v1")) + resource);
            WebSocketClient client = new WebSocketClient(target, Optional.ofNullable(handshake.getFieldValue("Origin"))
                    .filter(o -> !o.isEmpty()).map(o -> Map.of("Origin", o)).orElse(Map.of())) {
                @Override
                public void onOpen(ServerHandshake handshakedata) {}

                @Override
                public void onMessage(String message) {
                    if (desk.isOpen()) {
                        desk.send(reshaped(message));
                    }
                }

                @Override
                public void onClose(int code, String reason, boolean remote) {
                    desk.close(code < 1000 || code == 1005 || code == 1006 ? 1000 : code, reason);
                }

                @Override
                public void onError(Exception ex) {}
            };
            upstreams.put(desk, client);
            try {
                if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
                    desk.close(1011, "the simulator did not answer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                desk.close(1011, "interrupted");
            }
        }

        @Override
        public void onClose(WebSocket desk, int code, String reason, boolean remote) {
            WebSocketClient client = upstreams.remove(desk);
            if (client != null) {
                client.close();
            }
        }

        @Override
        public void onMessage(WebSocket desk, String message) {
            Optional<ObjectNode> request = request(message);
            request.ifPresent(deskRequests::add);
            Optional<Function<ObjectNode, String>> answer = request.map(r -> answers.get(r.path("action").asText()));
            if (answer.isPresent()) {
                desk.send(answer.get().apply(request.get()));
                return;
            }
            WebSocketClient client = upstreams.get(desk);
            if (client != null && client.isOpen()) {
                client.send(message);
            }
        }

        @Override
        public void onError(WebSocket desk, Exception ex) {}

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}

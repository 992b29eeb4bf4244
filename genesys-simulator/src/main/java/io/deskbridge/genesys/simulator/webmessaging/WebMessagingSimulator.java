package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.deskbridge.genesys.simulator.HandshakeFaults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genesys Cloud Web Messaging on loopback: the guest socket at {@link #socketUrl()} ({@code ws://127.0.0.1:PORT/v1}),
 * and at {@link #apiBaseUrl()} the history endpoint {@code GET /api/v2/webmessaging/messages} (bearer JWT from
 * {@code getJwt}) and the pre-signed upload URLs it hands out.
 *
 * <pre>{@code
 * try (WebMessagingSimulator genesys = WebMessagingSimulator.start(MessengerDeployment.defaults("dep-1"))) {
 *     // genesys.webMessagingUrl = genesys.socketUrl(), genesys.apiBaseUrl = genesys.apiBaseUrl()
 *     SimulatedWebMessagingSession session = genesys.awaitSession(Duration.ofSeconds(5));
 *     session.agentJoins("Ada", Optional.empty());
 *     session.agentSends("Hello, how can I help?");
 * }
 * }</pre>
 *
 * Every frame a guest sends is kept in {@link #receivedFrames()} for protocol tests. The server uses the
 * Java-WebSocket library's selector thread and the JDK HTTP server's; it is a test and development tool, not a
 * production component.
 *
 * <p><b>Next to the platform API.</b> Genesys serves the history on the same host as its platform API (OAuth aside):
 * queue lookup, queue observations, estimated wait. {@link Builder#platformApi(URI)} forwards every REST request this
 * simulator does not serve itself to such an API (a {@code GenesysSimulator}'s {@code apiBaseUrl()}), so that one
 * {@code genesys.apiBaseUrl} reaches both. To serve the web messaging REST endpoints from another HTTP server instead,
 * mount {@link #restHandler()} there for the paths {@link #REST_PATHS} and tell the builder where
 * ({@link Builder#publicApiBaseUrl(URI)}); {@link #addSessionListener} announces each new session (for an agent
 * console).
 */
public final class WebMessagingSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingSimulator.class);

    /**
     * Where the deployment's configuration is served, as on Genesys's CDN ({@code https://api-cdn.{domain}}):
     * {@code /webdeployments/v1/deployments/{deploymentId}/config.json}. This simulator serves it on
     * {@link #apiBaseUrl()}.
     */
    public static final String CONFIG_PATH_PREFIX = "/webdeployments/v1/deployments/";

    /** The path prefixes of the REST endpoints this simulator serves: the history, the pre-signed uploads, the deployment's configuration. */
    public static final List<String> REST_PATHS = List.of("/api/v2/webmessaging/messages", "/uploads/", CONFIG_PATH_PREFIX);


    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final AtomicReference<MessengerDeployment> deployment;
    private final Map<String, SimulatedWebMessagingSession> sessions = new ConcurrentHashMap<>();
    private final Map<WebSocket, SimulatedWebMessagingSession> bySocket = new ConcurrentHashMap<>();
    private final Map<String, SimulatedWebMessagingSession> byJwt = new ConcurrentHashMap<>();
    private final Map<String, PendingUpload> uploads = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<SimulatedWebMessagingSession> newSessions = new LinkedBlockingQueue<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Optional<int[]>> rejectNext = new AtomicReference<>(Optional.empty());
    private final HandshakeFaults handshakeFaults = new HandshakeFaults();
    private final java.util.concurrent.atomic.AtomicInteger configRequests = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Optional<String>> handshakeOrigins = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicReference<Boolean> readOnlyNext = new AtomicReference<>(false);
    private final List<Consumer<SimulatedWebMessagingSession>> sessionListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<SimulatedWebMessagingSession, JsonNode>> inboundListeners = new CopyOnWriteArrayList<>();
    private final Optional<URI> platformApi;
    private final Optional<URI> publicApiBaseUrl;
    private final HttpClient forwarder;
    private final Server server;
    private final HttpServer http;

    private record PendingUpload(SimulatedWebMessagingSession session, String fileName, String fileType, long fileSize) {}

    private WebMessagingSimulator(Builder builder) throws IOException {
        this.deployment = new AtomicReference<>(builder.deployment);
        this.clock = builder.clock;
        this.platformApi = builder.platformApi;
        this.publicApiBaseUrl = builder.publicApiBaseUrl;
        this.forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", builder.apiPort), 0);
        http.createContext("/", restHandler());
        http.start();
        this.server = new Server(new InetSocketAddress("127.0.0.1", builder.socketPort));
        server.setReuseAddr(true);
        server.start();
        try {
            if (!server.started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the web messaging simulator did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the web messaging simulator", e);
        }
    }

    /** Starts a simulator on ephemeral loopback ports. */
    public static WebMessagingSimulator start(MessengerDeployment deployment) {
        return builder(deployment).start();
    }

    /** Starts a simulator whose session expiry and rate limit follow {@code clock}. */
    public static WebMessagingSimulator start(MessengerDeployment deployment, Clock clock) {
        return builder(deployment).clock(clock).start();
    }

    /** A builder of a simulator of {@code deployment}: ephemeral loopback ports and the system clock unless set. */
    public static Builder builder(MessengerDeployment deployment) {
        return new Builder(deployment);
    }

    /** How a simulator starts. */
    public static final class Builder {
        private final MessengerDeployment deployment;
        private Clock clock = Clock.systemUTC();
        private int socketPort;
        private int apiPort;
        private Optional<URI> platformApi = Optional.empty();
        private Optional<URI> publicApiBaseUrl = Optional.empty();

        private Builder(MessengerDeployment deployment) {
            this.deployment = requireNonNull(deployment, "deployment is null");
        }

        /** The clock of session expiry, the rate limit and message times. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** The loopback port of the guest socket (0, the default: any free port). */
        public Builder socketPort(int port) {
            this.socketPort = checkPort(port);
            return this;
        }

        /** The loopback port of the REST endpoints (0, the default: any free port). */
        public Builder apiPort(int port) {
            this.apiPort = checkPort(port);
            return this;
        }

        /**
         * Forwards every REST request outside {@link #REST_PATHS} to this platform API (method, path, query, headers
         * and body; the answer comes back as it is), so that {@link #apiBaseUrl()} also serves OAuth-protected queue
         * lookup, observations and estimated wait. Without it such requests get 404.
         */
        public Builder platformApi(URI baseUrl) {
            this.platformApi = Optional.of(requireNonNull(baseUrl, "baseUrl is null"));
            return this;
        }

        /**
         * Where guests reach {@link #restHandler()} when another server mounts it: the base of the pre-signed upload
         * URLs. Default: this simulator's own {@link #apiBaseUrl()}.
         */
        public Builder publicApiBaseUrl(URI baseUrl) {
            this.publicApiBaseUrl = Optional.of(requireNonNull(baseUrl, "baseUrl is null"));
            return this;
        }

        /** Starts the simulator. */
        public WebMessagingSimulator start() {
            try {
                return new WebMessagingSimulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the web messaging simulator: " + e.getMessage(), e);
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            return port;
        }
    }

    /** The socket base URL, for {@code genesys.webMessagingUrl}. */
    public URI socketUrl() {
        return URI.create("ws://127.0.0.1:" + server.getPort() + "/v1");
    }

    /** The REST base URL, for {@code genesys.apiBaseUrl}. */
    public URI apiBaseUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /**
     * The REST endpoints ({@link #REST_PATHS}), for mounting on another {@code com.sun.net.httpserver.HttpServer};
     * requests outside them are forwarded to {@link Builder#platformApi(URI)} or answered 404.
     */
    public HttpHandler restHandler() {
        return exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(REST_PATHS.get(0))) {
                history(exchange);
            } else if (path.startsWith(REST_PATHS.get(1))) {
                upload(exchange);
            } else if (path.startsWith(CONFIG_PATH_PREFIX)) {
                deploymentConfig(exchange, path);
            } else {
                forward(exchange);
            }
        };
    }

    /**
     * Calls {@code listener} with each session a guest configures from now on (on the server's thread, after the
     * {@code SessionResponse} went out). {@link #awaitSession(Duration)} sees the same sessions.
     */
    public void addSessionListener(Consumer<SimulatedWebMessagingSession> listener) {
        sessionListeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * Calls {@code listener} with each message a guest sends ({@code onMessage} that the session accepted: text, typing
     * and presence events), as the guest sent it, on the server's thread the moment it is recorded and before its echo
     * goes out. For measuring when a message reaches the vendor (the benchmark) without polling.
     */
    public void addInboundListener(BiConsumer<SimulatedWebMessagingSession, JsonNode> listener) {
        inboundListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Every session guests configured (or tests preset), in no particular order. */
    public List<SimulatedWebMessagingSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /**
     * A session for {@code token} that exists before any guest configures it (a returning guest's), for scripting it
     * in advance, for example {@link SimulatedWebMessagingSession#makeReadOnly()}. Not announced as new when the
     * guest then configures it.
     */
    public SimulatedWebMessagingSession presetSession(String token) {
        requireNonNull(token, "token is null");
        return sessions.computeIfAbsent(token, t -> new SimulatedWebMessagingSession(t, this, json, clock));
    }

    /**
     * The next {@code configureSession} of an unknown token finds its conversation already disconnected read-only (as
     * {@link SimulatedWebMessagingSession#makeReadOnly()}): it answers {@code readOnly: true} until the guest sends
     * {@code configureSession} with {@code startNew: true}.
     */
    public void readOnlyNextNewSession() {
        readOnlyNext.set(true);
    }

    public MessengerDeployment deployment() {
        return deployment.get();
    }

    /** Changes the deployment's behaviour for what follows. */
    public void setDeployment(MessengerDeployment changed) {
        deployment.set(requireNonNull(changed, "changed is null"));
    }

    /** The next session a guest configured, in order, each once; waits at most {@code timeout}. */
    public SimulatedWebMessagingSession awaitSession(Duration timeout) {
        try {
            SimulatedWebMessagingSession session = newSessions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (session == null) {
                throw new AssertionError("no web messaging session was configured within " + timeout);
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a web messaging session", e);
        }
    }

    /** The session of a token, if a guest configured it. */
    public Optional<SimulatedWebMessagingSession> session(String token) {
        return Optional.ofNullable(sessions.get(token));
    }

    /** The next {@code configureSession} of a new token is refused with {@code code}. */
    public void rejectNextSession(int code) {
        rejectNext.set(Optional.of(new int[] {code}));
    }

    /**
     * The next {@code count} socket handshakes are answered {@code 500 Internal Server Error} and no socket opens, as a
     * failing gateway in front of Genesys may answer (simulator choice: Genesys documents no handshake errors).
     */
    public void failNextHandshakes(int count) {
        handshakeFaults.failNext(count);
    }

    /** How many socket handshakes {@link #failNextHandshakes} made fail so far. */
    public int failedHandshakes() {
        return handshakeFaults.failed();
    }

    /** Every frame guests sent, parsed, in arrival order. */
    public List<JsonNode> receivedFrames() {
        return List.copyOf(received);
    }

    /** How many WebSocket pings guests sent (keep-alive). */
    public int pingsReceived() {
        return pings.get();
    }

    /** The {@code Origin} header of each socket handshake, in order (empty: none sent). */
    public List<Optional<String>> handshakeOrigins() {
        return List.copyOf(handshakeOrigins);
    }

    @Override
    public void close() {
        try {
            server.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
    }

    // ---------------------------------------------------------------- socket

    private final class Server extends WebSocketServer {
        @Override
        public void onWebsocketPing(WebSocket connection, org.java_websocket.framing.Framedata frame) {
            pings.incrementAndGet();
            super.onWebsocketPing(connection, frame);
        }

        final CountDownLatch started = new CountDownLatch(1);

        Server(InetSocketAddress address) {
            super(address, 1);
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket connection, Draft draft,
                ClientHandshake request) throws InvalidDataException {
            handshakeFaults.check();
            Optional<String> origin = Optional.ofNullable(request.getFieldValue("Origin")).filter(o -> !o.isEmpty());
            handshakeOrigins.add(origin);
            Set<String> allowed = deployment.get().allowedOrigins();
            if (!allowed.isEmpty() && origin.filter(allowed::contains).isEmpty()) {
                // A deployment restricted to some domains refuses a socket from anywhere else.
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin not allowed");
            }
            return super.onWebsocketHandshakeReceivedAsServer(connection, draft, request);
        }

        @Override
        public void onOpen(WebSocket connection, ClientHandshake handshake) {
            String resource = handshake.getResourceDescriptor();
            String expected = "deploymentId=" + deployment.get().deploymentId();
            if (!resource.startsWith("/v1") || !resource.contains(expected)) {
                connection.close(4000 + 3, "unknown deployment");
            }
        }

        @Override
        public void onClose(WebSocket connection, int code, String reason, boolean remote) {
            SimulatedWebMessagingSession session = bySocket.remove(connection);
            if (session != null) {
                session.detach(connection);
            }
        }

        @Override
        public void onMessage(WebSocket connection, String message) {
            try {
                handle(connection, message);
            } catch (RuntimeException e) {
                LOG.warn("the web messaging simulator failed on a frame", e);
                send(connection, errorFrame(400, "Request failed.", null));
            }
        }

        @Override
        public void onError(WebSocket connection, Exception ex) {
            LOG.debug("web messaging simulator socket error: {}", ex.toString());
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }

    private void handle(WebSocket connection, String text) {
        JsonNode request;
        try {
            request = json.readTree(text);
        } catch (JsonProcessingException e) {
            send(connection, errorFrame(400, "Request failed.", null));
            return;
        }
        received.add(request);
        String action = request.path("action").asText("");
        String tracingId = request.hasNonNull("tracingId") ? request.get("tracingId").asText() : null;
        String token = request.path("token").asText("");
        if (token.isEmpty() || token.length() > 2048) {
            send(connection, errorFrame(4020, "missing or invalid token", tracingId));
            return;
        }
        if (action.equals("configureSession") || action.equals("configureAuthenticatedSession")) {
            configure(connection, request, action, token, tracingId);
            return;
        }
        SimulatedWebMessagingSession session = bySocket.get(connection);
        if (session == null || !session.token().equals(token)) {
            send(connection, errorFrame(4007, "session not found error message", tracingId));
            return;
        }
        if (session.isExpired()) {
            send(connection, errorFrame(4006, "session expired error message", tracingId));
            return;
        }
        switch (action) {
            case "onMessage" -> onMessage(connection, session, request.path("message"), tracingId);
            case "echo" -> {
                if (!session.ignoresEchoes()) {
                    ObjectNode echo = json.createObjectNode().put("text", request.path("message").path("text").asText("ping"))
                            .put("type", "Text").put("direction", "Inbound").put("id", UUID.randomUUID().toString());
                    // Genesys tells how long the session lives on without activity, and when it expires.
                    echo.putObject("metadata").put("durationSeconds", String.valueOf(deployment.get().sessionDuration().toSeconds()))
                            .put("expirationDate", String.valueOf(session.expiresAt().getEpochSecond()));
                    send(connection, session.frame("response", "StructuredMessage", 200, echo, tracingId));
                }
            }
            case "getJwt" -> {
                String jwt = "sim-jwt-" + UUID.randomUUID();
                byJwt.put(jwt, session);
                ObjectNode body = json.createObjectNode().put("jwt", jwt).put("exp", clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
                send(connection, session.frame("response", "JwtResponse", 200, body, tracingId));
            }
            case "closeSession" -> {
                // Closes the session's sockets only: the conversation goes on at Genesys (the messenger SDK sends it
                // before starting a new chat).
                for (WebSocket other : List.copyOf(session.connections())) {
                    send(other, session.frame("message", "ConnectionClosedEvent", 200, json.createObjectNode(), other == connection ? tracingId : null));
                    session.detach(other);
                    bySocket.remove(other);
                    other.close(1000, "session closed");
                }
            }
            case "onAttachment" -> onAttachment(connection, session, request, tracingId);
            default -> send(connection, errorFrame(400, "Request failed.", tracingId));
        }
    }

    private void configure(WebSocket connection, JsonNode request, String action, String token, String tracingId) {
        MessengerDeployment dep = deployment.get();
        if (!dep.deploymentId().equals(request.path("deploymentId").asText())) {
            send(connection, errorFrame(4020, "unknown deploymentId", tracingId));
            return;
        }
        if (dep.authenticationRequired()) {
            if (action.equals("configureSession")) {
                send(connection, errorFrame(401, "User is unauthorized", tracingId));
                return;
            }
            if (!dep.validAuthCodes().contains(request.path("data").path("code").asText())) {
                send(connection, errorFrame(401, "User is unauthorized", tracingId));
                return;
            }
        }
        SimulatedWebMessagingSession existing = sessions.get(token);
        if (existing != null && existing.isDropped()) {
            dropAbnormally(connection, "simulated outage");
            return;
        }
        if (existing == null) {
            Optional<int[]> reject = rejectNext.getAndSet(Optional.empty());
            if (reject.isPresent()) {
                send(connection, errorFrame(reject.get()[0], reject.get()[0] == 403 ? "HTTP authorization error" : "Request failed.", tracingId));
                return;
            }
        } else if (existing.isExpired()) {
            send(connection, errorFrame(4006, "session expired error message", tracingId));
            return;
        }
        boolean created = existing == null;
        SimulatedWebMessagingSession session = created ? new SimulatedWebMessagingSession(token, this, json, clock) : existing;
        if (created) {
            sessions.put(token, session);
            if (readOnlyNext.getAndSet(false)) {
                session.makeReadOnly();
            }
        }
        if (request.path("startNew").asBoolean(false) && session.isReadOnly()) {
            session.startNew();
        }
        SimulatedWebMessagingSession previous = bySocket.put(connection, session);
        if (previous != null && previous != session) {
            previous.detach(connection);
        }
        session.attach(connection);
        ObjectNode body = json.createObjectNode();
        body.put("connected", true);
        body.put("newSession", created);
        body.put("readOnly", session.isReadOnly());
        if (!dep.allowedFileTypes().isEmpty()) {
            ObjectNode inbound = body.putObject("allowedMedia").putObject("inbound");
            ArrayNode types = inbound.putArray("fileTypes");
            dep.allowedFileTypes().forEach(t -> types.addObject().put("type", t));
            inbound.put("maxFileSizeKB", dep.maxFileSizeKB());
        }
        ArrayNode blocked = body.putArray("blockedExtensions");
        dep.blockedExtensions().forEach(blocked::add);
        body.put("maxCustomDataBytes", dep.maxCustomDataBytes());
        body.put("durationSeconds", dep.sessionDuration().toSeconds());
        body.put("expirationDate", session.expiresAt().getEpochSecond());
        send(connection, session.frame("response", "SessionResponse", 200, body, tracingId));
        if (created) {
            newSessions.add(session);
            for (Consumer<SimulatedWebMessagingSession> listener : sessionListeners) {
                try {
                    listener.accept(session);
                } catch (RuntimeException e) {
                    LOG.warn("a web messaging session listener failed", e);
                }
            }
        }
    }

    private void onMessage(WebSocket connection, SimulatedWebMessagingSession session, JsonNode message, String tracingId) {
        int retryAfter = session.rateLimit();
        if (retryAfter > 0) {
            ObjectNode body = json.createObjectNode().put("retryAfter", retryAfter).put("errorCode", 4029)
                    .put("errorMessage", "Message rate too high for this session");
            send(connection, session.frame("response", "TooManyRequestsErrorMessage", 429, body, tracingId));
            return;
        }
        String type = message.path("type").asText();
        if (type.equals("Event") && hasEvent(message, "Typing", "On") && !deployment.get().showUserTypingIndicator()) {
            // As Genesys: the refusal of a typing event the deployment does not show carries no tracingId.
            send(connection, errorFrame(403, "Turn on the Feature Toggle or fix the configuration.", null));
            return;
        }
        boolean clear = type.equals("Event") && hasEvent(message, "Presence", "Clear");
        if (clear) {
            if (!deployment.get().clearEnabled()) {
                send(connection, errorFrame(403, "Presence events Conversation Clear are not supported", tracingId));
                return;
            }
            session.markEndedByUser();
            session.clear();
            for (WebSocket other : List.copyOf(session.connections())) {
                send(other, session.frame("message", "SessionClearedEvent", 200, json.createObjectNode(), other == connection ? tracingId : null));
                if (other != connection) {
                    send(other, session.frame("message", "ConnectionClosedEvent", 200, json.createObjectNode(), null));
                }
            }
            return;
        }
        if (session.isReadOnly()) {
            send(connection, errorFrame(409, "Session is read-only, no new messages allowed", tracingId));
            return;
        }
        if (type.equals("Text")) {
            Optional<int[]> failure = session.takeFailure();
            if (failure.isPresent()) {
                send(connection, errorFrame(failure.get()[0], session.failureText(), tracingId));
                return;
            }
            if (message.path("text").asText("").length() > deployment.get().maxTextLength()) {
                send(connection, errorFrame(4011, "message too long", tracingId));
                return;
            }
            JsonNode attributes = message.path("channel").path("metadata").path("customAttributes");
            if (!attributes.isMissingNode()) {
                int size = attributes.toString().getBytes(StandardCharsets.UTF_8).length;
                if (size > deployment.get().maxCustomDataBytes()) {
                    send(connection, errorFrame(4013, "Custom Attributes in channel metadata is larger than "
                            + deployment.get().maxCustomDataBytes() + " bytes", tracingId));
                    return;
                }
            }
            for (JsonNode content : message.path("content")) {
                String id = content.path("attachment").path("id").asText();
                if (content.path("contentType").asText().equals("Attachment") && uploads.containsKey(id)) {
                    send(connection, errorFrame(4010, "attachment not uploaded", tracingId));
                    return;
                }
            }
        }
        ObjectNode stored = session.recordInbound(message);
        for (BiConsumer<SimulatedWebMessagingSession, JsonNode> listener : inboundListeners) {
            try {
                listener.accept(session, message);
            } catch (RuntimeException e) {
                LOG.warn("a web messaging inbound listener failed", e);
            }
        }
        for (WebSocket other : session.connections()) {
            send(other, session.frame("message", "StructuredMessage", 200, stored, other == connection ? tracingId : null));
        }
    }

    private void onAttachment(WebSocket connection, SimulatedWebMessagingSession session, JsonNode request, String tracingId) {
        MessengerDeployment dep = deployment.get();
        String fileName = request.path("fileName").asText("");
        String fileType = request.path("fileType").asText("").toLowerCase(Locale.ROOT);
        long size = request.path("fileSize").asLong(0);
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot).toLowerCase(Locale.ROOT);
        boolean errorsAsJson = request.path("errorsAsJson").asBoolean(false);
        String attachmentIdAsked = request.path("attachmentId").asText("");
        if (fileName.isBlank()) {
            send(connection, fileError(errorsAsJson, attachmentIdAsked, 4004, "file name invalid", tracingId));
            return;
        }
        boolean typeAllowed = dep.allowedFileTypes().stream().map(t -> t.toLowerCase(Locale.ROOT))
                .anyMatch(t -> t.equals("*/*") || t.equals(fileType) || t.endsWith("/*") && fileType.startsWith(t.substring(0, t.length() - 1)));
        if (!typeAllowed || dep.blockedExtensions().contains(extension)) {
            send(connection, fileError(errorsAsJson, attachmentIdAsked, 4001, "file type invalid", tracingId));
            return;
        }
        if (size > dep.maxFileSizeKB() * 1024) {
            send(connection, fileError(errorsAsJson, attachmentIdAsked, 4002, "file size invalid", tracingId));
            return;
        }
        String attachmentId = request.path("attachmentId").asText(UUID.randomUUID().toString());
        uploads.put(attachmentId, new PendingUpload(session, fileName, fileType, size));
        ObjectNode body = json.createObjectNode();
        body.put("attachmentId", attachmentId);
        body.putObject("headers").put("x-amz-tagging", "abc");
        body.put("url", publicApiBaseUrl.orElseGet(this::apiBaseUrl) + "/uploads/" + attachmentId);
        body.put("fileName", fileName);
        body.put("fileSize", size);
        body.put("fileType", fileType);
        send(connection, session.frame("response", "PresignedUrlResponse", 200, body, tracingId));
    }

    // ---------------------------------------------------------------- HTTP

    private void deploymentConfig(HttpExchange exchange, String path) throws IOException {
        try (exchange) {
            configRequests.incrementAndGet();
            MessengerDeployment dep = deployment.get();
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, json.createObjectNode().put("status", 405));
                return;
            }
            if (!path.equals(CONFIG_PATH_PREFIX + dep.deploymentId() + "/config.json")) {
                respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found"));
                return;
            }
            respond(exchange, 200, json.valueToTree(dep.configJson()));
        }
    }

    /** How many times the deployment's configuration was read. */
    public int deploymentConfigRequests() {
        return configRequests.get();
    }

    private void history(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            SimulatedWebMessagingSession session = authorization.startsWith("Bearer ") ? byJwt.get(authorization.substring(7)) : null;
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, json.createObjectNode().put("status", 405).put("code", "method.not.allowed"));
                return;
            }
            if (session == null) {
                respond(exchange, 401, json.createObjectNode().put("status", 401)
                        .put("code", authorization.isEmpty() ? "authentication.required" : "bad.credentials").put("message", "Unauthorized"));
                return;
            }
            if (session.takeDropOnHistoryRead()) {
                session.dropConnection();
                session.restoreConnection();
            }
            Map<String, String> query = query(exchange.getRequestURI());
            int pageSize = Math.max(1, Math.min(100, parse(query.get("pageSize"), 25)));
            int pageNumber = Math.max(1, parse(query.get("pageNumber"), 1));
            List<ObjectNode> all = session.historyNewestFirst();
            int from = Math.min(all.size(), (pageNumber - 1) * pageSize);
            int to = Math.min(all.size(), from + pageSize);
            ObjectNode page = json.createObjectNode();
            ArrayNode entities = page.putArray("entities");
            all.subList(from, to).forEach(entities::add);
            page.put("pageSize", pageSize);
            page.put("pageNumber", pageNumber);
            page.put("total", all.size());
            page.put("pageCount", (all.size() + pageSize - 1) / pageSize);
            respond(exchange, 200, page);
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            String attachmentId = exchange.getRequestURI().getPath().substring("/uploads/".length());
            PendingUpload pending = uploads.get(attachmentId);
            if (!exchange.getRequestMethod().equals("PUT") || pending == null) {
                respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found"));
                return;
            }
            long size;
            byte[] content;
            try (InputStream body = exchange.getRequestBody()) {
                // Keep at most what was announced (a larger body fails below), so tests can read what arrived.
                content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, pending.fileSize()));
                size = content.length + body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(200, -1);
            uploads.remove(attachmentId);
            SimulatedWebMessagingSession session = pending.session();
            ObjectNode event;
            if (size != pending.fileSize()) {
                event = session.frame("message", "UploadFailureEvent", 200, json.createObjectNode().put("attachmentId", attachmentId)
                        .put("errorCode", 4003).put("errorMessage", "file content invalid").put("timestamp", clock.instant().toString()), null);
            } else {
                session.recordUpload(new SimulatedWebMessagingSession.UploadedFile(attachmentId, pending.fileName(), pending.fileType(), content));
                event = session.frame("message", "UploadSuccessEvent", 200, json.createObjectNode().put("attachmentId", attachmentId)
                        .put("downloadUrl", publicApiBaseUrl.orElseGet(this::apiBaseUrl) + "/downloads/" + attachmentId).put("timestamp",
                                clock.instant().toString()), null);
            }
            pushAll(session, event);
        }
    }

    private static final java.util.Set<String> FORWARDED_REQUEST_HEADERS = java.util.Set.of("authorization", "content-type", "accept",
            "origin", "user-agent");
    private static final java.util.Set<String> FORWARDED_RESPONSE_HEADERS = java.util.Set.of("content-type", "retry-after",
            "inin-correlation-id");

    /** Passes a platform API request on to {@link Builder#platformApi(URI)}, or answers 404 without one. */
    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (platformApi.isEmpty()) {
                respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found")
                        .put("message", "No resource at " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "."));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String base = platformApi.get().toString().replaceAll("/+$", "");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while forwarding to the platform API", e);
            } catch (IOException e) {
                respond(exchange, 502, json.createObjectNode().put("status", 502).put("code", "bad.gateway")
                        .put("message", "The platform API did not answer: " + e.getMessage()));
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (FORWARDED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            byte[] bytes = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    // ---------------------------------------------------------------- sending

    void pushAll(SimulatedWebMessagingSession session, ObjectNode frame) {
        for (WebSocket connection : new ArrayList<>(session.connections())) {
            send(connection, frame);
        }
    }

    /**
     * Ends a guest socket as a network failure would: no close frame, the connection reset (TCP RST, {@code
     * SO_LINGER} 0), and the selector woken so that the close, which the channel defers while it is registered, takes
     * effect at once. A reset rather than an orderly shutdown because the JDK 17 WebSocket client loses an end of
     * stream that arrives while its listener is still handling a frame; it always reports a reset, as {@code onError}.
     */
    void dropAbnormally(WebSocket connection, String reason) {
        if (connection instanceof WebSocketImpl && ((WebSocketImpl) connection).getChannel() instanceof SocketChannel) {
            try {
                ((SocketChannel) ((WebSocketImpl) connection).getChannel()).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                LOG.debug("a dropped web messaging socket was already closed: {}", e.toString());
            }
        }
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        try {
            server.onWriteDemand(connection);
        } catch (RuntimeException e) {
            LOG.debug("web messaging selector not woken after a drop: {}", e.toString());
        }
    }

    /**
     * Ends a guest socket as a stopped server would: the TCP connection shut down in order (FIN), no close frame, and
     * the selector woken so that the deferred close takes effect.
     */
    void closeWithoutCloseFrame(WebSocket connection, String reason) {
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        try {
            server.onWriteDemand(connection);
        } catch (RuntimeException e) {
            LOG.debug("web messaging selector not woken after a close: {}", e.toString());
        }
    }

    void pushRaw(SimulatedWebMessagingSession session, String text) {
        for (WebSocket connection : new ArrayList<>(session.connections())) {
            if (connection.isOpen()) {
                connection.send(text);
            }
        }
    }

    /**
     * A refused attachment: with {@code errorsAsJson}, as Genesys's {@code GenerateUrlError} (code 200, the attachment
     * id and error code in the body, no tracingId); otherwise a text error frame.
     */
    private ObjectNode fileError(boolean errorsAsJson, String attachmentId, int code, String text, String tracingId) {
        if (!errorsAsJson) {
            return errorFrame(code, text, tracingId);
        }
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "message");
        frame.put("class", "GenerateUrlError");
        frame.put("code", 200);
        frame.putObject("body").put("attachmentId", attachmentId).put("errorCode", code).put("errorMessage", text);
        return frame;
    }

    private ObjectNode errorFrame(int code, String text, String tracingId) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", "response");
        frame.put("class", "string");
        frame.put("code", code);
        frame.put("body", text);
        if (tracingId != null) {
            frame.put("tracingId", tracingId);
        }
        return frame;
    }

    private void send(WebSocket connection, ObjectNode frame) {
        if (connection.isOpen()) {
            try {
                connection.send(json.writeValueAsString(frame));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a simulator frame", e);
            } catch (org.java_websocket.exceptions.WebsocketNotConnectedException e) {
                LOG.debug("a simulator frame found its socket closed");
            }
        }
    }

    /**
     * Whether {@code message} holds an event of {@code eventType} whose own body has {@code type}: an event's body is
     * the field named after its type ({@code presence} of a {@code Presence}, {@code typing} of a {@code Typing}).
     */
    private static boolean hasEvent(JsonNode message, String eventType, String type) {
        String body = Character.toLowerCase(eventType.charAt(0)) + eventType.substring(1);
        for (JsonNode event : message.path("events")) {
            if (event.path("eventType").asText().equals(eventType) && event.path(body).path("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }
}

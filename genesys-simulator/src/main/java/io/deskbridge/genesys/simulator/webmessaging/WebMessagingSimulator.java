package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;

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
    /**
     * Where the deployment's configuration is served, as on Genesys's CDN ({@code https://api-cdn.{domain}}):
     * {@code /webdeployments/v1/deployments/{deploymentId}/config.json}. This simulator serves it on
     * {@link #apiBaseUrl()}.
     */
    public static final String CONFIG_PATH_PREFIX = "/webdeployments/v1/deployments/";

    /** The path prefixes of the REST endpoints this simulator serves: the history, the pre-signed uploads, the deployment's configuration. */
    public static final List<String> REST_PATHS = List.of(HistoryEndpoint.PATH, PresignedUploads.PATH_PREFIX, CONFIG_PATH_PREFIX);

    // The work is done by package-private parts, one job each: the sessions' bookkeeping, the guest socket, the
    // dispatch of its requests, the pre-signed uploads, and the REST endpoints (history, configuration, forwarding).
    private final AtomicReference<MessengerDeployment> deployment;
    private final WebMessagingSessions sessions;
    private final GuestSocketServer server;
    private final SocketRequests requests;
    private final DeploymentConfigEndpoint deploymentConfig;
    private final WebMessagingRest rest;
    private final HttpServer http;

    private WebMessagingSimulator(Builder builder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        this.deployment = new AtomicReference<>(builder.deployment);
        this.sessions = new WebMessagingSessions(this, json, builder.clock);
        this.server = new GuestSocketServer(new InetSocketAddress("127.0.0.1", builder.socketPort), json,
                deployment::get, sessions);
        Optional<URI> publicApiBaseUrl = builder.publicApiBaseUrl;
        PresignedUploads uploads = new PresignedUploads(json, builder.clock, deployment::get,
                () -> publicApiBaseUrl.orElseGet(this::apiBaseUrl), server);
        this.requests = new SocketRequests(json, builder.clock, deployment::get, sessions, uploads, server);
        this.deploymentConfig = new DeploymentConfigEndpoint(json, deployment::get);
        this.rest = new WebMessagingRest(new HistoryEndpoint(json, sessions), uploads, deploymentConfig,
                new PlatformForwarder(json, builder.platformApi));
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", builder.apiPort), 0);
        http.createContext("/", rest);
        http.start();
        try {
            server.serve(requests);
        } catch (IOException | RuntimeException e) {
            http.stop(0);
            throw e;
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
        return rest;
    }

    /**
     * Calls {@code listener} with each session a guest configures from now on (on the server's thread, after the
     * {@code SessionResponse} went out). {@link #awaitSession(Duration)} sees the same sessions.
     */
    public void addSessionListener(Consumer<SimulatedWebMessagingSession> listener) {
        sessions.addListener(listener);
    }

    /**
     * Calls {@code listener} with each message a guest sends ({@code onMessage} that the session accepted: text, typing
     * and presence events), as the guest sent it, on the server's thread the moment it is recorded and before its echo
     * goes out. For measuring when a message reaches the vendor (the benchmark) without polling.
     */
    public void addInboundListener(BiConsumer<SimulatedWebMessagingSession, JsonNode> listener) {
        requests.addInboundListener(listener);
    }

    /** Every session guests configured (or tests preset), in no particular order. */
    public List<SimulatedWebMessagingSession> sessions() {
        return sessions.all();
    }

    /**
     * A session for {@code token} that exists before any guest configures it (a returning guest's), for scripting it
     * in advance, for example {@link SimulatedWebMessagingSession#makeReadOnly()}. Not announced as new when the
     * guest then configures it.
     */
    public SimulatedWebMessagingSession presetSession(String token) {
        requireNonNull(token, "token is null");
        return sessions.preset(token);
    }

    /**
     * The next {@code configureSession} of an unknown token finds its conversation already disconnected read-only (as
     * {@link SimulatedWebMessagingSession#makeReadOnly()}): it answers {@code readOnly: true} until the guest sends
     * {@code configureSession} with {@code startNew: true}.
     */
    public void readOnlyNextNewSession() {
        sessions.readOnlyNext();
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
        return sessions.awaitUnclaimed(timeout);
    }

    /** The session of a token, if a guest configured it. */
    public Optional<SimulatedWebMessagingSession> session(String token) {
        return sessions.byToken(token);
    }

    /** The next {@code configureSession} of a new token is refused with {@code code}. */
    public void rejectNextSession(int code) {
        sessions.rejectNext(code);
    }

    /**
     * The next {@code count} socket handshakes are answered {@code 500 Internal Server Error} and no socket opens, as a
     * failing gateway in front of Genesys may answer (simulator choice: Genesys documents no handshake errors).
     */
    public void failNextHandshakes(int count) {
        server.handshakeFaults().failNext(count);
    }

    /** How many socket handshakes {@link #failNextHandshakes} made fail so far. */
    public int failedHandshakes() {
        return server.handshakeFaults().failed();
    }

    /** Every frame guests sent, parsed, in arrival order. */
    public List<JsonNode> receivedFrames() {
        return requests.receivedFrames();
    }

    /** How many WebSocket pings guests sent (keep-alive). */
    public int pingsReceived() {
        return server.pingsReceived();
    }

    /** The {@code Origin} header of each socket handshake, in order (empty: none sent). */
    public List<Optional<String>> handshakeOrigins() {
        return server.handshakeOrigins();
    }

    /** How many times the deployment's configuration was read. */
    public int deploymentConfigRequests() {
        return deploymentConfig.requests();
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

    // ---------------------------------------------------------------------------------------------------------
    // For the sessions' scripting (package-private)

    void pushAll(SimulatedWebMessagingSession session, ObjectNode frame) {
        server.pushAll(session, frame);
    }

    void pushRaw(SimulatedWebMessagingSession session, String text) {
        server.pushRaw(session, text);
    }

    /** Ends a guest socket as a network failure would (see {@link GuestSocketServer#dropAbnormally}). */
    void dropAbnormally(WebSocket connection, String reason) {
        server.dropAbnormally(connection, reason);
    }

    /** Ends a guest socket as a stopped server would (see {@link GuestSocketServer#closeWithoutCloseFrame}). */
    void closeWithoutCloseFrame(WebSocket connection, String reason) {
        server.closeWithoutCloseFrame(connection, reason);
    }
}

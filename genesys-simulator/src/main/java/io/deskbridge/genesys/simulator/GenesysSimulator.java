package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Genesys Cloud organization on loopback that speaks both customer chat protocols: Web Messaging (the guest socket
 * {@link #webMessagingUrl()} and the history endpoint) and Guest Chat (REST and an event stream WebSocket per
 * conversation). Both share one organization: the REST API with the platform endpoints ({@link #apiBaseUrl()}:
 * queue lookup, queue observations, estimated wait, signed data, the guest chat API and the web messaging history),
 * OAuth ({@link #loginBaseUrl()}), deployments, queues, the agents of the roster, and an agent console for people
 * ({@link #consoleUrl()}) that serves the chats of both. See the package documentation for the protocol choices.
 *
 * <pre>{@code
 * try (GenesysSimulator genesys = GenesysSimulator.builder().build().start()) {
 *     Map<String, String> configuration = genesys.deskbridgeConfiguration(); // web messaging; point the desk at it
 *     ... the desk starts a chat ...
 *     SimulatedWebMessagingSession chat = genesys.webMessaging().awaitSession(Duration.ofSeconds(5));
 *     chat.agentJoins("Alex Agent", Optional.empty());
 *     chat.agentSends("Hello, how can I help?");
 * }
 *
 * // guest chat: deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT), then
 * SimulatedConversation conversation = genesys.awaitConversation(Duration.ofSeconds(5));
 * conversation.awaitRouted(Duration.ofSeconds(5));
 * conversation.agentJoins("agent-1", "Alex Agent");
 * }</pre>
 *
 * <p>Thread-safe. Threads: one scheduler (heartbeats, stream closes), a small fixed pool for HTTP, the event stream
 * server's selector and decoders, and the web messaging server's; none per conversation. Guest chat ids are
 * deterministic (a counter), tokens are HS256 JWTs signed with a key of this instance, and every server binds the
 * loopback address.
 */
public final class GenesysSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenesysSimulator.class);

    /** The organization id of a simulator built without {@link Builder#organizationId}. */
    public static final String DEFAULT_ORGANIZATION_ID = "5e1e0000-0000-4000-8000-00000000000a";
    /** The deployment of a simulator built without {@link Builder#deployment}: open, no authentication. */
    public static final String DEFAULT_DEPLOYMENT_ID = "5e1e0000-0000-4000-8000-00000000000d";
    /** The queue of a simulator built without {@link Builder#queue}. */
    public static final String DEFAULT_QUEUE_NAME = "Web Chat Queue";
    /** The OAuth client of a simulator built without {@link Builder#oauthClient}. */
    public static final String DEFAULT_CLIENT_ID = "deskbridge-simulator";
    /** Its secret: a made-up value that opens nothing but this simulator. */
    public static final String DEFAULT_CLIENT_SECRET = "simulator-secret";

    static {
        // The JDK HTTP server writes headers and body separately; without TCP_NODELAY each answer waits for the
        // client's delayed ACK (about 40 ms). Read once, when the JDK creates its first HTTP server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static final String GUEST_TOKEN_ISSUER = "urn:purecloud:webchat";
    static final String SIGNED_DATA_ISSUER = "urn:purecloud:signeddata";

    private final String organizationId;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final Duration streamCloseDelay;
    private final Duration accessTokenLifetime;
    private final Duration guestTokenLifetime;
    private final Duration signedDataLifetime;
    private final int requestLogCapacity;
    private final int apiPort;
    private final int loginPort;
    private final int streamPort;
    private final int consolePort;
    private final boolean consoleEnabled;
    private final int httpThreads;
    private final boolean webMessagingEnabled;
    private final SimulatedTransport defaultTransport;
    private final io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment webMessagingDeployment;

    private final Ids ids = new Ids();
    private final Wire wire = new Wire(new ObjectMapper());
    private final JwtSigner signer;
    private final Map<String, GuestChatDeployment> deployments = new ConcurrentHashMap<>();
    private final Map<String, SimulatedQueue> queuesById = new ConcurrentHashMap<>();
    private final Map<String, String> oauthClients = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, SimulatedConversation> conversations = new ConcurrentHashMap<>();
    private final BlockingQueue<SimulatedConversation> unclaimed = new LinkedBlockingQueue<>();
    private final Deque<RequestFault> faults = new ArrayDeque<>();
    private final Deque<RecordedRequest> requestLog = new ArrayDeque<>();
    private final Map<String, GenesysAgent> agents = new LinkedHashMap<>();
    private final String defaultDeploymentId;
    private final String defaultQueueName;

    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;
    private ScheduledExecutorService scheduler;
    private ExecutorService httpExecutor;
    private HttpServer apiServer;
    private HttpServer loginServer;
    private HttpServer consoleServer;
    private volatile EventStreamServer streamServer;
    private volatile WebMessagingSimulator webMessaging;
    private volatile WebMessagingChats webMessagingChats;

    private GenesysSimulator(Builder builder) {
        this.organizationId = builder.organizationId;
        this.clock = builder.clock;
        this.heartbeatInterval = builder.heartbeatInterval;
        this.streamCloseDelay = builder.streamCloseDelay;
        this.accessTokenLifetime = builder.accessTokenLifetime;
        this.guestTokenLifetime = builder.guestTokenLifetime;
        this.signedDataLifetime = builder.signedDataLifetime;
        this.requestLogCapacity = builder.requestLogCapacity;
        this.apiPort = builder.apiPort;
        this.loginPort = builder.loginPort;
        this.streamPort = builder.streamPort;
        this.consolePort = builder.consolePort;
        this.consoleEnabled = builder.consoleEnabled;
        this.httpThreads = builder.httpThreads;
        this.signer = new JwtSigner(wire.mapper(),
                ("deskbridge genesys simulator " + organizationId).getBytes(StandardCharsets.UTF_8));
        List<GuestChatDeployment> deploymentList = builder.deployments.isEmpty()
                ? List.of(GuestChatDeployment.open(DEFAULT_DEPLOYMENT_ID)) : builder.deployments;
        deploymentList.forEach(d -> deployments.put(d.id().toLowerCase(Locale.ROOT), d));
        this.defaultDeploymentId = deploymentList.get(0).id();
        List<String> queueNames = builder.queueNames.isEmpty() ? List.of(DEFAULT_QUEUE_NAME) : builder.queueNames;
        queueNames.forEach(this::createQueue);
        this.defaultQueueName = queueNames.get(0);
        if (builder.oauthClients.isEmpty()) {
            oauthClients.put(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
        } else {
            oauthClients.putAll(builder.oauthClients);
        }
        builder.agents.forEach(agent -> agents.put(agent.id(), agent));
        this.webMessagingEnabled = builder.webMessagingEnabled;
        this.defaultTransport = builder.defaultTransport.orElse(
                webMessagingEnabled ? SimulatedTransport.WEB_MESSAGING : SimulatedTransport.GUEST_CHAT);
        if (defaultTransport == SimulatedTransport.WEB_MESSAGING && !webMessagingEnabled) {
            throw new IllegalArgumentException("the default transport is web messaging, but web messaging is turned off");
        }
        // The demo deployment turns on what a deployment must enable for the whole web chat to show: clearing (the user
        // ends the conversation), the user typing indicator and humanized agents (their names, joins and transfers).
        // MessengerDeployment.defaults is Genesys's default.
        this.webMessagingDeployment = builder.webMessagingDeployment
                .orElseGet(() -> io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment.defaults(defaultDeploymentId)
                        .withHumanize(true).withClearEnabled(true).withUserTypingIndicator(true));
    }

    /** A builder with the defaults: one open deployment, one queue, one OAuth client, heartbeats every 30 s. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the servers on the loopback address (ephemeral ports unless the builder fixed them).
     *
     * @return this simulator
     * @throws UncheckedIOException if a server cannot bind
     * @throws IllegalStateException if started before or closed
     */
    public GenesysSimulator start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the simulator is closed" : "the simulator is started");
            }
            started = true;
            scheduler = Executors.newSingleThreadScheduledExecutor(threads("genesys-simulator-scheduler"));
            httpExecutor = Executors.newFixedThreadPool(httpThreads, threads("genesys-simulator-http"));
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try {
                List<HttpFront.Route> apiRoutes = new ArrayList<>(new GuestChatEndpoints(this).routes());
                apiRoutes.addAll(new PlatformEndpoints(this).routes());
                apiServer = httpServer(loopback, apiPort, new HttpFront(this, RecordedRequest.Server.API, apiRoutes));
                loginServer = httpServer(loopback, loginPort,
                        new HttpFront(this, RecordedRequest.Server.LOGIN, new OAuthEndpoint(this).routes()));
                if (consoleEnabled) {
                    consoleServer = httpServer(loopback, consolePort, new AgentConsole(this));
                }
            } catch (IOException e) {
                closeServers();
                throw new UncheckedIOException("the Genesys simulator could not bind its HTTP servers", e);
            }
            streamServer = new EventStreamServer(this, new InetSocketAddress(loopback, streamPort),
                    Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            try {
                streamServer.startAndWait();
            } catch (RuntimeException e) {
                closeServers();
                throw e;
            }
            if (webMessagingEnabled) {
                try {
                    startWebMessaging();
                } catch (RuntimeException e) {
                    closeServers();
                    throw e;
                }
            }
            if (!heartbeatInterval.isZero()) {
                long millis = heartbeatInterval.toMillis();
                scheduler.scheduleAtFixedRate(this::sendHeartbeats, millis, millis, TimeUnit.MILLISECONDS);
            }
            LOG.info("Genesys simulator started: API {}, login {}, event stream port {}{}{}", apiBaseUrl(),
                    loginBaseUrl(), streamServer.getPort(),
                    webMessaging != null ? ", web messaging " + webMessaging.socketUrl() : "",
                    consoleEnabled ? ", console " + consoleUrl() : "");
            return this;
        }
    }

    /** Stops every server and thread; open event stream sockets are closed. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeServers();
        }
    }

    /**
     * Starts the web messaging server with this organization's clock and serves its REST endpoints (the history and
     * the pre-signed uploads) on this REST API, so that one {@code genesys.apiBaseUrl} reaches the platform endpoints
     * and the history.
     */
    private void startWebMessaging() {
        WebMessagingSimulator server = WebMessagingSimulator.builder(webMessagingDeployment).clock(clock)
                .publicApiBaseUrl(apiBaseUrl()).start();
        webMessaging = server;
        com.sun.net.httpserver.HttpHandler rest = server.restHandler();
        com.sun.net.httpserver.HttpHandler recorded = http -> {
            try {
                rest.handle(http);
            } finally {
                record(new RecordedRequest(RecordedRequest.Server.API, http.getRequestMethod(),
                        http.getRequestURI().getRawPath(), Optional.ofNullable(http.getRequestURI().getRawQuery())
                                .orElse(""), http.getRequestHeaders(), "", http.getResponseCode()));
            }
        };
        for (String path : WebMessagingSimulator.REST_PATHS) {
            apiServer.createContext(path, recorded);
        }
        WebMessagingChats chats = new WebMessagingChats(this, server, defaultQueue());
        defaultQueue().countWebMessaging(chats::waiting, chats::interacting);
        webMessagingChats = chats;
    }

    private void closeServers() {
        if (webMessaging != null) {
            webMessaging.close();
        }
        if (streamServer != null) {
            try {
                streamServer.stop(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (HttpServer server : new HttpServer[] {apiServer, loginServer, consoleServer}) {
            if (server != null) {
                server.stop(0);
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
    }

    private HttpServer httpServer(InetAddress address, int port, com.sun.net.httpserver.HttpHandler handler)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 256);
        server.createContext("/", handler);
        server.setExecutor(httpExecutor);
        server.start();
        return server;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Addresses and configuration

    /** The REST API base URL ({@code http://127.0.0.1:port}, no trailing slash): {@code genesys.apiBaseUrl}. */
    public URI apiBaseUrl() {
        return baseUrl(requireStarted().apiServer);
    }

    /** The login (OAuth) base URL: {@code genesys.loginBaseUrl}. */
    public URI loginBaseUrl() {
        return baseUrl(requireStarted().loginServer);
    }

    /**
     * The web messaging socket's base URL ({@code ws://127.0.0.1:port/v1}): {@code genesys.webMessagingUrl}.
     *
     * @throws IllegalStateException if the builder turned web messaging off
     */
    public URI webMessagingUrl() {
        return webMessaging().socketUrl();
    }

    /**
     * The web messaging side: sessions, scripting of agents and bots, faults and the frames guests sent (see {@link
     * io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession}). Its deployment is {@link
     * Builder#webMessagingDeployment}; its history endpoint is served at {@link #apiBaseUrl()} too.
     *
     * @throws IllegalStateException if the builder turned web messaging off, or before {@link #start()}
     */
    public WebMessagingSimulator webMessaging() {
        requireStarted();
        WebMessagingSimulator server = webMessaging;
        if (server == null) {
            throw new IllegalStateException("web messaging is turned off (Builder.webMessaging(false))");
        }
        return server;
    }

    /** Whether this simulator serves web messaging ({@link Builder#webMessaging(boolean)}). */
    public boolean servesWebMessaging() {
        return webMessagingEnabled;
    }

    /** The base of the event stream URIs ({@code ws://127.0.0.1:port}). */
    public URI eventStreamBaseUrl() {
        requireStarted();
        return URI.create("ws://127.0.0.1:" + streamServer.getPort());
    }

    /**
     * The agent console page ({@code http://127.0.0.1:port/}).
     *
     * @throws IllegalStateException if the builder turned the console off
     */
    public URI consoleUrl() {
        requireStarted();
        if (consoleServer == null) {
            throw new IllegalStateException("the agent console is turned off (Builder.console(false))");
        }
        return URI.create(baseUrl(consoleServer) + "/");
    }

    private static URI baseUrl(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The organization id ({@code genesys.organizationId}). */
    public String organizationId() {
        return organizationId;
    }

    /**
     * The deskbridge configuration that points the Genesys desk at this simulator's default deployment and queue,
     * with the {@linkplain #defaultTransport() default transport}.
     */
    public Map<String, String> deskbridgeConfiguration() {
        return deskbridgeConfiguration(defaultTransport);
    }

    /**
     * The transport of {@link #deskbridgeConfiguration()}: {@link Builder#defaultTransport}, else web messaging
     * (guest chat when the builder turned web messaging off).
     */
    public SimulatedTransport defaultTransport() {
        return defaultTransport;
    }

    /** The deskbridge configuration for {@code transport} at this simulator's default deployment and queue. */
    public Map<String, String> deskbridgeConfiguration(SimulatedTransport transport) {
        String deploymentId = transport == SimulatedTransport.WEB_MESSAGING && webMessagingEnabled
                ? webMessagingDeployment.deploymentId() : defaultDeploymentId;
        return deskbridgeConfiguration(transport, deploymentId, defaultQueueName);
    }

    /**
     * The deskbridge configuration for a transport, deployment and queue of this simulator, in the order a person
     * would read it: {@code desk}, {@code genesys.transport}, {@code genesys.environment} (a real region, whose hosts
     * the base URLs override), {@code genesys.webMessagingUrl} (web messaging), {@code genesys.apiBaseUrl}, {@code
     * genesys.loginBaseUrl}, {@code genesys.organizationId}, {@code genesys.deploymentId}, {@code genesys.queueName}
     * (availability, and guest chat routing), {@code genesys.clientId}, {@code genesys.clientSecret}, and {@code
     * genesys.authenticatedChat=true} when the deployment requires authentication.
     *
     * @throws IllegalArgumentException if there is no such deployment or queue for the transport
     * @throws IllegalStateException if web messaging is asked for but turned off
     */
    public Map<String, String> deskbridgeConfiguration(SimulatedTransport transport, String deploymentId, String queueName) {
        requireNonNull(transport, "transport is null");
        requireNonNull(deploymentId, "deploymentId is null");
        SimulatedQueue queue = queueByName(queueName)
                .orElseThrow(() -> new IllegalArgumentException("no queue named " + queueName));
        boolean authenticated;
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            WebMessagingSimulator server = webMessaging();
            if (!server.deployment().deploymentId().equalsIgnoreCase(deploymentId)) {
                throw new IllegalArgumentException("web messaging serves the deployment "
                        + server.deployment().deploymentId() + ", not " + deploymentId);
            }
            authenticated = server.deployment().authenticationRequired();
        } else {
            authenticated = deployment(deploymentId)
                    .orElseThrow(() -> new IllegalArgumentException("no guest chat deployment " + deploymentId))
                    .authenticationRequired();
        }
        Map.Entry<String, String> client = oauthClients.entrySet().stream()
                .min(Map.Entry.comparingByKey()).orElseThrow();
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("desk", "genesys");
        configuration.put("genesys.transport", transport.configName());
        configuration.put("genesys.environment", "mypurecloud.com");
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            configuration.put("genesys.webMessagingUrl", webMessagingUrl().toString());
        }
        configuration.put("genesys.apiBaseUrl", apiBaseUrl().toString());
        configuration.put("genesys.deploymentConfigBaseUrl", apiBaseUrl().toString());
        configuration.put("genesys.loginBaseUrl", loginBaseUrl().toString());
        configuration.put("genesys.organizationId", organizationId);
        configuration.put("genesys.deploymentId", deploymentId);
        configuration.put("genesys.queueName", queue.name());
        configuration.put("genesys.clientId", client.getKey());
        configuration.put("genesys.clientSecret", client.getValue());
        if (authenticated) {
            configuration.put("genesys.authenticatedChat", "true");
        }
        return Collections.unmodifiableMap(configuration);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The organization: deployments, queues, OAuth clients, agents

    /** The deployment with this id. */
    public Optional<GuestChatDeployment> deployment(String deploymentId) {
        return Optional.ofNullable(deployments.get(deploymentId.toLowerCase(Locale.ROOT)));
    }

    /** The deployment used by {@link #deskbridgeConfiguration()}. */
    public GuestChatDeployment defaultDeployment() {
        return deployment(defaultDeploymentId).orElseThrow();
    }

    /** Adds a deployment, or replaces the one with the same id (later create calls see the change). */
    public void putDeployment(GuestChatDeployment deployment) {
        requireNonNull(deployment, "deployment is null");
        deployments.put(deployment.id().toLowerCase(Locale.ROOT), deployment);
    }

    /** Creates a queue, or returns the one with this name (names match ignoring case). */
    public synchronized SimulatedQueue createQueue(String name) {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("queue name is blank");
        }
        return queueByName(name).orElseGet(() -> {
            SimulatedQueue queue = new SimulatedQueue(ids.next(Ids.Kind.QUEUE), name);
            queuesById.put(queue.id(), queue);
            return queue;
        });
    }

    /** The queue with this name, ignoring case. */
    public Optional<SimulatedQueue> queueByName(String name) {
        return queuesById.values().stream().filter(q -> q.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The queue used by {@link #deskbridgeConfiguration()}. */
    public SimulatedQueue defaultQueue() {
        return queueByName(defaultQueueName).orElseThrow();
    }

    /** Every queue. */
    public List<SimulatedQueue> queues() {
        return List.copyOf(queuesById.values());
    }

    /** Adds an OAuth client (client credentials grant), or changes its secret. */
    public void putOAuthClient(String clientId, String clientSecret) {
        oauthClients.put(requireNonNull(clientId, "clientId is null"),
                requireNonNull(clientSecret, "clientSecret is null"));
    }

    /**
     * Every access token issued so far expires now: platform calls with one answer {@code 401 credentials.expired}
     * until the client gets a new token.
     */
    public void expireAccessTokens() {
        Instant past = now().minusMillis(1);
        accessTokens.replaceAll((token, issued) -> new IssuedToken(token, issued.clientId(), issued.lifetime(), past));
        LOG.info("simulator expired {} access tokens", accessTokens.size());
    }

    /**
     * Every OAuth access token issued so far, expired or not: what a test looks for where no token may appear (logs,
     * pages, stored sessions).
     */
    public List<String> issuedAccessTokens() {
        return List.copyOf(accessTokens.keySet());
    }

    /** Adds an agent to the roster the agent console offers (scripting does not need the roster). */
    public void addAgent(GenesysAgent agent) {
        requireNonNull(agent, "agent is null");
        synchronized (agents) {
            agents.put(agent.id(), agent);
        }
    }

    /** The console's roster of agents. */
    public List<GenesysAgent> agents() {
        synchronized (agents) {
            return List.copyOf(agents.values());
        }
    }

    /** The roster agent with this id. */
    public Optional<GenesysAgent> agent(String agentId) {
        synchronized (agents) {
            return Optional.ofNullable(agents.get(agentId));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Conversations

    /**
     * The next conversation created by a client that this method has not handed out yet, in creation order,
     * waiting at most {@code timeout}. Agents can act once {@link SimulatedConversation#awaitRouted} returned true.
     *
     * @throws IllegalStateException if none was created in time
     */
    public SimulatedConversation awaitConversation(Duration timeout) {
        try {
            SimulatedConversation conversation = unclaimed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (conversation == null) {
                throw new IllegalStateException("no guest chat conversation was created within " + timeout);
            }
            return conversation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a conversation", e);
        }
    }

    /** The conversation with this id. */
    public Optional<SimulatedConversation> conversation(String conversationId) {
        return Optional.ofNullable(conversations.get(conversationId));
    }

    /** Every conversation created so far, ended ones included. */
    public List<SimulatedConversation> conversations() {
        List<SimulatedConversation> all = new ArrayList<>(conversations.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Faults and the request log

    /** Queues a fault for the next matching request to the REST API or login server. */
    public void injectFault(RequestFault fault) {
        requireNonNull(fault, "fault is null");
        synchronized (faults) {
            faults.addLast(fault);
        }
    }

    /** The next request answers {@code 429} with {@code Retry-After: seconds}. */
    public void nextRequestTooManyRequests(int retryAfterSeconds) {
        injectFault(RequestFault.tooManyRequests(retryAfterSeconds));
    }

    /** The next request answers {@code 503}. */
    public void nextRequestServiceUnavailable() {
        injectFault(RequestFault.serviceUnavailable());
    }

    /** Forgets every queued fault. */
    public void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    /** The requests received so far (the newest up to the log's capacity), oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    /** The requests received so far that match. */
    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest request : requests()) {
            if (filter.test(request)) {
                matching.add(request);
            }
        }
        return matching;
    }

    /** The first request, received so far or within {@code timeout}, that matches. */
    public Optional<RecordedRequest> awaitRequest(Predicate<RecordedRequest> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requestLog) {
            while (true) {
                for (RecordedRequest request : requestLog) {
                    if (filter.test(request)) {
                        return Optional.of(request);
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(requestLog, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    /** Empties the request log. */
    public void clearRequests() {
        synchronized (requestLog) {
            requestLog.clear();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the servers (package-private)

    Wire wire() {
        return wire;
    }

    /** The web messaging chats as the console sees them; empty when web messaging is off. */
    Optional<WebMessagingChats> webMessagingChats() {
        return Optional.ofNullable(webMessagingChats);
    }

    /**
     * The next {@code count} guest chat event stream handshakes are answered {@code 500 Internal Server Error} and
     * no stream opens, as a failing gateway in front of Genesys may answer (simulator choice: Genesys documents no
     * handshake errors but 4xx refusals).
     */
    public void failNextStreamHandshakes(int count) {
        eventStreamServer().handshakeFaults().failNext(count);
    }

    /** How many event stream handshakes {@link #failNextStreamHandshakes} made fail so far. */
    public int failedStreamHandshakes() {
        return eventStreamServer().handshakeFaults().failed();
    }

    /** The event stream server (set once started; read without the lifecycle lock by the server's own threads). */
    EventStreamServer eventStreamServer() {
        return streamServer;
    }

    JwtSigner signer() {
        return signer;
    }

    Instant now() {
        return clock.instant();
    }

    String nextId(Ids.Kind kind) {
        return ids.next(kind);
    }

    Optional<SimulatedQueue> queueById(String queueId) {
        return Optional.ofNullable(queuesById.get(queueId));
    }

    Optional<String> oauthClientSecret(String clientId) {
        return Optional.ofNullable(oauthClients.get(clientId));
    }

    record IssuedToken(String token, String clientId, Duration lifetime, Instant expiresAt) {}

    IssuedToken issueAccessToken(String clientId) {
        IssuedToken token = new IssuedToken(ids.next(Ids.Kind.TOKEN), clientId, accessTokenLifetime,
                now().plus(accessTokenLifetime));
        accessTokens.put(token.token(), token);
        LOG.debug("simulator issued an access token to client {}", clientId);
        return token;
    }

    /** The OAuth check of platform endpoints. */
    void authenticatePlatform(Exchange exchange) {
        String token = bearerToken(exchange);
        IssuedToken issued = accessTokens.get(token);
        if (issued == null) {
            throw ApiError.of(401, "bad.credentials", "Invalid login credentials.");
        }
        if (!now().isBefore(issued.expiresAt())) {
            throw ApiError.of(401, "credentials.expired", "The access token has expired.");
        }
    }

    /** The token of an {@code Authorization: Bearer} header (the scheme in any case). */
    static String bearerToken(Exchange exchange) {
        String header = exchange.header("Authorization").orElseThrow(() -> ApiError.of(401,
                "authentication.required", "No authentication bearer token specified in authorization header."));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw ApiError.of(401, "bad.credentials", "Invalid login credentials.");
        }
        return header.substring(7).trim();
    }

    String signData(JsonNode data) {
        Instant issuedAt = now();
        ObjectNode claims = wire.object();
        claims.set("data", data.deepCopy());
        claims.put("exp", issuedAt.plus(signedDataLifetime).getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", SIGNED_DATA_ISSUER);
        claims.put("org", organizationId);
        return signer.sign(claims);
    }

    Optional<JsonNode> verifySignedData(String token) {
        return signer.verify(token)
                .filter(claims -> claims.path("iss").asText().equals(SIGNED_DATA_ISSUER))
                .filter(claims -> claims.path("org").asText().equals(organizationId))
                .filter(claims -> now().getEpochSecond() < claims.path("exp").asLong())
                .map(claims -> claims.path("data"));
    }

    SimulatedConversation createConversation(GuestChatDeployment deployment, SimulatedQueue queue, JsonNode request,
            Optional<JsonNode> signedData) {
        String conversationId = ids.next(Ids.Kind.CONVERSATION);
        String guestMemberId = ids.next(Ids.Kind.MEMBER);
        Instant issuedAt = now();
        Instant expiresAt = issuedAt.plus(guestTokenLifetime);
        ObjectNode claims = wire.object();
        claims.putObject("data").put("conv", conversationId).put("did", deployment.id()).put("sub", guestMemberId);
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", GUEST_TOKEN_ISSUER);
        claims.put("org", organizationId);
        String jwt = signer.sign(claims);
        URI eventStreamUri = URI.create(eventStreamBaseUrl() + "/v1/token/" + jwt);
        SimulatedConversation conversation = new SimulatedConversation(this, conversationId, deployment, queue,
                request, signedData, guestMemberId, jwt, expiresAt, eventStreamUri);
        conversations.put(conversationId, conversation);
        unclaimed.add(conversation);
        LOG.info("conversation {} created on deployment {} for queue {}", conversationId, deployment.id(),
                queue.name());
        return conversation;
    }

    Optional<SimulatedConversation> conversationForStreamToken(String token) {
        return signer.verify(token)
                .filter(claims -> claims.path("iss").asText().equals(GUEST_TOKEN_ISSUER))
                .flatMap(claims -> conversation(claims.path("data").path("conv").asText()));
    }

    Optional<RequestFault> takeFault(String method, String path) {
        synchronized (faults) {
            for (Iterator<RequestFault> queued = faults.iterator(); queued.hasNext(); ) {
                RequestFault fault = queued.next();
                if (fault.matches(method, path)) {
                    queued.remove();
                    return Optional.of(fault);
                }
            }
            return Optional.empty();
        }
    }

    void record(RecordedRequest request) {
        if (requestLogCapacity == 0) {
            return;
        }
        synchronized (requestLog) {
            if (requestLog.size() == requestLogCapacity) {
                requestLog.removeFirst();
            }
            requestLog.addLast(request);
            requestLog.notifyAll();
        }
    }

    void scheduleStreamClose(SimulatedConversation conversation) {
        ScheduledExecutorService current = scheduler;
        if (current == null) {
            return;
        }
        try {
            current.schedule(conversation::closeStreams, streamCloseDelay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("conversation {}: simulator closed before its stream could close", conversation.id());
        }
    }

    private void sendHeartbeats() {
        try {
            Collection<WebSocket> connections = streamServer.getConnections();
            if (!connections.isEmpty()) {
                streamServer.broadcast(wire.heartbeat(), connections);
            }
        } catch (RuntimeException e) {
            LOG.warn("simulator failed to send heartbeats", e);
        }
    }

    private GenesysSimulator requireStarted() {
        synchronized (lifecycle) {
            if (!started) {
                throw new IllegalStateException("start the simulator first");
            }
            return this;
        }
    }

    /** Configures a {@link GenesysSimulator}. Not thread-safe. */
    public static final class Builder {
        private String organizationId = DEFAULT_ORGANIZATION_ID;
        private final List<GuestChatDeployment> deployments = new ArrayList<>();
        private final List<String> queueNames = new ArrayList<>();
        private final Map<String, String> oauthClients = new LinkedHashMap<>();
        private final List<GenesysAgent> agents = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration streamCloseDelay = Duration.ofMillis(500);
        private Duration accessTokenLifetime = Duration.ofSeconds(86_400);
        private Duration guestTokenLifetime = Duration.ofSeconds(78_761);
        private Duration signedDataLifetime = Duration.ofHours(1);
        private int requestLogCapacity = 10_000;
        private int apiPort;
        private int loginPort;
        private int streamPort;
        private int consolePort;
        private boolean consoleEnabled = true;
        private int httpThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private boolean webMessagingEnabled = true;
        private Optional<SimulatedTransport> defaultTransport = Optional.empty();
        private Optional<io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment> webMessagingDeployment =
                Optional.empty();

        private Builder() {}

        /** The organization id, a UUID. */
        public Builder organizationId(String organizationId) {
            requireNonNull(organizationId, "organizationId is null");
            if (!Ids.isUuid(organizationId)) {
                throw new IllegalArgumentException("organizationId must be a UUID: '" + organizationId + "'");
            }
            this.organizationId = organizationId;
            return this;
        }

        /** Adds a deployment; the first one added is the default (instead of an open {@link #DEFAULT_DEPLOYMENT_ID}). */
        public Builder deployment(GuestChatDeployment deployment) {
            deployments.add(requireNonNull(deployment, "deployment is null"));
            return this;
        }

        /** Adds a queue; the first one added is the default (instead of {@link #DEFAULT_QUEUE_NAME}). */
        public Builder queue(String name) {
            requireNonNull(name, "name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("queue name is blank");
            }
            queueNames.add(name);
            return this;
        }

        /** Adds an OAuth client (instead of {@link #DEFAULT_CLIENT_ID}). */
        public Builder oauthClient(String clientId, String clientSecret) {
            oauthClients.put(requireNonNull(clientId, "clientId is null"),
                    requireNonNull(clientSecret, "clientSecret is null"));
            return this;
        }

        /** Adds an agent to the console's roster. */
        public Builder agent(GenesysAgent agent) {
            agents.add(requireNonNull(agent, "agent is null"));
            return this;
        }

        /** The clock of timestamps and token expiry (a test may pass a clock it moves). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** How often every open event stream gets a heartbeat; zero turns them off. 30 s by default. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = nonNegative(interval, "heartbeatInterval");
            return this;
        }

        /** How long after the guest went {@code DISCONNECTED} the stream closes with 1000. 500 ms by default. */
        public Builder streamCloseDelay(Duration delay) {
            this.streamCloseDelay = nonNegative(delay, "streamCloseDelay");
            return this;
        }

        /** The {@code expires_in} of access tokens. 86,400 s by default (Genesys's default). */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = positive(lifetime, "accessTokenLifetime");
            return this;
        }

        /** How long a guest JWT is valid. 78,761 s by default (the lifetime of the one captured). */
        public Builder guestTokenLifetime(Duration lifetime) {
            this.guestTokenLifetime = positive(lifetime, "guestTokenLifetime");
            return this;
        }

        /** How long a signed-data JWT is accepted as {@code memberAuthToken}. One hour by default. */
        public Builder signedDataLifetime(Duration lifetime) {
            this.signedDataLifetime = positive(lifetime, "signedDataLifetime");
            return this;
        }

        /** How many requests the request log keeps (the newest); zero keeps none. 10,000 by default. */
        public Builder requestLogCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("requestLogCapacity is negative");
            }
            this.requestLogCapacity = capacity;
            return this;
        }

        /** Fixed ports instead of ephemeral ones (0 keeps a port ephemeral), for a person running the simulator. */
        public Builder ports(int api, int login, int eventStream, int console) {
            for (int port : new int[] {api, login, eventStream, console}) {
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("port out of range: " + port);
                }
            }
            this.apiPort = api;
            this.loginPort = login;
            this.streamPort = eventStream;
            this.consolePort = console;
            return this;
        }

        /** Whether to serve the agent console. On by default. */
        public Builder console(boolean enabled) {
            this.consoleEnabled = enabled;
            return this;
        }

        /**
         * Whether to serve web messaging (the guest socket on its own port, the history on the REST API). On by
         * default; a test of guest chat alone may turn it off to save its threads.
         */
        public Builder webMessaging(boolean enabled) {
            this.webMessagingEnabled = enabled;
            return this;
        }

        /**
         * The transport of {@link GenesysSimulator#deskbridgeConfiguration()}. Web messaging by default (guest chat
         * when web messaging is turned off); both transports are served either way.
         */
        public Builder defaultTransport(SimulatedTransport transport) {
            this.defaultTransport = Optional.of(requireNonNull(transport, "transport is null"));
            return this;
        }

        /**
         * How the web messaging deployment behaves (humanize, clearing, authentication, files, limits). By default
         * {@code MessengerDeployment.defaults} with the id of the default guest chat deployment, so that one {@code
         * genesys.deploymentId} works for both transports.
         */
        public Builder webMessagingDeployment(io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment deployment) {
            this.webMessagingDeployment = Optional.of(requireNonNull(deployment, "deployment is null"));
            return this;
        }

        /** How many threads serve HTTP requests. Twice the processors, at least 4, by default. */
        public Builder httpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("httpThreads must be at least 1");
            }
            this.httpThreads = threads;
            return this;
        }

        public GenesysSimulator build() {
            return new GenesysSimulator(this);
        }

        private static Duration nonNegative(Duration duration, String name) {
            requireNonNull(duration, name + " is null");
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " is negative");
            }
            return duration;
        }

        private static Duration positive(Duration duration, String name) {
            nonNegative(duration, name);
            if (duration.isZero()) {
                throw new IllegalArgumentException(name + " is zero");
            }
            return duration;
        }
    }
}

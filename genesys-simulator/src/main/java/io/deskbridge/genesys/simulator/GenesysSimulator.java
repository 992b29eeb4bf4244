package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
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
 *
 * <p>This class is the test's hand on the organization; the work is done by package-private parts, one job each:
 * {@link SimulatedOrganization} (deployments, queues, OAuth clients, roster), {@link TokenAuthority} (access tokens,
 * guest and signed-data JWTs), {@link GuestChatConversations}, {@link ScriptedFaults}, {@link RequestLog}, and
 * {@link SimulatorServers} (servers and threads from start to close), behind the endpoints of each API.
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

    private final Clock clock;
    private final boolean consoleEnabled;
    private final boolean webMessagingEnabled;
    private final SimulatedTransport defaultTransport;
    private final MessengerDeployment webMessagingDeployment;

    private final Ids ids = new Ids();
    private final Wire wire = new Wire(new ObjectMapper());
    private final SimulatedOrganization organization;
    private final TokenAuthority tokens;
    private final GuestChatConversations conversations;
    private final ScriptedFaults faults = new ScriptedFaults();
    private final RequestLog requestLog;
    private final SimulatorServers servers;
    private volatile WebMessagingChats webMessagingChats;

    GenesysSimulator(GenesysSimulatorBuilder builder) {
        this.clock = builder.clock;
        this.consoleEnabled = builder.consoleEnabled;
        this.organization = new SimulatedOrganization(builder.organizationId, ids,
                builder.deployments.isEmpty() ? List.of(GuestChatDeployment.open(DEFAULT_DEPLOYMENT_ID))
                        : builder.deployments,
                builder.queueNames.isEmpty() ? List.of(DEFAULT_QUEUE_NAME) : builder.queueNames,
                builder.oauthClients.isEmpty() ? Map.of(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) : builder.oauthClients,
                builder.agents);
        this.tokens = new TokenAuthority(builder.organizationId, clock, ids, wire, builder.accessTokenLifetime,
                builder.guestTokenLifetime, builder.signedDataLifetime);
        this.conversations = new GuestChatConversations(this, tokens);
        this.requestLog = new RequestLog(builder.requestLogCapacity);
        this.servers = new SimulatorServers(new SimulatorServers.Settings(builder.apiPort, builder.loginPort,
                builder.streamPort, builder.consolePort, builder.httpThreads, builder.heartbeatInterval,
                builder.streamCloseDelay, clock), requestLog, wire);
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
                .orElseGet(() -> MessengerDeployment.defaults(organization.defaultDeploymentId())
                        .withHumanize(true).withClearEnabled(true).withUserTypingIndicator(true));
    }

    /** A builder with the defaults: one open deployment, one queue, one OAuth client, heartbeats every 30 s. */
    public static GenesysSimulatorBuilder builder() {
        return new GenesysSimulatorBuilder();
    }

    /**
     * Starts the servers on the loopback address (ephemeral ports unless the builder fixed them).
     *
     * @return this simulator
     * @throws UncheckedIOException if a server cannot bind
     * @throws IllegalStateException if started before or closed
     */
    public GenesysSimulator start() {
        List<HttpFront.Route> apiRoutes = new ArrayList<>(
                new GuestChatEndpoints(organization, tokens, conversations, wire).routes());
        apiRoutes.addAll(new PlatformEndpoints(organization, tokens, conversations, wire).routes());
        servers.start(new SimulatorServers.Handlers(
                new HttpFront(ids, wire, faults, requestLog, RecordedRequest.Server.API, apiRoutes),
                new HttpFront(ids, wire, faults, requestLog, RecordedRequest.Server.LOGIN,
                        new OAuthEndpoint(organization, tokens, wire).routes()),
                consoleEnabled ? Optional.of(new AgentConsole(this)) : Optional.empty(),
                address -> new EventStreamServer(conversations, requestLog, wire, address,
                        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))),
                webMessagingEnabled ? Optional.of(webMessagingDeployment) : Optional.empty()));
        servers.webMessaging().ifPresent(server -> {
            WebMessagingChats chats = new WebMessagingChats(this, server, defaultQueue());
            defaultQueue().countWebMessaging(chats::waiting, chats::interacting);
            webMessagingChats = chats;
        });
        LOG.info("Genesys simulator started: API {}, login {}, event stream {}{}{}", apiBaseUrl(), loginBaseUrl(),
                eventStreamBaseUrl(), servers.webMessaging().map(server -> ", web messaging " + server.socketUrl())
                        .orElse(""), consoleEnabled ? ", console " + consoleUrl() : "");
        return this;
    }

    /** Stops every server and thread; open event stream sockets are closed. Idempotent. */
    @Override
    public void close() {
        servers.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Addresses and configuration

    /** The REST API base URL ({@code http://127.0.0.1:port}, no trailing slash): {@code genesys.apiBaseUrl}. */
    public URI apiBaseUrl() {
        return servers.apiBaseUrl();
    }

    /** The login (OAuth) base URL: {@code genesys.loginBaseUrl}. */
    public URI loginBaseUrl() {
        return servers.loginBaseUrl();
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
        return servers.webMessaging().orElseThrow(
                () -> new IllegalStateException("web messaging is turned off (Builder.webMessaging(false))"));
    }

    /** Whether this simulator serves web messaging ({@link Builder#webMessaging(boolean)}). */
    public boolean servesWebMessaging() {
        return webMessagingEnabled;
    }

    /** The base of the event stream URIs ({@code ws://127.0.0.1:port}). */
    public URI eventStreamBaseUrl() {
        return servers.eventStreamBaseUrl();
    }

    /**
     * The agent console page ({@code http://127.0.0.1:port/}).
     *
     * @throws IllegalStateException if the builder turned the console off
     */
    public URI consoleUrl() {
        return servers.consoleUrl().orElseThrow(
                () -> new IllegalStateException("the agent console is turned off (Builder.console(false))"));
    }

    /** The organization id ({@code genesys.organizationId}). */
    public String organizationId() {
        return organization.organizationId();
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
                ? webMessagingDeployment.deploymentId() : organization.defaultDeploymentId();
        return deskbridgeConfiguration(transport, deploymentId, organization.defaultQueueName());
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
        return new DeskbridgeConfigurations(this, organization).of(transport, deploymentId, queueName);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The organization: deployments, queues, OAuth clients, agents

    /** The deployment with this id. */
    public Optional<GuestChatDeployment> deployment(String deploymentId) {
        return organization.deployment(deploymentId);
    }

    /** The deployment used by {@link #deskbridgeConfiguration()}. */
    public GuestChatDeployment defaultDeployment() {
        return organization.defaultDeployment();
    }

    /** Adds a deployment, or replaces the one with the same id (later create calls see the change). */
    public void putDeployment(GuestChatDeployment deployment) {
        organization.putDeployment(deployment);
    }

    /** Creates a queue, or returns the one with this name (names match ignoring case). */
    public SimulatedQueue createQueue(String name) {
        return organization.createQueue(name);
    }

    /** The queue with this name, ignoring case. */
    public Optional<SimulatedQueue> queueByName(String name) {
        return organization.queueByName(name);
    }

    /** The queue used by {@link #deskbridgeConfiguration()}. */
    public SimulatedQueue defaultQueue() {
        return organization.defaultQueue();
    }

    /** Every queue. */
    public List<SimulatedQueue> queues() {
        return organization.queues();
    }

    /** Adds an OAuth client (client credentials grant), or changes its secret. */
    public void putOAuthClient(String clientId, String clientSecret) {
        organization.putOAuthClient(clientId, clientSecret);
    }

    /**
     * Every access token issued so far expires now: platform calls with one answer {@code 401 credentials.expired}
     * until the client gets a new token.
     */
    public void expireAccessTokens() {
        tokens.expireAccessTokens();
    }

    /**
     * Every OAuth access token issued so far, expired or not: what a test looks for where no token may appear (logs,
     * pages, stored sessions).
     */
    public List<String> issuedAccessTokens() {
        return tokens.issuedAccessTokens();
    }

    /** Adds an agent to the roster the agent console offers (scripting does not need the roster). */
    public void addAgent(GenesysAgent agent) {
        organization.addAgent(agent);
    }

    /** The console's roster of agents. */
    public List<GenesysAgent> agents() {
        return organization.agents();
    }

    /** The roster agent with this id. */
    public Optional<GenesysAgent> agent(String agentId) {
        return organization.agent(agentId);
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
        return conversations.awaitUnclaimed(timeout);
    }

    /** The conversation with this id. */
    public Optional<SimulatedConversation> conversation(String conversationId) {
        return conversations.conversation(conversationId);
    }

    /** Every conversation created so far, ended ones included. */
    public List<SimulatedConversation> conversations() {
        return conversations.conversations();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Faults and the request log

    /** Queues a fault for the next matching request to the REST API or login server. */
    public void injectFault(RequestFault fault) {
        faults.add(fault);
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
        faults.clear();
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

    /** The requests received so far (the newest up to the log's capacity), oldest first. */
    public List<RecordedRequest> requests() {
        return requestLog.requests();
    }

    /** The requests received so far that match. */
    public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        return requestLog.requests(filter);
    }

    /** The first request, received so far or within {@code timeout}, that matches. */
    public Optional<RecordedRequest> awaitRequest(Predicate<RecordedRequest> filter, Duration timeout) {
        return requestLog.await(filter, timeout);
    }

    /** Empties the request log. */
    public void clearRequests() {
        requestLog.clear();
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the conversations, the console and the web messaging chats (package-private)

    Wire wire() {
        return wire;
    }

    Instant now() {
        return clock.instant();
    }

    String nextId(Ids.Kind kind) {
        return ids.next(kind);
    }

    /** The web messaging chats as the console sees them; empty when web messaging is off. */
    Optional<WebMessagingChats> webMessagingChats() {
        return Optional.ofNullable(webMessagingChats);
    }

    /** The event stream server (set once started; read without the lifecycle lock by the server's own threads). */
    EventStreamServer eventStreamServer() {
        return servers.eventStreamServer();
    }

    /** Closes the conversation's event stream with 1000 after the stream close delay. */
    void scheduleStreamClose(SimulatedConversation conversation) {
        servers.scheduleStreamClose(conversation);
    }
}

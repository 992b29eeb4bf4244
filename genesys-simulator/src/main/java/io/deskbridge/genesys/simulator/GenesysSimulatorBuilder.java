package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configures a {@link GenesysSimulator} ({@link GenesysSimulator#builder()}). Not thread-safe. */
public final class GenesysSimulatorBuilder {
    String organizationId = GenesysSimulator.DEFAULT_ORGANIZATION_ID;
    final List<GuestChatDeployment> deployments = new ArrayList<>();
    final List<String> queueNames = new ArrayList<>();
    final Map<String, String> oauthClients = new LinkedHashMap<>();
    final List<GenesysAgent> agents = new ArrayList<>();
    Clock clock = Clock.systemUTC();
    Duration heartbeatInterval = Duration.ofSeconds(30);
    Duration streamCloseDelay = Duration.ofMillis(500);
    Duration accessTokenLifetime = Duration.ofSeconds(86_400);
    Duration guestTokenLifetime = Duration.ofSeconds(78_761);
    Duration signedDataLifetime = Duration.ofHours(1);
    int requestLogCapacity = 10_000;
    int apiPort;
    int loginPort;
    int streamPort;
    int consolePort;
    boolean consoleEnabled = true;
    int httpThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    boolean webMessagingEnabled = true;
    Optional<SimulatedTransport> defaultTransport = Optional.empty();
    Optional<MessengerDeployment> webMessagingDeployment =
            Optional.empty();

    GenesysSimulatorBuilder() {}

    /** The organization id, a UUID. */
    public GenesysSimulatorBuilder organizationId(String organizationId) {
        requireNonNull(organizationId, "organizationId is null");
        if (!Ids.isUuid(organizationId)) {
            throw new IllegalArgumentException("organizationId must be a UUID: '" + organizationId + "'");
        }
        this.organizationId = organizationId;
        return this;
    }

    /** Adds a deployment; the first one added is the default (instead of an open {@link GenesysSimulator#DEFAULT_DEPLOYMENT_ID}). */
    public GenesysSimulatorBuilder deployment(GuestChatDeployment deployment) {
        deployments.add(requireNonNull(deployment, "deployment is null"));
        return this;
    }

    /** Adds a queue; the first one added is the default (instead of {@link GenesysSimulator#DEFAULT_QUEUE_NAME}). */
    public GenesysSimulatorBuilder queue(String name) {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("queue name is blank");
        }
        queueNames.add(name);
        return this;
    }

    /** Adds an OAuth client (instead of {@link GenesysSimulator#DEFAULT_CLIENT_ID}). */
    public GenesysSimulatorBuilder oauthClient(String clientId, String clientSecret) {
        oauthClients.put(requireNonNull(clientId, "clientId is null"),
                requireNonNull(clientSecret, "clientSecret is null"));
        return this;
    }

    /** Adds an agent to the console's roster. */
    public GenesysSimulatorBuilder agent(GenesysAgent agent) {
        agents.add(requireNonNull(agent, "agent is null"));
        return this;
    }

    /** The clock of timestamps and token expiry (a test may pass a clock it moves). */
    public GenesysSimulatorBuilder clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        return this;
    }

    /** How often every open event stream gets a heartbeat; zero turns them off. 30 s by default. */
    public GenesysSimulatorBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = nonNegative(interval, "heartbeatInterval");
        return this;
    }

    /** How long after the guest went {@code DISCONNECTED} the stream closes with 1000. 500 ms by default. */
    public GenesysSimulatorBuilder streamCloseDelay(Duration delay) {
        this.streamCloseDelay = nonNegative(delay, "streamCloseDelay");
        return this;
    }

    /** The {@code expires_in} of access tokens. 86,400 s by default (Genesys's default). */
    public GenesysSimulatorBuilder accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = positive(lifetime, "accessTokenLifetime");
        return this;
    }

    /** How long a guest JWT is valid. 78,761 s by default (the lifetime of the one captured). */
    public GenesysSimulatorBuilder guestTokenLifetime(Duration lifetime) {
        this.guestTokenLifetime = positive(lifetime, "guestTokenLifetime");
        return this;
    }

    /** How long a signed-data JWT is accepted as {@code memberAuthToken}. One hour by default. */
    public GenesysSimulatorBuilder signedDataLifetime(Duration lifetime) {
        this.signedDataLifetime = positive(lifetime, "signedDataLifetime");
        return this;
    }

    /** How many requests the request log keeps (the newest); zero keeps none. 10,000 by default. */
    public GenesysSimulatorBuilder requestLogCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("requestLogCapacity is negative");
        }
        this.requestLogCapacity = capacity;
        return this;
    }

    /** Fixed ports instead of ephemeral ones (0 keeps a port ephemeral), for a person running the simulator. */
    public GenesysSimulatorBuilder ports(int api, int login, int eventStream, int console) {
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
    public GenesysSimulatorBuilder console(boolean enabled) {
        this.consoleEnabled = enabled;
        return this;
    }

    /**
     * Whether to serve web messaging (the guest socket on its own port, the history on the REST API). On by
     * default; a test of guest chat alone may turn it off to save its threads.
     */
    public GenesysSimulatorBuilder webMessaging(boolean enabled) {
        this.webMessagingEnabled = enabled;
        return this;
    }

    /**
     * The transport of {@link GenesysSimulator#deskbridgeConfiguration()}. Web messaging by default (guest chat
     * when web messaging is turned off); both transports are served either way.
     */
    public GenesysSimulatorBuilder defaultTransport(SimulatedTransport transport) {
        this.defaultTransport = Optional.of(requireNonNull(transport, "transport is null"));
        return this;
    }

    /**
     * How the web messaging deployment behaves (humanize, clearing, authentication, files, limits). By default
     * {@code MessengerDeployment.defaults} with the id of the default guest chat deployment, so that one {@code
     * genesys.deploymentId} works for both transports.
     */
    public GenesysSimulatorBuilder webMessagingDeployment(MessengerDeployment deployment) {
        this.webMessagingDeployment = Optional.of(requireNonNull(deployment, "deployment is null"));
        return this;
    }

    /** How many threads serve HTTP requests. Twice the processors, at least 4, by default. */
    public GenesysSimulatorBuilder httpThreads(int threads) {
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

package io.deskbridge.webchat.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.GenesysSimulatorMain;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedDeployment;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.ServiceDeskException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Genesys simulator running inside the web chat's process ({@code webchat.simulator=genesys}), so that a person
 * can try the Genesys desk with no Genesys organization: it listens on loopback ports of its own, and
 * {@link #deskbridgeConfiguration()} holds the keys that point {@code desk=genesys} at it.
 *
 * <p>The transport follows {@code genesys.transport}:
 * <ul>
 *   <li>{@code guest-chat} (the default here): the Genesys simulator with its agent console
 *       ({@link #agentConsoleUrl()}), where a person accepts the chat and plays the agent;</li>
 *   <li>{@code web-messaging}: the web messaging simulator, which has no console; the agent is played by typing
 *       commands in the terminal ({@link TerminalAgent}) or through {@link #webMessaging()}'s scripting API.</li>
 * </ul>
 * The guest chat transport is the default here (the desk's own default is web messaging) because only it has an
 * agent console a person can use in a browser.
 *
 * <p>Nothing here runs unless the web chat is asked for a simulator: the class is only loaded on that path. It is
 * a tool for trying deskbridge and for tests, never a production component.
 */
public final class InProcessGenesys implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessGenesys.class);

    /** {@code genesys.transport} for the guest chat transport. */
    public static final String GUEST_CHAT = "guest-chat";
    /** {@code genesys.transport} for the web messaging transport. */
    public static final String WEB_MESSAGING = "web-messaging";
    /** The deployment the web messaging simulator serves. */
    public static final String WEB_MESSAGING_DEPLOYMENT_ID = "local-deployment";

    private final String transport;
    private final Optional<GenesysSimulator> guestChat;
    private final Optional<WebMessagingSimulator> webMessaging;
    private final Map<String, String> keys;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessGenesys(String transport, Optional<GenesysSimulator> guestChat, Optional<WebMessagingSimulator> webMessaging,
            Map<String, String> keys) {
        this.transport = transport;
        this.guestChat = guestChat;
        this.webMessaging = webMessaging;
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * Starts the simulator for the transport {@code configuration} names ({@code genesys.transport}, default
     * {@code guest-chat}) on ephemeral loopback ports.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} if {@code desk} names another desk or
     *     {@code genesys.transport} is not a known transport
     */
    public static InProcessGenesys start(Configuration configuration) {
        requireNonNull(configuration, "configuration is null");
        Optional<String> desk = configuration.desk();
        if (desk.isPresent() && !desk.get().equals("genesys")) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "webchat.simulator=genesys runs the genesys desk,"
                    + " but desk=" + desk.get() + " is configured (" + configuration.sourceOf(Configuration.DESK_KEY)
                    + "); remove the desk setting or set desk=genesys");
        }
        String transport = configuration.get("genesys.transport").map(t -> t.trim().toLowerCase(Locale.ROOT)).orElse(GUEST_CHAT);
        if (transport.equals(GUEST_CHAT)) {
            return startGuestChat();
        }
        if (transport.equals(WEB_MESSAGING)) {
            return startWebMessaging();
        }
        throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "genesys.transport must be " + GUEST_CHAT + " or "
                + WEB_MESSAGING + " to run the Genesys simulator, not '" + transport + "'");
    }

    private static InProcessGenesys startGuestChat() {
        // The simulator set up for people: an open deployment, one requiring authentication, three agents to play.
        GenesysSimulator simulator = GenesysSimulatorMain.start(new int[4], 30);
        LOG.info("Genesys simulator (guest chat) started in this process; agent console {}", simulator.consoleUrl());
        return new InProcessGenesys(GUEST_CHAT, Optional.of(simulator), Optional.empty(), simulator.deskbridgeConfiguration());
    }

    private static InProcessGenesys startWebMessaging() {
        WebMessagingSimulator simulator = WebMessagingSimulator.start(SimulatedDeployment.defaults(WEB_MESSAGING_DEPLOYMENT_ID));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("desk", "genesys");
        keys.put("genesys.transport", WEB_MESSAGING);
        keys.put("genesys.webMessagingUrl", simulator.socketUrl().toString());
        keys.put("genesys.apiBaseUrl", simulator.apiBaseUrl().toString());
        keys.put("genesys.loginBaseUrl", simulator.apiBaseUrl().toString());
        keys.put("genesys.organizationId", "local-organization");
        keys.put("genesys.deploymentId", WEB_MESSAGING_DEPLOYMENT_ID);
        keys.put("genesys.queueName", "Local Queue");
        LOG.info("Genesys simulator (web messaging) started in this process on {}", simulator.socketUrl());
        return new InProcessGenesys(WEB_MESSAGING, Optional.empty(), Optional.of(simulator), keys);
    }

    /** The transport the simulator speaks: {@link #GUEST_CHAT} or {@link #WEB_MESSAGING}. */
    public String transport() {
        return transport;
    }

    /**
     * The keys that point the Genesys desk at this simulator ({@code desk=genesys}, {@code genesys.transport}, the
     * base URLs, organization, deployment, queue and, for guest chat, the simulator's made-up OAuth client). Lay them
     * over the rest of the configuration: {@code configuration.with(deskbridgeConfiguration())}.
     */
    public Map<String, String> deskbridgeConfiguration() {
        return keys;
    }

    /** The agent console, where a person plays the agent; present for guest chat. */
    public Optional<URI> agentConsoleUrl() {
        return guestChat.map(GenesysSimulator::consoleUrl);
    }

    /** The guest chat simulator and its scripting API, when the transport is guest chat. */
    public Optional<GenesysSimulator> guestChat() {
        return guestChat;
    }

    /** The web messaging simulator and its scripting API, when the transport is web messaging. */
    public Optional<WebMessagingSimulator> webMessaging() {
        return webMessaging;
    }

    /** Tells a person how to play the agent. */
    public void printInstructions(PrintStream out) {
        if (guestChat.isPresent()) {
            out.println("Genesys simulator (guest chat) in this process. Agent console: " + agentConsoleUrl().orElseThrow());
            out.println("Press \"Talk to an agent\" in the web chat, then accept and answer the chat in the agent console.");
        } else {
            out.println("Genesys simulator (web messaging) in this process; it has no agent console: play the agent here.");
            out.println("Press \"Talk to an agent\" in the web chat, then type agent commands in this terminal and press Enter:");
            out.println("  " + TerminalAgent.COMMANDS);
        }
    }

    /** Stops the simulator's servers and threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        guestChat.ifPresent(GenesysSimulator::close);
        webMessaging.ifPresent(WebMessagingSimulator::close);
    }
}

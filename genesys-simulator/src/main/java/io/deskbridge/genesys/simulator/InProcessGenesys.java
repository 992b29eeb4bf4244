package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.VendorSimulator;
import io.deskbridge.spi.ServiceDeskException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Genesys simulator running inside an application's process (the web chat's, with {@code webchat.simulator=genesys};
 * started through {@link GenesysSimulatorProvider}), so that a person can try the Genesys desk with no Genesys
 * organization: one simulated organization on loopback ports of its own,
 * serving both transports and an agent console ({@link #agentConsoleUrl()}) where a person accepts the chat and
 * plays the agent. {@link #deskbridgeConfiguration()} holds the keys that point {@code desk=genesys} at it, for the
 * transport {@code genesys.transport} names (web messaging, the desk's default, unless it says {@code guest-chat}).
 *
 * <p>Nothing here runs unless an application asks for the simulator. It is a tool for trying deskbridge and for
 * tests, never a production component.
 */
public final class InProcessGenesys implements VendorSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessGenesys.class);

    private final SimulatedTransport transport;
    private final GenesysSimulator simulator;
    private final Map<String, String> keys;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InProcessGenesys(SimulatedTransport transport, GenesysSimulator simulator) {
        this.transport = transport;
        this.simulator = simulator;
        this.keys = simulator.deskbridgeConfiguration(transport);
    }

    /**
     * Starts the simulator on ephemeral loopback ports, for the transport {@code configuration} names
     * ({@code genesys.transport}, default {@code web-messaging}).
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} if {@code desk} names another desk or
     *     {@code genesys.transport} is not a known transport
     */
    public static InProcessGenesys start(Configuration configuration) {
        requireNonNull(configuration, "configuration is null");
        configuration.desk().filter(desk -> !desk.equals("genesys")).ifPresent(desk -> {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "webchat.simulator=genesys runs the genesys desk,"
                    + " but desk=" + desk + " is configured (" + configuration.sourceOf(Configuration.DESK_KEY)
                    + "); remove the desk setting or set desk=genesys");
        });
        String name = configuration.get("genesys.transport").map(t -> t.trim().toLowerCase(Locale.ROOT))
                .orElse(SimulatedTransport.WEB_MESSAGING.configName());
        SimulatedTransport transport = Arrays.stream(SimulatedTransport.values()).filter(t -> t.configName().equals(name)).findFirst()
                .orElseThrow(() -> new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "genesys.transport must be "
                        + Arrays.stream(SimulatedTransport.values()).map(SimulatedTransport::configName).collect(Collectors.joining(" or "))
                        + " to run the Genesys simulator, not '" + name + "'"));
        // The simulator set up for people: both transports, a console, three agents to play.
        GenesysSimulator simulator = GenesysSimulatorMain.start();
        try {
            InProcessGenesys genesys = new InProcessGenesys(transport, simulator);
            LOG.info("Genesys simulator ({}) started in this process; agent console {}", transport.configName(), simulator.consoleUrl());
            return genesys;
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    @Override
    public String desk() {
        return "genesys";
    }

    /** The transport the desk is pointed at. */
    public SimulatedTransport transport() {
        return transport;
    }

    /**
     * The keys that point the Genesys desk at this simulator ({@code desk=genesys}, {@code genesys.transport}, the
     * base URLs, organization, deployment, queue and the simulator's made-up OAuth client). Lay them over the rest of
     * the configuration: {@code configuration.with(deskbridgeConfiguration())}.
     */
    @Override
    public Map<String, String> deskbridgeConfiguration() {
        return keys;
    }

    /** The agent console, where a person plays the agent. */
    @Override
    public Optional<URI> agentConsoleUrl() {
        return Optional.of(simulator.consoleUrl());
    }

    /** The simulator and its scripting API (guest chat conversations, and {@code webMessaging()} sessions). */
    public GenesysSimulator simulator() {
        return simulator;
    }

    /** Tells a person how to play the agent. */
    @Override
    public void printInstructions(PrintStream out) {
        out.println("Genesys simulator (" + transport.configName() + ") in this process. Agent console: " + simulator.consoleUrl());
        out.println("Press \"Talk to an agent\" in the web chat, then accept and answer the chat in the agent console.");
    }

    /** Stops the simulator's servers and threads. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            simulator.close();
        }
    }
}

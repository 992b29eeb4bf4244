package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import java.time.Duration;
import java.util.Map;

/**
 * The conformance kit's hand on the Genesys side: plays the contact center through a {@link GenesysSimulator}.
 * Point the desk at {@link #configuration()} (the guest chat transport, the simulator's base URLs, deployment,
 * queue and OAuth client).
 *
 * <p>Hooks: agents online or not (one idle agent on the default queue, or none), a refused next chat ({@code 400
 * chat.deployment.disabled}, not retryable), queue status (the queue's {@code oWaiting} and the conversation's
 * estimated wait), agent join / type / send / transfer / leave / end, a dropped and restored event stream, a
 * refused user message. Guest chat has no read receipts, so {@code agentReads} and {@code userReadCount} stay
 * missing.
 */
public final class SimulatorAgentDriver implements AgentDriver {
    private final GenesysSimulator simulator;
    private final boolean ownsSimulator;
    private volatile java.util.Optional<io.deskbridge.genesys.platform.QueueAvailabilityClient> queue = java.util.Optional.empty();

    /** A driver over a simulator the caller started and closes. */
    public SimulatorAgentDriver(GenesysSimulator simulator) {
        this(simulator, false);
    }

    private SimulatorAgentDriver(GenesysSimulator simulator, boolean ownsSimulator) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.ownsSimulator = ownsSimulator;
    }

    /**
     * Starts a guest chat simulator for one test (stream closes after 50 ms, heartbeats every 30 s, no web messaging)
     * and a driver that closes it.
     */
    public static SimulatorAgentDriver startSimulator() {
        return new SimulatorAgentDriver(
                GenesysSimulator.builder().streamCloseDelay(Duration.ofMillis(50)).webMessaging(false).build().start(),
                true);
    }

    /** The simulator, for what the kit's hooks do not cover (request log, faults, other deployments). */
    public GenesysSimulator simulator() {
        return simulator;
    }

    /** The deskbridge configuration that points the Genesys desk at the simulator's default deployment and queue. */
    public Map<String, String> configuration() {
        return simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT);
    }

    /**
     * Guest chat takes the guest's details ({@code memberInfo}) only when the conversation is created: it has no call
     * to change them later, so {@code UPDATE_STATE} is checked before the start.
     */
    @Override
    public boolean vendorTakesUserUpdatesDuringChat() {
        return false;
    }

    @Override
    public void attach(io.deskbridge.core.Deskbridge runtime) {
        queue = java.util.Optional.of(runtime.getInstance(io.deskbridge.genesys.platform.QueueAvailabilityClient.class));
    }

    @Override
    public void setAgentsOnline(boolean online) {
        simulator.defaultQueue().setAgentsOnline(online);
        // The desk shares the queue figures for genesys.availabilityRefreshInterval; the kit asks right away.
        queue.ifPresent(io.deskbridge.genesys.platform.QueueAvailabilityClient::forgetFigures);
    }

    @Override
    public void rejectNextChat() {
        simulator.injectFault(RequestFault.of(400, "chat.deployment.disabled",
                "The deployment is disabled.").forRequests("POST", "/api/v2/webchat/guest/conversations"));
    }

    /**
     * The next conversation the desk created, once it attached the event stream (Genesys routes a chat only then,
     * so agents can act on it).
     */
    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SimulatedConversation conversation;
        try {
            conversation = simulator.awaitConversation(timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError("the desk created no guest chat conversation within " + timeout, e);
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!conversation.awaitRouted(left)) {
            throw new AssertionError("the desk created conversation " + conversation.id()
                    + " but did not attach its event stream within " + timeout);
        }
        return new SimulatorAgentSideChat(conversation);
    }

    @Override
    public void close() {
        if (ownsSimulator) {
            simulator.close();
        }
    }
}

package io.deskbridge.core;

import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated contact center running inside an application's process, so that a person can try a desk with no vendor
 * account: the vendor's protocol on loopback ports, and usually an agent console where the person plays the agent.
 * Started by a {@link VendorSimulatorProvider}; the web chat starts one when {@code webchat.simulator} names it. A
 * tool for trying deskbridge and for tests, never a production component.
 */
public interface VendorSimulator extends AutoCloseable {

    /** The desk this simulator stands in for ({@code desk=...}). */
    String desk();

    /**
     * The keys that point {@link #desk()} at this simulator (base URLs, identifiers, made-up credentials). Lay them
     * over the rest of the configuration: {@code configuration.with(deskbridgeConfiguration())}.
     */
    Map<String, String> deskbridgeConfiguration();

    /** The page where a person plays the agent, if the simulator has one. */
    Optional<URI> agentConsoleUrl();

    /** Tells a person how to use the simulator (one or two lines). */
    void printInstructions(PrintStream out);

    /** Stops the simulator's servers and threads. Idempotent. */
    @Override
    void close();
}

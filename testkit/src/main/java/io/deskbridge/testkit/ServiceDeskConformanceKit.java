package io.deskbridge.testkit;

import io.deskbridge.core.ServiceDeskProvider;
import java.time.Duration;
import java.util.Map;

/**
 * The conformance kit: extend it in a desk's test ({@code <Vendor>ServiceDeskConformanceTest}) and implement the
 * hooks. SKELETON: the kit's tests are being written; the hooks below are final.
 */
public abstract class ServiceDeskConformanceKit {

    /** The desk under test. */
    protected abstract ServiceDeskProvider provider();

    /**
     * The vendor side of the desk under test. Called before each test, before {@link #configuration()}, so a
     * driver that starts a simulator can hand its address to the configuration. Closed after the test.
     */
    protected abstract AgentDriver agentDriver();

    /**
     * The configuration of the desk under test (keys under the desk's prefix, for example
     * {@code example.joinDelay}). Called before each test, after {@link #agentDriver()}.
     */
    protected Map<String, String> configuration() {
        return Map.of();
    }

    /**
     * Whether the kit runs the desk on virtual time: its {@code Clock} and {@code ScheduledExecutorService} are
     * replaced by a {@link VirtualScheduler} that the kit advances while it waits. Desks whose vendor side runs on
     * real sockets return {@code false}.
     */
    protected boolean virtualTime() {
        return true;
    }

    /** The longest the kit waits, in real time, for the desk to do something. */
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(10);
    }
}

package io.deskbridge.desk.example;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.util.Map;

/**
 * The example desk against the conformance kit: every rule, on virtual time, with the simulated agent off.
 *
 * <p>One test is skipped, as the printed skip count says: "every optional method the desk does not declare fails…",
 * because the example desk declares every optional method, so there is none left to check.
 */
class ExampleServiceDeskConformanceTest extends ServiceDeskConformanceKit {

    @Override
    protected ServiceDeskProvider provider() {
        return new ExampleServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        return new ExampleAgentDriver();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of("example.autopilot", "false");
    }
}

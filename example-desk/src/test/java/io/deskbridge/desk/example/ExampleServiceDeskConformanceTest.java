package io.deskbridge.desk.example;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.util.Map;

/** The example desk against the conformance kit: every rule, on virtual time, with the simulated agent off. */
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

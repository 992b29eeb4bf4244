package io.deskbridge.genesys.webmessaging;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedDeployment;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The whole conformance kit against the web messaging transport and the web messaging simulator, on real time. */
class GenesysWebMessagingConformanceTest extends ServiceDeskConformanceKit {
    private static final Duration AGENT_TYPING = Duration.ofMillis(700);
    private WebMessagingSimulator simulator;

    @Override
    protected ServiceDeskProvider provider() {
        return new io.deskbridge.genesys.GenesysServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        simulator = WebMessagingSimulator.start(SimulatedDeployment.defaults("kit-deployment").withLimits(2048, 4000, 200));
        return new WebMessagingAgentDriver(simulator, AGENT_TYPING);
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of(
                "genesys.deploymentId", "kit-deployment",
                "genesys.organizationId", "kit-organization",
                "genesys.queueName", "Web Messaging Queue",
                "genesys.loginBaseUrl", simulator.apiBaseUrl().toString(),
                "genesys.webMessagingUrl", simulator.socketUrl().toString(),
                "genesys.apiBaseUrl", simulator.apiBaseUrl().toString(),
                "genesys.webMessagingOutboundRate", "100",
                "genesys.webMessagingReconnectBackoff", "50ms",
                "genesys.webMessagingReconnectBackoffMax", "200ms",
                "genesys.webMessagingSendTimeout", "5s");
    }

    @Override
    protected boolean virtualTime() {
        return false;
    }

    @Override
    protected Duration typingTimeout() {
        return Duration.ofSeconds(3);
    }

    @Override
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    /** Web messaging shows an agent by name only: the agent's id is the name. */
    @Override
    protected AgentProfile firstAgent() {
        return new AgentProfile("Ada", "Ada", Optional.of(URI.create("https://agents.example.com/ada.png")));
    }

    @Override
    protected AgentProfile secondAgent() {
        return new AgentProfile("Grace", "Grace");
    }
}

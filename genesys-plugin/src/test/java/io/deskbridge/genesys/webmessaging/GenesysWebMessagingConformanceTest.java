package io.deskbridge.genesys.webmessaging;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedDeployment;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The whole conformance kit against the web messaging transport, on real time: the web messaging simulator for the
 * guest socket and history, forwarding the platform API (OAuth client credentials, queue, observations, estimated
 * wait) to a Genesys simulator, so that availability and queue status run too.
 */
class GenesysWebMessagingConformanceTest extends ServiceDeskConformanceKit {
    private static final Duration AGENT_TYPING = Duration.ofMillis(700);
    private WebMessagingSimulator simulator;
    private GenesysSimulator platform;

    @Override
    protected ServiceDeskProvider provider() {
        return new io.deskbridge.genesys.GenesysServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        platform = GenesysSimulator.builder().console(false).build().start();
        simulator = WebMessagingSimulator.builder(SimulatedDeployment.defaults("kit-deployment").withLimits(2048, 4000, 200))
                .platformApi(platform.apiBaseUrl()).start();
        return new WebMessagingAgentDriver(simulator, platform, AGENT_TYPING);
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.ofEntries(
                Map.entry("genesys.deploymentId", "kit-deployment"),
                Map.entry("genesys.organizationId", platform.organizationId()),
                Map.entry("genesys.queueName", GenesysSimulator.DEFAULT_QUEUE_NAME),
                Map.entry("genesys.clientId", GenesysSimulator.DEFAULT_CLIENT_ID),
                Map.entry("genesys.clientSecret", GenesysSimulator.DEFAULT_CLIENT_SECRET),
                Map.entry("genesys.loginBaseUrl", platform.loginBaseUrl().toString()),
                Map.entry("genesys.webMessagingUrl", simulator.socketUrl().toString()),
                Map.entry("genesys.apiBaseUrl", simulator.apiBaseUrl().toString()),
                Map.entry("genesys.availabilityRefreshInterval", "200ms"),
                Map.entry("genesys.webMessagingOutboundRate", "100"),
                Map.entry("genesys.webMessagingReconnectBackoff", "50ms"),
                Map.entry("genesys.webMessagingReconnectBackoffMax", "200ms"),
                Map.entry("genesys.webMessagingSendTimeout", "5s"));
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

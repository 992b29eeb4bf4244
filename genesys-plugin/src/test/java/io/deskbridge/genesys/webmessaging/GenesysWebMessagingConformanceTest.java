package io.deskbridge.genesys.webmessaging;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole conformance kit against the web messaging transport, on real time, against the Genesys simulator: the web
 * messaging socket and history next to the platform API (OAuth client credentials, queue, observations, estimated
 * wait), so that availability and queue status run too.
 *
 * <p>The desk runs with {@code genesys.webMessagingAgentDisconnect=deployment} on a deployment whose disconnect is
 * read-only: the agent ending the chat is a read-only disconnect ({@code agentEndedChat}), the agent leaving one whose
 * metadata leaves the session writable ({@code agentLeftChat}, rule 5), as {@link WebMessagingAgentDriver} plays them.
 * The default mode ({@code end}) is {@code WebMessagingAgentDisconnectTest}'s and the transport tests'.
 */
class GenesysWebMessagingConformanceTest extends ServiceDeskConformanceKit {
    private static final Duration AGENT_TYPING = Duration.ofMillis(700);
    private GenesysSimulator platform;

    @Override
    protected ServiceDeskProvider provider() {
        return new GenesysServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        // The OAuth client's secret is the kit's canary, which no persisted state may hold (rule 13). The kit exercises
        // every capability: the deployment enables what Genesys's defaults leave off (Clear, user typing, humanized
        // agents for join and transfer); WebMessagingTransportTest covers a default deployment.
        platform = GenesysSimulator.builder().console(false).oauthClient("kit-client", canarySecret())
                .webMessagingDeployment(MessengerDeployment.defaults("kit-deployment").withLimits(2048, 4000, 200)
                        .withHumanize(true).withClearEnabled(true).withUserTypingIndicator(true).withReadOnlyDisconnect(true))
                .build().start();
        return new WebMessagingAgentDriver(platform, AGENT_TYPING, true);
    }

    @Override
    protected Map<String, String> configuration() {
        Map<String, String> values = new HashMap<>(platform.deskbridgeConfiguration(SimulatedTransport.WEB_MESSAGING));
        values.remove("desk");
        values.putAll(Map.of(
                "genesys.availabilityRefreshInterval", "200ms",
                "genesys.webMessagingOutboundRate", "100",
                "genesys.webMessagingReconnectBackoff", "50ms",
                "genesys.webMessagingReconnectBackoffMax", "200ms",
                "genesys.webMessagingSendTimeout", "5s",
                "genesys.webMessagingAgentDisconnect", "deployment"));
        return values;
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

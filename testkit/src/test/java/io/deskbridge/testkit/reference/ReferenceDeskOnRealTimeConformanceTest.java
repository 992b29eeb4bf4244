package io.deskbridge.testkit.reference;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The kit's real-time path: the desk runs on the runtime's own scheduler threads. */
@DisplayName("The reference desk on real time passes the conformance kit")
class ReferenceDeskOnRealTimeConformanceTest extends ServiceDeskConformanceKit {

    @Override
    protected ServiceDeskProvider provider() {
        return new ReferenceServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        return new ReferenceAgentDriver();
    }

    @Override
    protected boolean virtualTime() {
        return false;
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of("reference.typingTimeout", "300ms");
    }

    @Override
    protected Duration typingTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    protected Duration quietPeriod() {
        return Duration.ofMillis(100);
    }
}

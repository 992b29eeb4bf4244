package io.deskbridge.testkit.reference;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The reference desk on virtual time passes the conformance kit")
class ReferenceDeskConformanceTest extends ServiceDeskConformanceKit {

    @Override
    protected ServiceDeskProvider provider() {
        return new ReferenceServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        return new ReferenceAgentDriver();
    }

    /** The kit's canary as the desk's secret: the fake vendor takes any passphrase. */
    @Override
    protected Map<String, String> configuration() {
        return Map.of("reference.vendorPassphrase", canarySecret());
    }
}

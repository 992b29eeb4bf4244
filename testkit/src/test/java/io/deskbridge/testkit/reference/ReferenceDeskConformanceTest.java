package io.deskbridge.testkit.reference;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
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
}

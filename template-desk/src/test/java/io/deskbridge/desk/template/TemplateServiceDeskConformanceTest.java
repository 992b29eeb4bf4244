package io.deskbridge.desk.template;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.util.Map;

/**
 * The {@code template} desk against the whole conformance kit, on virtual time, with the fake vendor playing the
 * contact center.
 */
class TemplateServiceDeskConformanceTest extends ServiceDeskConformanceKit {

    @Override
    protected ServiceDeskProvider provider() {
        return new TemplateServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        return new FakeTemplateVendorDriver();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of(
                "template.baseUrl", "https://api.template.invalid/v1",
                "template.apiKey", "conformance-kit-api-key");
    }
}

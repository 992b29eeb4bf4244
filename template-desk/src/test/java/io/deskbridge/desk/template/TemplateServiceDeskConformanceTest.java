package io.deskbridge.desk.template;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code template} desk against the whole conformance kit, on virtual time, with the fake vendor playing the
 * contact center. The API key is the kit's canary secret, which no persisted state may hold (rule 13).
 *
 * <p>One test is skipped, as the printed skip count says: "every optional method the desk does not declare fails…",
 * because the template desk declares every optional method, so there is none left to check.
 */
class TemplateServiceDeskConformanceTest extends ServiceDeskConformanceKit {

    @Override
    protected ServiceDeskProvider provider() {
        return new FakeVendorProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        return new FakeTemplateVendorDriver();
    }

    @Override
    protected Map<String, String> configuration() {
        return Map.of(
                "template.baseUrl", "https://api.template.invalid/v1",
                "template.apiKey", canarySecret());
    }

    /**
     * The fake vendor's calls complete on the shared worker pool in real time, which the kit does not count as
     * activity; on a busy machine a step can take longer than the kit's default 200 ms. Only a failing wait waits
     * this long.
     */
    @Override
    protected Duration quietPeriod() {
        return Duration.ofSeconds(3);
    }
}

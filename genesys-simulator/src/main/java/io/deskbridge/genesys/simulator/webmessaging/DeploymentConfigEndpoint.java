package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /webdeployments/v1/deployments/{deploymentId}/config.json}: the deployment's configuration, as Genesys's
 * CDN serves it ({@link MessengerDeployment#configJson()}); counts the reads for tests.
 */
final class DeploymentConfigEndpoint {
    private final ObjectMapper json;
    private final Supplier<MessengerDeployment> deployment;
    private final AtomicInteger requests = new AtomicInteger();

    DeploymentConfigEndpoint(ObjectMapper json, Supplier<MessengerDeployment> deployment) {
        this.json = json;
        this.deployment = deployment;
    }

    /** How many times the configuration was asked for (any method, any deployment). */
    int requests() {
        return requests.get();
    }

    void serve(HttpExchange exchange, String path) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            MessengerDeployment dep = deployment.get();
            if (!exchange.getRequestMethod().equals("GET")) {
                WebMessagingRest.respond(exchange, 405, json.createObjectNode().put("status", 405), json);
                return;
            }
            if (!path.equals(WebMessagingSimulator.CONFIG_PATH_PREFIX + dep.deploymentId() + "/config.json")) {
                WebMessagingRest.respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found"), json);
                return;
            }
            WebMessagingRest.respond(exchange, 200, json.valueToTree(dep.configJson()), json);
        }
    }
}

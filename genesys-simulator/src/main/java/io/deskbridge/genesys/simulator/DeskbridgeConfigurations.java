package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the deskbridge configuration that points the Genesys desk at a running simulator (see {@link
 * GenesysSimulator#deskbridgeConfiguration(SimulatedTransport, String, String)} for the keys and their order).
 */
final class DeskbridgeConfigurations {
    private final GenesysSimulator simulator;
    private final SimulatedOrganization organization;

    DeskbridgeConfigurations(GenesysSimulator simulator, SimulatedOrganization organization) {
        this.simulator = simulator;
        this.organization = organization;
    }

    /**
     * @throws IllegalArgumentException if there is no such deployment or queue for the transport
     * @throws IllegalStateException if web messaging is asked for but turned off
     */
    Map<String, String> of(SimulatedTransport transport, String deploymentId, String queueName) {
        requireNonNull(transport, "transport is null");
        requireNonNull(deploymentId, "deploymentId is null");
        SimulatedQueue queue = organization.queueByName(queueName)
                .orElseThrow(() -> new IllegalArgumentException("no queue named " + queueName));
        boolean authenticated;
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            WebMessagingSimulator server = simulator.webMessaging();
            if (!server.deployment().deploymentId().equalsIgnoreCase(deploymentId)) {
                throw new IllegalArgumentException("web messaging serves the deployment "
                        + server.deployment().deploymentId() + ", not " + deploymentId);
            }
            authenticated = server.deployment().authenticationRequired();
        } else {
            authenticated = organization.deployment(deploymentId)
                    .orElseThrow(() -> new IllegalArgumentException("no guest chat deployment " + deploymentId))
                    .authenticationRequired();
        }
        Map.Entry<String, String> client = organization.firstOAuthClient();
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("desk", "genesys");
        configuration.put("genesys.transport", transport.configName());
        configuration.put("genesys.environment", "mypurecloud.com");
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            configuration.put("genesys.webMessagingUrl", simulator.webMessagingUrl().toString());
        }
        configuration.put("genesys.apiBaseUrl", simulator.apiBaseUrl().toString());
        configuration.put("genesys.deploymentConfigBaseUrl", simulator.apiBaseUrl().toString());
        configuration.put("genesys.loginBaseUrl", simulator.loginBaseUrl().toString());
        configuration.put("genesys.organizationId", organization.organizationId());
        configuration.put("genesys.deploymentId", deploymentId);
        configuration.put("genesys.queueName", queue.name());
        configuration.put("genesys.clientId", client.getKey());
        configuration.put("genesys.clientSecret", client.getValue());
        if (authenticated) {
            configuration.put("genesys.authenticatedChat", "true");
        }
        return Collections.unmodifiableMap(configuration);
    }
}

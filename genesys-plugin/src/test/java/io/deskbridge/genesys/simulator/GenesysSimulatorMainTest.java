package io.deskbridge.genesys.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's main")
class GenesysSimulatorMainTest {

    @Test
    @DisplayName("sets up two deployments, a queue and three agents, and prints the console URL and every key")
    void printsConfiguration() {
        try (GenesysSimulator simulator = GenesysSimulatorMain.start(new int[4], 30)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            GenesysSimulatorMain.printWelcome(simulator, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String printed = buffer.toString(StandardCharsets.UTF_8);

            assertThat(printed).contains("Agent console: " + simulator.consoleUrl());
            for (String key : new String[] {"desk", "genesys.transport", "genesys.apiBaseUrl", "genesys.loginBaseUrl",
                    "genesys.organizationId", "genesys.deploymentId", "genesys.queueName", "genesys.clientId",
                    "genesys.clientSecret", "genesys.environment"}) {
                assertThat(printed).contains("  " + key + "=" + simulator.deskbridgeConfiguration().get(key));
            }
            assertThat(printed).contains("\"-Dgenesys.queueName=Web Chat Queue\"");
            assertThat(simulator.deployment(GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID))
                    .hasValueSatisfying(d -> assertThat(d.authenticationRequired()).isTrue());
            assertThat(simulator.deskbridgeConfiguration(GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID,
                    GenesysSimulator.DEFAULT_QUEUE_NAME)).containsEntry("genesys.authenticatedChat", "true");
            assertThat(simulator.agents()).extracting(SimulatedAgent::displayName)
                    .containsExactly("Alex Agent", "Sam Specialist", "Riley Supervisor");
            assertThat(simulator.apiBaseUrl().getHost()).isEqualTo("127.0.0.1");
        }
    }
}

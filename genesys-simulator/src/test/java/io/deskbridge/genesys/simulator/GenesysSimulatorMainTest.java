package io.deskbridge.genesys.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's main")
class GenesysSimulatorMainTest {

    private static String welcome(GenesysSimulator simulator) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        GenesysSimulatorMain.printWelcome(simulator, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("sets up two deployments, a queue and three agents, and prints the console URL and every key of both"
            + " transports, as properties and as -D options")
    void printsConfiguration() {
        try (GenesysSimulator simulator = GenesysSimulatorMain.start()) {
            String printed = welcome(simulator);

            assertThat(printed).contains("Agent console: " + simulator.consoleUrl());
            Map<String, String> webMessaging = simulator.deskbridgeConfiguration(SimulatedTransport.WEB_MESSAGING);
            Map<String, String> guestChat = simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT);
            assertThat(webMessaging).containsKeys("desk", "genesys.transport", "genesys.environment",
                    "genesys.webMessagingUrl", "genesys.apiBaseUrl", "genesys.loginBaseUrl", "genesys.organizationId",
                    "genesys.deploymentId", "genesys.queueName", "genesys.clientId", "genesys.clientSecret");
            assertThat(guestChat).containsKeys("desk", "genesys.transport", "genesys.environment",
                    "genesys.apiBaseUrl", "genesys.loginBaseUrl", "genesys.organizationId", "genesys.deploymentId",
                    "genesys.queueName", "genesys.clientId", "genesys.clientSecret");
            for (Map<String, String> configuration : java.util.List.of(webMessaging, guestChat)) {
                configuration.forEach((key, value) -> assertThat(printed).contains("  " + key + "=" + value));
            }
            assertThat(printed).contains("-Dgenesys.transport=web-messaging -Dgenesys.environment=mypurecloud.com"
                    + " -Dgenesys.webMessagingUrl=" + simulator.webMessagingUrl());
            assertThat(printed).contains("-Dgenesys.transport=guest-chat -Dgenesys.environment=mypurecloud.com"
                    + " -Dgenesys.apiBaseUrl=" + simulator.apiBaseUrl());
            assertThat(printed).contains("\"-Dgenesys.queueName=Web Chat Queue\"");
            assertThat(printed.indexOf("web-messaging")).as("web messaging comes first")
                    .isLessThan(printed.indexOf("guest-chat"));
            assertThat(simulator.deployment(GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID))
                    .hasValueSatisfying(d -> assertThat(d.authenticationRequired()).isTrue());
            assertThat(simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT,
                    GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID, GenesysSimulator.DEFAULT_QUEUE_NAME))
                    .containsEntry("genesys.authenticatedChat", "true");
            assertThat(simulator.agents()).extracting(GenesysAgent::displayName)
                    .containsExactly("Alex Agent", "Sam Specialist", "Riley Supervisor");
            assertThat(simulator.apiBaseUrl().getHost()).isEqualTo("127.0.0.1");
            assertThat(simulator.webMessagingUrl().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    @DisplayName("start() is the in-process entry point: web messaging by default, both transports on one"
            + " organization, closed by close()")
    void inProcess() {
        GenesysSimulator simulator = GenesysSimulatorMain.start();
        Map<String, String> webMessaging = simulator.deskbridgeConfiguration();
        Map<String, String> guestChat = simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT);

        assertThat(webMessaging).containsEntry("genesys.transport", "web-messaging")
                .containsEntry("genesys.webMessagingUrl", simulator.webMessagingUrl().toString())
                .containsEntry("genesys.deploymentId", GenesysSimulator.DEFAULT_DEPLOYMENT_ID)
                .doesNotContainKey("genesys.authenticatedChat");
        assertThat(guestChat).containsEntry("genesys.transport", "guest-chat").doesNotContainKey("genesys.webMessagingUrl");
        for (String shared : new String[] {"genesys.apiBaseUrl", "genesys.loginBaseUrl", "genesys.organizationId",
                "genesys.deploymentId", "genesys.queueName", "genesys.clientId", "genesys.clientSecret"}) {
            assertThat(webMessaging.get(shared)).as(shared).isEqualTo(guestChat.get(shared));
        }
        assertThat(simulator.consoleUrl().getHost()).isEqualTo("127.0.0.1");

        assertThat(simulator.defaultTransport()).isEqualTo(SimulatedTransport.WEB_MESSAGING);
        simulator.close();

        assertThatThrownBy(() -> new GuestClient(simulator).createChat()).as("the API is closed")
                .hasMessageContaining("request failed");
    }

    @Test
    @DisplayName("start(ports, heartbeat) keeps guest chat as the default configuration and serves web messaging too")
    void guestChatEntryPoint() {
        try (GenesysSimulator simulator = GenesysSimulatorMain.start(new int[4], 30)) {
            assertThat(simulator.deskbridgeConfiguration()).containsEntry("genesys.transport", "guest-chat");
            assertThat(simulator.deskbridgeConfiguration(SimulatedTransport.WEB_MESSAGING))
                    .containsEntry("genesys.webMessagingUrl", simulator.webMessagingUrl().toString());
        }
        assertThatThrownBy(() -> GenesysSimulatorMain.start(new int[3], 30)).hasMessageContaining("4 ports");
    }
}

package io.deskbridge.genesys.simulator.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulated deployment's defaults against a default Genesys deployment: the defaults of the deployment
 * configuration Genesys's messenger transport SDK reads ({@code MyPureCloud/genesys-messenger-transport-mobile-sdk},
 * {@code transport/src/commonMain/kotlin/com/genesys/cloud/messenger/transport/shyrka/receive/DeploymentConfig.kt}:
 * every {@code Conversations} feature off, {@code conversationDisconnect} type {@code Send}, no session upgrade).
 */
@DisplayName("The simulated Messenger deployment's defaults")
class MessengerDeploymentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config(MessengerDeployment deployment) {
        return JSON.valueToTree(deployment.configJson());
    }

    private static JsonNode conversations(MessengerDeployment deployment) {
        return config(deployment).path("messenger").path("apps").path("conversations");
    }

    @Test
    @DisplayName("config.json of the defaults has every Conversations feature as a default deployment has it: off")
    void defaultsAreGenesysDefaults() {
        MessengerDeployment defaults = MessengerDeployment.defaults("d-1");
        JsonNode conversations = conversations(defaults);
        assertThat(conversations.path("showAgentTypingIndicator").asBoolean(true)).isFalse();
        assertThat(conversations.path("showUserTypingIndicator").asBoolean(true)).isFalse();
        assertThat(conversations.path("autoStart").path("enabled").asBoolean(true)).isFalse();
        assertThat(conversations.path("conversationDisconnect").path("enabled").asBoolean(true)).isFalse();
        assertThat(conversations.path("conversationDisconnect").path("type").asText()).isEqualTo("Send");
        assertThat(conversations.path("conversationClear").path("enabled").asBoolean(true)).isFalse();
        assertThat(conversations.path("humanize").path("enabled").asBoolean(true)).isFalse();
        assertThat(config(defaults).path("auth").path("enabled").asBoolean(true)).isFalse();
        assertThat(config(defaults).path("auth").path("allowSessionUpgrade").asBoolean(true)).isFalse();
        assertThat(config(defaults).path("id").asText()).isEqualTo("d-1");
        assertThat(config(defaults).path("status").asText()).isEqualTo("Active");
        // What the simulator does follows the same defaults, not only what config.json says.
        assertThat(defaults.humanize()).isFalse();
        assertThat(defaults.clearEnabled()).isFalse();
        assertThat(defaults.showUserTypingIndicator()).isFalse();
        assertThat(defaults.readOnlyDisconnect()).isFalse();
        assertThat(defaults.authenticationRequired()).isFalse();
        assertThat(defaults.allowedOrigins()).isEmpty();
    }

    @Test
    @DisplayName("Each feature a test turns on shows in config.json, and leaves the others as they were")
    void featuresTurnedOn() {
        MessengerDeployment defaults = MessengerDeployment.defaults("d-1");
        assertThat(conversations(defaults.withHumanize(true)).path("humanize").path("enabled").asBoolean()).isTrue();
        assertThat(conversations(defaults.withClearEnabled(true)).path("conversationClear").path("enabled").asBoolean()).isTrue();
        assertThat(conversations(defaults.withUserTypingIndicator(true)).path("showUserTypingIndicator").asBoolean()).isTrue();
        JsonNode disconnect = conversations(defaults.withReadOnlyDisconnect(true)).path("conversationDisconnect");
        assertThat(disconnect.path("enabled").asBoolean()).isTrue();
        assertThat(disconnect.path("type").asText()).isEqualTo("ReadOnly");
        MessengerDeployment agentTyping = defaults.withAgentTypingIndicator(true);
        assertThat(conversations(agentTyping).path("showAgentTypingIndicator").asBoolean()).isTrue();
        assertThat(agentTyping.withHumanize(true).withLimits(100, 200, 3).showAgentTypingIndicator())
                .as("later changes keep the agent typing indicator").isTrue();
        assertThat(agentTyping).isEqualTo(defaults.withAgentTypingIndicator(true))
                .isNotEqualTo(defaults);
        assertThat(agentTyping.withAgentTypingIndicator(false)).isEqualTo(defaults);
    }
}

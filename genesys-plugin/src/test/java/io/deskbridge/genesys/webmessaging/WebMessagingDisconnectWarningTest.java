package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.platform.LogCapture;
import io.deskbridge.spi.UserMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The warning for deployments whose {@code conversationDisconnect} is off: there, Genesys may never tell the guest
 * that the agent disconnected, so the desk says so once, when it reads such a configuration.
 */
@DisplayName("Web messaging warns where the deployment's conversationDisconnect is off")
class WebMessagingDisconnectWarningTest {
    private static final String WARNING = "conversationDisconnect disabled";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("Chats on a deployment with conversationDisconnect off: one WARN for the desk, naming the configuration, not one per chat")
    void oneWarningForTheDesk() {
        try (LogCapture log = new LogCapture(); WebMessagingHarness h = WebMessagingHarness.start(
                WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(false))) {
            var chat = h.joined();
            await(chat.desk().sendMessageToAgent(new UserMessage("u-1", "hello")));
            String id = chat.session().agentSends("hi");
            chat.callback().awaitEvent(messageWithId(id), "the agent's message", WAIT);
            var resumed = h.resumedChat(chat.callback().lastPersistedState().orElseThrow());
            assertThat(await(resumed.desk().reconnect())).isTrue();
            h.joined();
            List<String> warnings = log.linesWith(WARNING);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("WARN").contains("config.json");
        }
    }

    @Test
    @DisplayName("A deployment with conversationDisconnect on logs no warning")
    void enabled() {
        try (LogCapture log = new LogCapture(); WebMessagingHarness h = WebMessagingHarness.start(
                WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(true))) {
            h.joined();
            assertThat(log.linesWith(WARNING)).isEmpty();
        }
    }

    @Test
    @DisplayName("config.json's conversationDisconnect.enabled is read as given (missing: off, Genesys's default); an unread configuration says nothing")
    void readFromConfigJson() throws Exception {
        assertThat(WebMessagingDeploymentConfig.of(JSON.readTree("{\"messenger\":{\"apps\":{\"conversations\":{\"conversationDisconnect\":"
                + "{\"enabled\":true,\"type\":\"Send\"}}}}}")).disconnectEnabled()).contains(true);
        assertThat(WebMessagingDeploymentConfig.of(JSON.readTree("{\"messenger\":{\"apps\":{\"conversations\":{\"conversationDisconnect\":"
                + "{\"enabled\":false,\"type\":\"ReadOnly\"}}}}}")).disconnectEnabled()).contains(false);
        assertThat(WebMessagingDeploymentConfig.of(JSON.readTree("{}")).disconnectEnabled()).contains(false);
        assertThat(WebMessagingDeploymentConfig.DEFAULTS.disconnectEnabled()).isEmpty();
        try (LogCapture log = new LogCapture()) {
            DisconnectConfigWarning.read(null, WebMessagingDeploymentConfig.DEFAULTS, java.net.URI.create("https://api-cdn.test/config.json"));
            assertThat(log.linesWith(WARNING)).as("an unread configuration says nothing of the feature").isEmpty();
        }
        assertThatThrownBy(() -> new WebMessagingDeploymentConfig(false, false, true, false, Optional.empty(), List.of(), false, false,
                Optional.of(false))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReadOnly");
    }
}

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
 * that the agent disconnected, so the desk says so once per chat, at its start or resumption.
 */
@DisplayName("Web messaging warns where the deployment's conversationDisconnect is off")
class WebMessagingDisconnectWarningTest {
    private static final String WARNING = "conversationDisconnect disabled";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @DisplayName("A chat started on a deployment with conversationDisconnect off logs one WARN naming the chat, however long it runs")
    void oneWarningAtStart() {
        try (LogCapture log = new LogCapture(); WebMessagingHarness h = WebMessagingHarness.start(
                WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(false))) {
            var chat = h.joined();
            await(chat.desk().sendMessageToAgent(new UserMessage("u-1", "hello")));
            String id = chat.session().agentSends("hi");
            chat.callback().awaitEvent(messageWithId(id), "the agent's message", WAIT);
            List<String> warnings = log.linesWith(WARNING);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("WARN").contains("chat=chat-1 ");
        }
    }

    @Test
    @DisplayName("A chat resumed on such a deployment logs the warning too; one with conversationDisconnect on logs none")
    void resumedAndEnabled() {
        try (LogCapture log = new LogCapture(); WebMessagingHarness h = WebMessagingHarness.start()) {
            var chat = h.joined();
            var resumed = h.resumedChat(chat.callback().lastPersistedState().orElseThrow());
            assertThat(await(resumed.desk().reconnect())).isTrue();
            assertThat(log.linesWith(WARNING)).hasSize(2).anySatisfy(line -> assertThat(line).contains("chat=chat-2 "));
        }
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
            DisconnectConfigWarning.applied("unread-config-chat", WebMessagingDeploymentConfig.DEFAULTS);
            assertThat(log.linesWith("unread-config-chat")).isEmpty();
        }
        assertThatThrownBy(() -> new WebMessagingDeploymentConfig(false, false, true, false, Optional.empty(), List.of(), false, false,
                Optional.of(false))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReadOnly");
    }
}

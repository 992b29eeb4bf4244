package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.ErrorInfo;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A second fault inside a reconnect: the new socket fails while the desk reads the history it missed. The soak of
 * docs/reliability.md found the desk then declared the chat restored on no socket, beyond its health check's reach,
 * and lost every later message.
 */
@DisplayName("Web messaging: a socket that fails during the history catch-up")
class WebMessagingCatchUpFaultTest {
    private WebMessagingHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @DisplayName("is another failed attempt: the desk reconnects again, and messages before and after reach the user once each")
    void failedDuringCatchUp() {
        harness = WebMessagingHarness.start(Map.of("genesys.webMessagingReconnectBackoff", "50ms",
                "genesys.webMessagingReconnectBackoffMax", "100ms"));
        var chat = harness.joined();
        chat.session().dropConnection();
        chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                "Disconnected(true)", WAIT);
        String missed = chat.session().agentSends("sent while the socket was down");
        chat.session().dropDuringNextHistoryRead();
        chat.session().restoreConnection();
        chat.callback().awaitEvent(messageWithId(missed), "the missed message, from the history", WAIT);
        chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(false)),
                "Disconnected(false)", WAIT);
        WebMessagingHarness.awaitTrue(() -> chat.session().openConnections() > 0, "a live socket");

        String after = chat.session().agentSends("sent after the reconnect");
        chat.callback().awaitEvent(messageWithId(after), "the message sent after the reconnect", WAIT);
        assertThat(chat.callback().messages()).extracting(AgentMessage::text)
                .containsExactly("Hello, this is Ada.", "sent while the socket was down", "sent after the reconnect"); // the join
    }
}

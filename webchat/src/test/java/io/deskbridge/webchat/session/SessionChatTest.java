package io.deskbridge.webchat.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.spi.AgentProfile;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bookkeeping of a session's chat that needs no desk: who joined, who wrote, how it ended. */
@DisplayName("A session's chat")
class SessionChatTest {
    private static final AgentProfile ADA = new AgentProfile("ada", "Ada", Optional.empty());
    private static final AgentProfile SAM = new AgentProfile("sam", "Sam", Optional.empty());

    private static SessionChat chat(Optional<AgentProfile> restoredAgent) {
        return new SessionChat("chat-1", new Transcript(10), restoredAgent);
    }

    @Test
    @DisplayName("a restored chat's agent announced again by the resumed desk is not news; another agent is, and so is the same one after it left")
    void restoredAgent() {
        SessionChat restored = chat(Optional.of(ADA));
        assertThat(restored.agentName(Optional.of("ada"))).contains("Ada");
        assertThat(restored.agentJoined(ADA)).isFalse();
        assertThat(restored.agentJoined(SAM)).isTrue();
        assertThat(restored.agentJoined(ADA)).as("Ada after Sam joined").isTrue();

        SessionChat left = chat(Optional.of(ADA));
        left.agentLeft();
        assertThat(left.agentJoined(ADA)).isTrue();
    }

    @Test
    @DisplayName("an agent is named for their messages once they joined or a transfer announced them; an unknown agent has no name")
    void agentNames() {
        SessionChat chat = chat(Optional.empty());
        assertThat(chat.agentJoined(ADA)).isTrue();
        chat.transferStarted(Optional.of(SAM));
        assertThat(chat.agentName(Optional.of("ada"))).contains("Ada");
        assertThat(chat.agentName(Optional.of("sam"))).contains("Sam");
        assertThat(chat.agentName(Optional.of("max"))).isEmpty();
        assertThat(chat.agentName(Optional.empty())).isEmpty();
    }

    @Test
    @DisplayName("a user message's delivery state is recorded in the transcript; an id no longer there changes nothing")
    void delivery() {
        SessionChat chat = chat(Optional.empty());
        chat.transcript().add(TranscriptEntry.user("m1", "Hello", Instant.EPOCH));
        chat.delivery("m1", TranscriptEntry.Delivery.SENT);
        chat.delivery("m0", TranscriptEntry.Delivery.FAILED);
        assertThat(chat.transcript().entries()).singleElement()
                .satisfies(e -> assertThat(e.delivery()).contains(TranscriptEntry.Delivery.SENT));
    }

    @Test
    @DisplayName("ending records the reason; the chat is opened at the desk once, and asking for its desk before that fails clearly")
    void endAndDesk() {
        SessionChat chat = chat(Optional.empty());
        assertThat(chat.isOver()).isFalse();
        assertThat(chat.isOpenAtDesk()).isFalse();
        assertThatThrownBy(chat::desk).isInstanceOf(IllegalStateException.class).hasMessageContaining("chat-1");
        chat.end("user");
        assertThat(chat.isOver()).isTrue();
        assertThat(chat.endReason()).isEqualTo("user");
    }
}

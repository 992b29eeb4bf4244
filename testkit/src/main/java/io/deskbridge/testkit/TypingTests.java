package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.anyAgentTyping;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.Capability;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Typing indicators: rule 9 (agentTyping(true) is turned off in time, and the user's typing is never the agent's). */
abstract class TypingTests extends KitGroup {

    TypingTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 9: agentTyping(true) is followed by agentTyping(false) within the typing timeout")
    void typingStopsWithinTimeout() {
        assumeDeclared(Capability.AGENT_TYPING);
        ChatUnderTest chat = joinedChat();
        int from = chat.recording().size();
        chat.agent().agentTypes();
        chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        RecordingCallback.Entry on = entryAfter(chat, from, agentTyping(true));
        Optional<Instant> limit = !onVirtualTime() ? Optional.<Instant>empty() : Optional.of(on.at().plus(typingTimeout()));
        harness().waitUntil(() -> chat.recording().indexOf(agentTyping(false), on.index()).isPresent(),
                () -> "rule 9: agentTyping(false) within " + typingTimeout() + " of agentTyping(true)", limit, false);
        RecordingCallback.Entry off = entryAfter(chat, on.index(), agentTyping(false));
        Duration typedFor = Duration.between(on.at(), off.at());
        require(9, typedFor.compareTo(typingTimeout()) <= 0,
                () -> "agentTyping(false) came " + typedFor + " after agentTyping(true), later than the typing timeout " + typingTimeout());
    }

    @Test
    @DisplayName("Rule 9: an agent message turns the typing indicator off before it is delivered")
    void messageStopsTyping() {
        assumeDeclared(Capability.AGENT_TYPING);
        ChatUnderTest chat = joinedChat();
        int from = chat.recording().size();
        chat.agent().agentTypes();
        chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        String id = chat.agentSendsAndAwait("done typing");
        requireTypingOffBefore(chat, from, messageWithId(id), "the agent's message " + id);
    }

    @Test
    @DisplayName("Rule 9: a transfer turns the typing indicator off before beginTransferToAnotherAgent")
    void transferStopsTyping() {
        assumeDeclared(Capability.AGENT_TYPING);
        assumeDeclared(Capability.TRANSFER);
        ChatUnderTest chat = joinedChat();
        int from = chat.recording().size();
        chat.agent().agentTypes();
        chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        chat.agent().transferTo(secondAgent());
        chat.awaitEventAfter(from, transferStarted(), "rule 4: beginTransferToAnotherAgent after the agent transferred");
        requireTypingOffBefore(chat, from, transferStarted(), "beginTransferToAnotherAgent");
    }

    @Test
    @DisplayName("Rule 9: the agent ending the chat turns the typing indicator off before agentEndedChat")
    void endStopsTyping() {
        assumeDeclared(Capability.AGENT_TYPING);
        ChatUnderTest chat = joinedChat();
        int from = chat.recording().size();
        chat.agent().agentTypes();
        chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        chat.agent().agentEndsChat();
        chat.awaitEventAfter(from, agentEnded(), "rule 6: agentEndedChat after the agent ended the chat");
        requireTypingOffBefore(chat, from, agentEnded(), "agentEndedChat");
    }

    @Test
    @DisplayName("Rule 9: the user's own typing never comes back as the agent's")
    void userTypingIsNotEchoed() {
        assumeDeclared(Capability.USER_TYPING);
        ChatUnderTest chat = joinedChat();
        chat.await(chat.userTyping(true), "userTyping(true)");
        chat.await(chat.userTyping(false), "userTyping(false)");
        settle();
        checkRule(9, () -> assertThat(chat.recording()).hasNo(anyAgentTyping()));
    }

    /** Rule 9: the first agentTyping(true) from {@code from} is turned off before the first {@code event} after it. */
    private void requireTypingOffBefore(ChatUnderTest chat, int from, Predicate<? super CallbackEvent> event, String what) {
        int on = chat.recording().indexOf(agentTyping(true), from).orElseThrow();
        int at = chat.recording().indexOf(event, on).orElseThrow();
        Optional<Integer> off = chat.recording().indexOf(agentTyping(false), on);
        require(9, off.isPresent() && off.get() < at,
                () -> "agentTyping(true) was not turned off before " + what + ":" + chat.recording().describe());
    }

    private Duration typingTimeout() {
        return harness().timing().typingTimeout();
    }
}

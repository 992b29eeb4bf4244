package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentLeft;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.Capability;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Leaving and ending: rule 5 (leaving is not ending), rule 6 (agentEndedChat once and last), rule 7 (nothing after endChat). */
abstract class EndingTests extends KitGroup {

    EndingTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 5: agentLeftChat does not end the chat")
    void leftDoesNotEnd() {
        ChatUnderTest chat = joinedChat();
        chat.agent().agentLeaves();
        chat.awaitEvent(agentLeft().described("rule 5: agentLeftChat after the agent left"));
        chat.await(chat.send("is anyone there?"), "rule 5: sendMessageToAgent after the agent left");
        chat.awaitVendor(() -> chat.agent().userMessages().contains("is anyone there?"), "rule 5: the user's message at the vendor after the agent left");
        settle();
        checkRule(5, () -> assertThat(chat.recording()).hasNo(agentEnded()));
    }

    @Test
    @DisplayName("Rule 5: another agent can join after the agent left")
    void anotherAgentJoinsAfterLeave() {
        ChatUnderTest chat = joinedChat();
        chat.agent().agentLeaves();
        chat.awaitEvent(agentLeft().described("rule 5: agentLeftChat after the agent left"));
        chat.join(secondAgent());
        chat.agentSendsAndAwait("I can help you from here.");
    }

    @Test
    @DisplayName("Rule 6: agentEndedChat is called once, and nothing follows it")
    void agentEndedOnce() {
        ChatUnderTest chat = joinedChat();
        chat.agentSendsAndAwait("Goodbye!");
        chat.agent().agentEndsChat();
        chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
        settle();
        checkRule(6, () -> assertThat(chat.recording()).hasExactly(1, agentEnded()).endsWith(agentEnded()));
    }

    @Test
    @DisplayName("Rule 6: endChat after the agent ended the chat completes normally")
    void endAfterAgentEnded() {
        ChatUnderTest chat = joinedChat();
        chat.agent().agentEndsChat();
        chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
        chat.end();
    }

    @Test
    @DisplayName("Rule 7: after endChat completes, no callback is called, even with agent activity pending")
    void nothingAfterEndChat() {
        ChatUnderTest chat = joinedChat();
        if (declares(Capability.AGENT_TYPING)) {
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        }
        chat.end();
        chat.awaitVendor(chat.agent()::endedByUser, "the vendor to see the user end the chat");
        settle();
        requireNothingAfterEnd(chat);
    }

    @Test
    @DisplayName("Rule 7: endChat while waiting for an agent stops every callback")
    void endWhileWaiting() {
        ChatUnderTest chat = startedChat();
        chat.end();
        chat.awaitVendor(chat.agent()::endedByUser, "the vendor to see the user end the chat");
        settle();
        requireNothingAfterEnd(chat);
    }

    @Test
    @DisplayName("Rule 7: chats the user ended call nothing more and leave none of their timers behind (timers counted on virtual time)")
    void endedChatsLeaveNoTimers() {
        int afterFirst = endBusyChat();
        int afterSecond = endBusyChat();
        // The first chat may start what every chat shares (a poller, a token refresh); the second must add nothing.
        require(7, afterSecond <= afterFirst, () -> "the desk's scheduler holds " + afterSecond + " pending tasks once a second chat ended, "
                + afterFirst + " once the first had: each ended chat leaves a timer behind, which keeps the desk alive and can reach the"
                + " vendor or the callback after the end");
    }

    /** A chat with agent activity that the user ends; the pending scheduler tasks after it (0 on real time). */
    private int endBusyChat() {
        ChatUnderTest chat = joinedChat();
        if (declares(Capability.AGENT_TYPING)) {
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
        }
        chat.agentSendsAndAwait("anything else I can do?");
        chat.end();
        chat.awaitVendor(chat.agent()::endedByUser, "the vendor to see the user end the chat");
        settle();
        requireNothingAfterEnd(chat);
        return kit.scheduler().map(VirtualScheduler::pendingTasks).orElse(0);
    }

    @Test
    @DisplayName("endChat is idempotent: ending twice completes twice")
    void endTwice() {
        ChatUnderTest chat = joinedChat();
        chat.end();
        chat.end();
        assertThat(chat.agent().endedByUser()).as("the vendor saw the user end the chat").isTrue();
    }

    private static void requireNothingAfterEnd(ChatUnderTest chat) {
        List<CallbackEvent> events = chat.recording().events();
        int endedAt = chat.callbacksBeforeEnd();
        require(7, endedAt >= 0 && events.size() == endedAt, () -> (events.size() - endedAt) + " callbacks after endChat completed: "
                + events.subList(Math.max(0, endedAt), events.size()));
    }
}

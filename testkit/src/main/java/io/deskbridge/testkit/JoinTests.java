package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.availability;
import static io.deskbridge.testkit.CallbackMatchers.queuePosition;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The wait and the join: rule 3 (one agentJoined per agent; the first ends the wait). */
abstract class JoinTests extends KitGroup {

    JoinTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 3: agentJoined is called once when the agent accepts the chat")
    void agentJoinedOnce() {
        ChatUnderTest chat = joinedChat();
        settle();
        checkRule(3, () -> assertThat(chat.recording()).hasExactly(1, agentJoined(firstAgent())));
    }

    @Test
    @DisplayName("Rule 3: the joining agent's id and nickname reach the user")
    void profileReachesTheUser() {
        ChatUnderTest chat = joinedChat();
        AgentProfile seen = chat.recording().eventsOf(CallbackEvent.AgentJoined.class).get(0).agent();
        require(3, seen.id().equals(firstAgent().id()) && seen.nickname().equals(firstAgent().nickname()),
                () -> "the user saw agent " + seen + " join, but " + firstAgent() + " joined");
    }

    @Test
    @DisplayName("Rule 3: the first agentJoined ends the wait: no availability update follows it")
    void joinEndsTheWait() {
        ChatUnderTest chat = joinedChat();
        chat.agentSendsAndAwait("hello");
        settle();
        int joinedAt = chat.recording().indexOf(agentJoined(), 0).orElseThrow();
        checkRule(3, () -> assertThat(chat.recording()).hasNoneAfter(joinedAt, availability()));
    }

    @Test
    @DisplayName("Rule 3: a queue update the vendor sends after the join does not reach the user")
    void queueUpdateAfterJoinIsDropped() {
        exercisesIfDeclared(Capability.QUEUE_STATUS);
        ChatUnderTest chat = joinedChat();
        chat.agent().setQueueStatus(OptionalInt.of(4), Optional.of(Duration.ofMinutes(3)));
        // A message after the late queue update: once it arrived, the desk has seen the update too.
        chat.agentSendsAndAwait("the queue update before me came late");
        settle();
        int joinedAt = chat.recording().indexOf(agentJoined(), 0).orElseThrow();
        checkRule(3, () -> assertThat(chat.recording()).hasNoneAfter(joinedAt, availability()));
    }

    @Test
    @DisplayName("While the user waits, queue position updates reach the user")
    void queueStatusWhileWaiting() {
        assumeDeclared(Capability.QUEUE_STATUS);
        ChatUnderTest chat = startedChat();
        chat.agent().setQueueStatus(OptionalInt.of(3), Optional.of(Duration.ofMinutes(2)));
        chat.awaitEvent(queuePosition(3));
        chat.agent().setQueueStatus(OptionalInt.of(1), Optional.of(Duration.ofSeconds(20)));
        chat.awaitEvent(queuePosition(1));
        chat.join(firstAgent());
    }

    @Test
    @DisplayName("A message the user sends while waiting reaches the agent")
    void messageWhileWaiting() {
        ChatUnderTest chat = startedChat();
        chat.await(chat.send("are you there?"), "sendMessageToAgent while waiting");
        chat.awaitVendor(() -> chat.agent().userMessages().contains("are you there?"), "the waiting user's message at the vendor");
        chat.join(firstAgent());
    }
}

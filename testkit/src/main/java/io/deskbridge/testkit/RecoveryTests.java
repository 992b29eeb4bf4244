package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentLeft;
import static io.deskbridge.testkit.CallbackMatchers.disconnected;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.userMessageError;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Lost vendor connections: rule 10 (Disconnected(true), then Disconnected(false), with nothing lost), and rule 8 across
 * it (nothing delivered twice).
 */
abstract class RecoveryTests extends KitGroup {

    /** How many messages the agent sends while the connection is down. */
    static final int OUTAGE_MESSAGES = 6;

    RecoveryTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 10: a lost vendor connection gives Disconnected(true), then Disconnected(false) once it is back")
    void lostConnection() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        dropAndAwait(chat);
        restoreAndAwait(chat);
        checkRule(10, () -> assertThat(chat.recording()).containsSubsequence(disconnected(true), disconnected(false)));
    }

    @Test
    @DisplayName("Rule 10: an agent message sent during the outage arrives once, after the connection is back")
    void nothingLostDuringOutage() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        dropAndAwait(chat);
        String id = chat.agent().agentSends("sent while you were away");
        restoreAndAwait(chat);
        chat.awaitEvent(messageWithId(id).described("rule 10: the agent message sent during the outage"));
        settle();
        checkRule(10, () -> assertThat(chat.recording()).hasExactly(1, messageWithId(id)));
    }

    @Test
    @DisplayName("Rule 10: every agent message of an outage arrives once and in the vendor's order")
    void everyOutageMessageOnceInOrder() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        dropAndAwait(chat);
        List<String> ids = MessageTests.sendBurst(chat, "sent during the outage", OUTAGE_MESSAGES);
        restoreAndAwait(chat);
        for (String id : ids) {
            chat.awaitEvent(messageWithId(id).described("rule 10: agent message " + id + " sent during the outage"));
        }
        settle();
        requireDeliveredOnceInOrder(10, chat, ids, OUTAGE_MESSAGES + " agent messages sent during an outage");
    }

    @Test
    @DisplayName("Rule 10: what the user had before the connection dropped is not delivered again once it is back")
    void deliveredBeforeDropNotRedelivered() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        String first = chat.agentSendsAndAwait("before the drop, 1");
        String second = chat.agentSendsAndAwait("before the drop, 2");
        dropAndAwait(chat);
        restoreAndAwait(chat);
        String after = chat.agent().agentSends("after the connection came back");
        chat.awaitEvent(messageWithId(after).described("rule 10: the agent message sent after the connection came back"));
        settle();
        requireDeliveredOnceInOrder(8, chat, List.of(first, second, after), "messages delivered before a lost connection, then one after it");
    }

    @Test
    @DisplayName("Rule 10: a user message sent while the connection is down fails as rule 11 says, or reaches the agent once and in order")
    void userMessageDuringOutage() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        dropAndAwait(chat);
        UserMessage during = new UserMessage(chat.nextMessageId(), "sent while the connection was down");
        // Either way is right: failing it now (rule 11), or holding it until the connection is back.
        CompletionStage<Throwable> outcome = chat.send(during).handle((ok, failure) -> failure == null ? null : CompletionFailures.unwrap(failure));
        restoreAndAwait(chat);
        Throwable failure = await(outcome, "sendMessageToAgent of a message sent while the connection was down");
        if (failure != null) {
            require(11, failure instanceof ServiceDeskException,
                    () -> "a message sent while the connection was down failed with " + failure + ", not a ServiceDeskException");
            chat.awaitEvent(userMessageError(during.id())
                    .described("rule 11: setErrorStatus(UserMessage(" + during.id() + ")) for the message that failed during the outage"));
        }
        UserMessage after = new UserMessage(chat.nextMessageId(), "sent once the connection was back");
        chat.await(chat.send(after), "sendMessageToAgent once the connection was back");
        chat.awaitVendor(() -> chat.agent().userMessages().contains(after.text()), "the message sent once the connection was back at the vendor");
        settle();
        List<String> received = chat.agent().userMessages().stream().filter(t -> t.equals(during.text()) || t.equals(after.text())).toList();
        List<String> expected = failure == null ? List.of(during.text(), after.text()) : List.of(after.text());
        require(10, received.equals(expected), () -> "the desk " + (failure == null ? "accepted" : "failed") + " message " + during.id()
                + " sent while the connection was down, then sent " + after.id() + ": the vendor received " + received + ", not " + expected
                + (failure == null ? " (an accepted message must reach the agent once, before the next)" : ""));
    }

    @Test
    @DisplayName("Rule 10: the agent's message and leaving during an outage both reach the user once the connection is back")
    void agentLeavesDuringOutage() {
        assumeDeclared(Capability.CONNECTION_RECOVERY);
        ChatUnderTest chat = joinedChat();
        dropAndAwait(chat);
        String bye = chat.agent().agentSends("I have to go, someone else will take over");
        chat.agent().agentLeaves();
        restoreAndAwait(chat);
        chat.awaitEvent(messageWithId(bye).described("rule 10: the agent message " + bye + " sent during the outage"));
        chat.awaitEvent(agentLeft().described("rule 10: agentLeftChat for the agent who left during the outage"));
        settle();
        // Nothing lost, once each; their relative order is not checked: some vendors tell a departure out of band.
        checkRule(10, () -> assertThat(chat.recording()).hasExactly(1, messageWithId(bye)).hasExactly(1, agentLeft()));
    }

    private static void dropAndAwait(ChatUnderTest chat) {
        int from = chat.recording().size();
        chat.agent().dropConnection();
        chat.awaitEventAfter(from, disconnected(true), "rule 10: Disconnected(true) after the connection dropped");
    }

    private static void restoreAndAwait(ChatUnderTest chat) {
        int from = chat.recording().size();
        chat.agent().restoreConnection();
        chat.awaitEventAfter(from, disconnected(false), "rule 10: Disconnected(false) after the connection came back");
    }
}

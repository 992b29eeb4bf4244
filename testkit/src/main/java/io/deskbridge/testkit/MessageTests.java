package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.userMessageError;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Messages both ways: rule 8 (each agent message once, in the vendor's order) and rule 11 (a failed user message). */
abstract class MessageTests extends KitGroup {

    /** Long enough that vendor ids and sequence numbers gain a digit on the way (9 to 10, 99 to 100 for some). */
    static final int LONG_BURST = 30;

    MessageTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 8: agent messages reach the user exactly once and in the vendor's order")
    void agentMessagesExactlyOnceInOrder() {
        ChatUnderTest chat = joinedChat();
        List<String> ids = sendBurst(chat, "message", 5);
        awaitAll(chat, ids);
        settle();
        requireDeliveredOnceInOrder(8, chat, ids, "five agent messages");
    }

    @Test
    @DisplayName("Rule 8: a long burst of agent messages reaches the user exactly once and in the vendor's order")
    void longBurstInOrder() {
        ChatUnderTest chat = joinedChat();
        List<String> ids = sendBurst(chat, "burst message", LONG_BURST);
        awaitAll(chat, ids);
        settle();
        requireDeliveredOnceInOrder(8, chat, ids, LONG_BURST + " agent messages sent at once");
    }

    @Test
    @DisplayName("Rule 8: bursts interleaved with typing, read receipts and another chat's burst each keep their order")
    void interleavedBurstsInOrder() {
        ChatUnderTest first = startedChat();
        first.join(firstAgent());
        ChatUnderTest second = startedChat();
        second.join(secondAgent());
        boolean typing = declares(Capability.AGENT_TYPING);
        boolean reads = declares(Capability.AGENT_READ_RECEIPTS);
        List<String> firstIds = new ArrayList<>();
        List<String> secondIds = new ArrayList<>();
        for (int i = 1; i <= LONG_BURST / 2; i++) {
            if (typing && i % 3 == 0) {
                first.agent().agentTypes();
            }
            firstIds.add(first.agent().agentSends("first chat " + i));
            if (reads && i % 4 == 0) {
                first.agent().agentReads();
            }
            secondIds.add(second.agent().agentSends("second chat " + i));
            firstIds.add(first.agent().agentSends("first chat " + i + "b"));
        }
        awaitAll(first, firstIds);
        awaitAll(second, secondIds);
        settle();
        requireDeliveredOnceInOrder(8, first, firstIds, "a burst interleaved with typing, read receipts and another chat");
        requireDeliveredOnceInOrder(8, second, secondIds, "a burst interleaved with another chat's");
    }

    @Test
    @DisplayName("Rule 8: an agent message carries the vendor's id, the agent's id and the text")
    void agentMessageFields() {
        ChatUnderTest chat = joinedChat();
        String id = chat.agentSendsAndAwait("Let me look into that.");
        AgentMessage message = chat.recording().messages().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        checkRule(8, () -> {
            assertThat(message.text()).isEqualTo("Let me look into that.");
            assertThat(message.origin()).isEqualTo(MessageOrigin.AGENT);
            assertThat(message.agentId()).contains(firstAgent().id());
        });
    }

    @Test
    @DisplayName("User messages reach the agent in the order they were sent")
    void userMessagesInOrder() {
        ChatUnderTest chat = joinedChat();
        List<String> texts = List.of("first", "second", "third");
        for (String text : texts) {
            chat.await(chat.send(text), "sendMessageToAgent(\"" + text + "\")");
        }
        chat.awaitVendor(() -> chat.agent().userMessages().containsAll(texts), "the user's messages at the vendor");
        assertThat(chat.agent().userMessages()).containsSubsequence(texts);
    }

    @Test
    @DisplayName("User messages sent without waiting for each other reach the agent once each, in the order they were sent")
    void pipelinedUserMessagesInOrder() {
        ChatUnderTest chat = joinedChat();
        // Applications send the next message before the last one completed (the web chat does); the first is the
        // longest, as a user's first question often is, so a desk that posts each on its own lets the others overtake it.
        List<String> texts = List.of("a first question, longer than the quick ones the user types after it without waiting",
                "second, sent at once", "third", "4");
        List<CompletionStage<Void>> sends = texts.stream().map(chat::send).toList();
        for (int i = 0; i < sends.size(); i++) {
            chat.await(sends.get(i), "sendMessageToAgent(\"" + texts.get(i) + "\"), sent without waiting for the one before");
        }
        chat.awaitVendor(() -> chat.agent().userMessages().containsAll(texts), "the user's messages at the vendor");
        settle();
        List<String> received = chat.agent().userMessages().stream().filter(texts::contains).toList();
        assertThat(received).as("the user's messages as the vendor received them (sendMessageToAgent keeps the order of the calls)")
                .containsExactlyElementsOf(texts);
    }

    @Test
    @DisplayName("A retried user message reaches the agent once")
    void retriedUserMessageOnce() {
        ChatUnderTest chat = joinedChat();
        UserMessage message = new UserMessage(chat.nextMessageId(), "only once, please");
        chat.await(chat.send(message), "sendMessageToAgent");
        chat.await(chat.send(message), "sendMessageToAgent retried with the same id");
        chat.awaitVendor(() -> chat.agent().userMessages().contains(message.text()), "the message at the vendor");
        settle();
        assertThat(chat.agent().userMessages().stream().filter(message.text()::equals).count())
                .as("times the vendor received the retried message").isEqualTo(1);
    }

    @Test
    @DisplayName("Rule 11: a failed user message completes exceptionally and reports UserMessage with its id")
    void failedUserMessage() {
        ChatUnderTest chat = joinedChat();
        chat.agent().failNextUserMessage();
        UserMessage message = new UserMessage(chat.nextMessageId(), "this one fails");
        Throwable failure = chat.awaitFailure(chat.send(message), "rule 11: sendMessageToAgent refused by the vendor");
        require(11, failure instanceof ServiceDeskException,
                () -> "a failed sendMessageToAgent must complete with ServiceDeskException, not " + failure);
        chat.awaitEvent(userMessageError(message.id()).described("rule 11: setErrorStatus(UserMessage(" + message.id() + "))"));
        chat.await(chat.send("this one works"), "the next sendMessageToAgent after a failure");
    }

    @Test
    @DisplayName("Rule 11: a user message that failed, retried with the same id, is sent again and reaches the agent once")
    void failedUserMessageRetried() {
        ChatUnderTest chat = joinedChat();
        chat.agent().failNextUserMessage();
        UserMessage message = new UserMessage(chat.nextMessageId(), "refused once, then retried");
        chat.awaitFailure(chat.send(message), "rule 11: sendMessageToAgent refused by the vendor");
        chat.await(chat.send(message), "rule 11: the failed message retried with the same id");
        chat.awaitVendor(() -> chat.agent().userMessages().contains(message.text()), "rule 11: the retried message " + message.id()
                + " at the vendor after its retry completed (a retry of a failed message is sent again, not taken for a duplicate)");
        settle();
        long received = chat.agent().userMessages().stream().filter(message.text()::equals).count();
        require(11, received == 1, () -> "the vendor received the failed, then retried message " + received + " times");
    }

    @Test
    @DisplayName("After the chat ended, sendMessageToAgent fails with VENDOR_REJECTED")
    void sendAfterEndFails() {
        ChatUnderTest chat = joinedChat();
        chat.end();
        Throwable failure = chat.awaitFailure(chat.send("too late"), "sendMessageToAgent after endChat");
        assertThat(failure).isInstanceOf(ServiceDeskException.class);
        assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
    }

    /** The agent sends {@code count} messages at once; their vendor ids, in the vendor's order. */
    static List<String> sendBurst(ChatUnderTest chat, String text, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(chat.agent().agentSends(text + " " + i));
        }
        return ids;
    }

    /** Waits until each of {@code ids} reached the user. */
    static void awaitAll(ChatUnderTest chat, List<String> ids) {
        for (String id : ids) {
            chat.awaitEvent(messageWithId(id).described("rule 8: sendMessageToUser of agent message " + id));
        }
    }
}

package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.connectingError;
import static io.deskbridge.testkit.CallbackMatchers.disconnected;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Starting a chat: rule 1 (a fresh desk per chat) and rule 2 (a refused start reports Connecting). */
abstract class StartTests extends KitGroup {

    StartTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 1: every chat gets a fresh desk instance, and two chats are two chats at the vendor")
    void everyChatGetsAFreshDesk() {
        ChatUnderTest first = newChat();
        ChatUnderTest second = newChat();
        require(1, first.desk() != second.desk(), () -> "the factory returned the same desk instance for two chats");
        AgentSideChat firstSide = first.start();
        AgentSideChat secondSide = second.start();
        require(1, !firstSide.id().equals(secondSide.id()), () -> "two chats were opened as one vendor chat " + firstSide.id());
    }

    @Test
    @DisplayName("Rule 1: startChat on a desk that already started a chat fails with IllegalStateException")
    void startChatTwiceFails() {
        ChatUnderTest chat = startedChat();
        // The application's mistake, not the desk's: call the desk directly so the monitor does not count it.
        CompletionStage<Void> again = chat.call("startChat", () -> chat.desk().startChat(connectRequest(), StartChatOptions.none()));
        Throwable failure = awaitFailure(again, "rule 1: a second startChat on the same desk");
        require(1, failure instanceof IllegalStateException,
                () -> "a second startChat must fail with IllegalStateException, but failed with " + failure);
    }

    @Test
    @DisplayName("Rule 1: desks of two chats at once keep their chats apart")
    void twoChatsAreIndependent() {
        ChatUnderTest first = startedChat();
        first.join(firstAgent());
        ChatUnderTest second = startedChat();
        second.join(secondAgent());
        String forFirst = first.agentSendsAndAwait("for the first chat");
        String forSecond = second.agentSendsAndAwait("for the second chat");
        settle();
        checkRule(1, () -> {
            assertThat(first.recording()).hasNo(messageWithId(forSecond));
            assertThat(second.recording()).hasNo(messageWithId(forFirst));
        });
    }

    @Test
    @DisplayName("startChat completes once the vendor accepted the chat, before any agent joined")
    void startCompletesBeforeJoin() {
        ChatUnderTest chat = newChat();
        AtomicReference<Long> joinsAtCompletion = new AtomicReference<>();
        CompletionStage<Void> stage = chat.startChat(connectRequest(), StartChatOptions.none())
                .whenComplete((ok, failure) -> joinsAtCompletion.set(chat.recording().count(agentJoined())));
        await(stage, "startChat to complete");
        assertThat(joinsAtCompletion.get()).as("agentJoined calls when startChat completed").isZero();
        chat.attachAgentSide(awaitVendorChat());
    }

    @Test
    @DisplayName("The connect summary reaches the agent as the user's first message")
    void connectSummaryIsTheFirstMessage() {
        ConnectRequest request = ConnectRequest.of("billing", "The user asks about invoice 4711");
        ChatUnderTest chat = newChat();
        AgentSideChat side = chat.start(request);
        chat.awaitVendor(() -> !side.userMessages().isEmpty(), "the connect summary at the vendor");
        assertThat(side.userMessages().get(0)).isEqualTo(request.connectSummary().orElseThrow());
    }

    @Test
    @DisplayName("Rule 2: a chat the vendor refuses reports Connecting, then fails startChat")
    void refusedChat() {
        driver().rejectNextChat();
        ChatUnderTest chat = newChat();
        AtomicReference<Long> connectingAtFailure = new AtomicReference<>();
        CompletionStage<Void> stage = chat.startChat(connectRequest(), StartChatOptions.none())
                .whenComplete((ok, failure) -> connectingAtFailure.set(chat.recording().count(connectingError())));
        Throwable failure = awaitFailure(stage, "rule 2: startChat of a chat the vendor refused");
        require(2, failure instanceof ServiceDeskException, () -> "startChat must fail with ServiceDeskException, not " + failure);
        require(2, connectingAtFailure.get() > 0,
                () -> "startChat failed before the desk reported setErrorStatus(Connecting):" + chat.recording().describe());
        settle();
        checkRule(2, () -> assertThat(chat.recording()).hasNo(agentJoined()).hasNo(disconnected(true)));
    }
}

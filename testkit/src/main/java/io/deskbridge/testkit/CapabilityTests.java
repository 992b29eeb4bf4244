package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentRead;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.disconnected;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.queuePosition;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Capabilities: rule 14 (one set declared everywhere; what is declared works, as the user sees it; what is not
 * declared fails naming the capability). What a declared capability carries to the vendor is checked in
 * {@link VendorSideTests}.
 */
abstract class CapabilityTests extends KitGroup {

    CapabilityTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 14: the provider, the factory and each desk declare the same capabilities")
    void sameCapabilitiesEverywhere() {
        ChatUnderTest chat = newChat();
        checkRule(14, () -> {
            Set<Capability> announced = kit.provider().capabilities(harness().configuration());
            assertThat(kit.factory().capabilities()).as("the factory's capabilities").isEqualTo(announced);
            assertThat(chat.desk().capabilities()).as("the desk's capabilities").isEqualTo(announced);
        });
    }

    @Test
    @DisplayName("Rule 14: every optional method the desk does not declare fails with UnsupportedCapabilityException naming the capability")
    void undeclaredMethodsFail() {
        List<Capability> undeclared = new ArrayList<>();
        for (Capability capability : Capability.values()) {
            if (capability.isMethod() && !capabilities().contains(capability)) {
                undeclared.add(capability);
            }
        }
        Assumptions.assumeFalse(undeclared.isEmpty(), "the desk declares every optional method");
        for (Capability capability : undeclared) {
            ChatUnderTest chat = capability == Capability.RECONNECT ? resumedChat(PersistedState.empty()) : newChat();
            CompletionStage<?> stage = callOptionalMethod(chat, capability);
            Throwable failure = awaitFailure(stage, "rule 14: " + capability + " is not declared, so its method must fail");
            require(14, failure instanceof UnsupportedCapabilityException u && u.capability() == capability,
                    () -> capability + " is not declared but its method failed with " + failure + " instead of UnsupportedCapabilityException");
            String message = String.valueOf(failure.getMessage());
            require(14, message.contains(capability.name()) || message.contains(capability.description()),
                    () -> "the failure of undeclared " + capability + " does not name it: " + message);
        }
    }

    private CompletionStage<?> callOptionalMethod(ChatUnderTest chat, Capability capability) {
        switch (capability) {
            case UPDATE_STATE:
                return chat.updateState(ChatState.empty().withDisplayName("Kit User"));
            case USER_TYPING:
                return chat.userTyping(true);
            case USER_READ_RECEIPTS:
                return chat.userReadMessages();
            case AGENTS_ONLINE:
                return chat.areAnyAgentsOnline(connectRequest());
            case FILE_UPLOADS:
                return chat.filesSelectedForUpload(List.of(kit.acceptableFile()));
            case RECONNECT:
                return chat.reconnect();
            default:
                throw new IllegalArgumentException(capability + " is not a method");
        }
    }

    @Test
    @DisplayName("Rule 14: declared UPDATE_STATE: updateState completes before and during a chat")
    void updateStateWorks() {
        declaredCapabilityWorks(Capability.UPDATE_STATE, () -> {
            ChatUnderTest chat = newChat();
            chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User").withLocale("en-GB")), "updateState before startChat");
            chat.start();
            chat.join(firstAgent());
            chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User Renamed")), "updateState during the chat");
        });
    }

    @Test
    @DisplayName("Rule 14: declared USER_TYPING: the agent sees the user typing")
    void userTypingWorks() {
        declaredCapabilityWorks(Capability.USER_TYPING, () -> {
            ChatUnderTest chat = joinedChat();
            chat.await(chat.userTyping(true), "userTyping(true)");
            chat.awaitVendor(() -> chat.agent().userTypingCount() > 0, "the user's typing at the vendor");
            chat.await(chat.userTyping(false), "userTyping(false)");
        });
    }

    @Test
    @DisplayName("Rule 14: declared USER_READ_RECEIPTS: the agent sees the user's read receipt")
    void userReadReceiptsWork() {
        declaredCapabilityWorks(Capability.USER_READ_RECEIPTS, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("please read me");
            chat.await(chat.userReadMessages(), "userReadMessages");
            chat.awaitVendor(() -> chat.agent().userReadCount() > 0, "the user's read receipt at the vendor");
        });
    }

    @Test
    @DisplayName("Rule 14: declared AGENTS_ONLINE: the answer follows whether agents are online")
    void agentsOnlineWorks() {
        declaredCapabilityWorks(Capability.AGENTS_ONLINE, () -> {
            driver().setAgentsOnline(true);
            ChatUnderTest online = newChat();
            assertThat(online.await(online.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline with agents online"))
                    .as("areAnyAgentsOnline with agents online").isEqualTo(AgentsOnline.ONLINE);
            driver().setAgentsOnline(false);
            ChatUnderTest offline = newChat();
            assertThat(offline.await(offline.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline with no agent online"))
                    .as("areAnyAgentsOnline with no agent online").isEqualTo(AgentsOnline.OFFLINE);
        });
    }

    @Test
    @DisplayName("Rule 14: declared FILE_UPLOADS: a selected file is accepted and a message with it reaches the agent")
    void fileUploadsWork() {
        declaredCapabilityWorks(Capability.FILE_UPLOADS, () -> {
            ChatUnderTest chat = joinedChat();
            FileUpload file = kit.acceptableFile();
            chat.await(chat.filesSelectedForUpload(List.of(file)), "filesSelectedForUpload");
            chat.await(chat.send(new UserMessage(chat.nextMessageId(), "see the attached file", List.of(file))),
                    "sendMessageToAgent with a file");
            settle();
            assertThat(chat.recording().eventsOf(CallbackEvent.FileStatus.class).stream().map(CallbackEvent.FileStatus::status)
                    .filter(s -> s.fileId().equals(file.id()) && s.isError()).toList())
                    .as("errors reported for an acceptable file").isEmpty();
        });
    }

    @Test
    @DisplayName("Rule 14: declared RECONNECT: a new desk resumes the chat from the last persisted state")
    void reconnectWorks() {
        declaredCapabilityWorks(Capability.RECONNECT, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("before the reconnect");
            settle();
            PersistedState state = chat.recording().lastPersistedState()
                    .orElseThrow(() -> new AssertionError("no updatePersistedState was called"));
            ChatUnderTest resumed = resumedChat(state);
            resumed.attachAgentSide(chat.agent());
            assertThat(resumed.await(resumed.reconnect(), "reconnect of a live chat")).as("reconnect of a live chat").isTrue();
            String later = resumed.agent().agentSends("after the reconnect");
            resumed.awaitEvent(messageWithId(later));
            settle();
            assertThat(resumed.recording()).hasExactly(1, messageWithId(later));
        });
    }

    @Test
    @DisplayName("Rule 14: declared AGENT_TYPING: the user sees the agent typing")
    void agentTypingWorks() {
        declaredCapabilityWorks(Capability.AGENT_TYPING, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agent().agentTypes();
            chat.awaitEvent(agentTyping(true));
        });
    }

    @Test
    @DisplayName("Rule 14: declared AGENT_READ_RECEIPTS: the user sees the agent's read receipt")
    void agentReadReceiptsWork() {
        declaredCapabilityWorks(Capability.AGENT_READ_RECEIPTS, () -> {
            ChatUnderTest chat = joinedChat();
            chat.await(chat.send("read this"), "sendMessageToAgent");
            chat.agent().agentReads();
            chat.awaitEvent(agentRead());
        });
    }

    @Test
    @DisplayName("Rule 14: declared QUEUE_STATUS: the user sees the queue position while waiting")
    void queueStatusWorks() {
        declaredCapabilityWorks(Capability.QUEUE_STATUS, () -> {
            ChatUnderTest chat = startedChat();
            chat.agent().setQueueStatus(OptionalInt.of(2), Optional.of(Duration.ofMinutes(1)));
            chat.awaitEvent(queuePosition(2));
        });
    }

    @Test
    @DisplayName("Rule 14: declared TRANSFER: the user sees a transfer start")
    void transferWorks() {
        declaredCapabilityWorks(Capability.TRANSFER, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agent().transferTo(secondAgent());
            chat.awaitEvent(transferStarted());
        });
    }

    @Test
    @DisplayName("Rule 14: declared CONNECTION_RECOVERY: a dropped connection is reported and recovered with nothing lost")
    void connectionRecoveryWorks() {
        declaredCapabilityWorks(Capability.CONNECTION_RECOVERY, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agent().dropConnection();
            chat.awaitEvent(disconnected(true));
            String id = chat.agent().agentSends("during the outage");
            chat.agent().restoreConnection();
            chat.awaitEvent(disconnected(false));
            chat.awaitEvent(messageWithId(id));
            settle();
            assertThat(chat.recording()).hasExactly(1, messageWithId(id));
        });
    }
}

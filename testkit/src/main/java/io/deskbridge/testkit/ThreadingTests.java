package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackMatchers.messageWithId;

import io.deskbridge.core.ContractViolation;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Threading: rule 12 (callbacks of one chat serial, never from inside the application's call). */
abstract class ThreadingTests extends KitGroup {

    ThreadingTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 12: callbacks for one chat are never called concurrently")
    void noConcurrentCallbacks() {
        ChatUnderTest chat = joinedChat();
        chat.recording().slowDown(Duration.ofMillis(3));
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            if (declares(Capability.AGENT_TYPING)) {
                chat.agent().agentTypes();
            }
            ids.add(chat.agent().agentSends("burst " + i));
        }
        for (String id : ids) {
            chat.awaitEvent(messageWithId(id).described("rule 8: sendMessageToUser of agent message " + id));
        }
        settle();
        chat.recording().slowDown(Duration.ZERO);
        assertNoViolationOf(12, chat);
    }

    @Test
    @DisplayName("Rule 12: no callback is made from inside the application's call into the desk")
    void noCallbackInsideCalls() {
        ChatUnderTest chat = newChat();
        Set<Capability> declared = capabilities();
        if (declared.contains(Capability.AGENTS_ONLINE)) {
            chat.await(chat.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline");
        }
        if (declared.contains(Capability.UPDATE_STATE)) {
            chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User")), "updateState");
        }
        chat.start();
        chat.join(firstAgent());
        chat.await(chat.send("hello"), "sendMessageToAgent");
        if (declared.contains(Capability.USER_TYPING)) {
            chat.await(chat.userTyping(true), "userTyping(true)");
        }
        if (declared.contains(Capability.USER_READ_RECEIPTS)) {
            chat.await(chat.userReadMessages(), "userReadMessages");
        }
        chat.end();
        settle();
        assertNoViolationOf(12, chat);
    }

    private void assertNoViolationOf(int rule, ChatUnderTest chat) {
        List<ContractViolation> broken = chat.recording().violations().stream().filter(v -> v.rule() == rule).toList();
        if (!broken.isEmpty()) {
            throw new AssertionError(broken.stream().map(String::valueOf).collect(Collectors.joining("\n")));
        }
    }
}

package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;

import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.Capability;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Transfers: rule 4 (after a join, ending with the new agent's join or the agent's end). */
abstract class TransferTests extends KitGroup {

    TransferTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 4: a transfer starts after the join and completes with the new agent's agentJoined")
    void transferCompletesWithJoin() {
        assumeDeclared(Capability.TRANSFER);
        ChatUnderTest chat = joinedChat();
        chat.agent().transferTo(secondAgent());
        chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
        chat.join(secondAgent());
        checkRule(4, () -> assertThat(chat.recording())
                .containsSubsequence(agentJoined(firstAgent()), transferStarted(), agentJoined(secondAgent())));
    }

    @Test
    @DisplayName("Rule 4: after a transfer, messages come from the new agent")
    void messagesFromTheNewAgent() {
        assumeDeclared(Capability.TRANSFER);
        ChatUnderTest chat = joinedChat();
        chat.agent().transferTo(secondAgent());
        chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
        chat.join(secondAgent());
        String id = chat.agentSendsAndAwait("Hi, I am taking over.");
        AgentMessage message = chat.recording().messages().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        checkRule(4, () -> assertThat(message.agentId()).contains(secondAgent().id()));
    }

    @Test
    @DisplayName("Rule 4: a transfer may end with the agent ending the chat")
    void transferEndsWithAgentEnd() {
        assumeDeclared(Capability.TRANSFER);
        ChatUnderTest chat = joinedChat();
        chat.agent().transferTo(secondAgent());
        chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
        chat.agent().agentEndsChat();
        chat.awaitEvent(agentEnded().described("rule 4: agentEndedChat ending a transfer"));
        checkRule(4, () -> assertThat(chat.recording()).containsSubsequence(transferStarted(), agentEnded()));
    }
}

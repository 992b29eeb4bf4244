package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentSideChat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One simulated guest chat as the kit's agent sees it; every action maps to a {@link SimulatedConversation} script. */
public final class SimulatorAgentSideChat implements AgentSideChat {
    private final SimulatedConversation conversation;

    SimulatorAgentSideChat(SimulatedConversation conversation) {
        this.conversation = requireNonNull(conversation, "conversation is null");
    }

    /** The simulated conversation behind this chat, for Genesys-specific assertions. */
    public SimulatedConversation conversation() {
        return conversation;
    }

    @Override
    public String id() {
        return conversation.id();
    }

    /**
     * Genesys has no per-chat queue position: the position becomes the queue's {@code oWaiting} (empty counts the
     * waiting chats again) and the wait the conversation's estimated wait time.
     */
    @Override
    public void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
        if (positionInQueue.isPresent()) {
            conversation.queue().setWaiting(positionInQueue.getAsInt());
        } else {
            conversation.queue().countWaiting();
        }
        conversation.setEstimatedWait(estimatedWait);
    }

    @Override
    public void agentJoins(AgentProfile agent) {
        conversation.agentJoins(simulated(agent));
    }

    @Override
    public void agentTypes() {
        conversation.agentTypes();
    }

    @Override
    public String agentSends(String text) {
        return conversation.agentSends(text);
    }

    @Override
    public void transferTo(AgentProfile nextAgent) {
        conversation.transferTo(simulated(nextAgent));
    }

    @Override
    public void agentLeaves() {
        conversation.agentLeaves();
    }

    @Override
    public void agentEndsChat() {
        conversation.agentEndsChat();
    }

    @Override
    public void dropConnection() {
        conversation.dropStream();
    }

    @Override
    public void restoreConnection() {
        conversation.restoreStream();
    }

    @Override
    public void failNextUserMessage() {
        conversation.failNextGuestMessage();
    }

    @Override
    public List<String> userMessages() {
        return conversation.guestMessages();
    }

    @Override
    public int userTypingCount() {
        return conversation.guestTypingCount();
    }

    /** The guest's display name, from the conversation's create request ({@code memberInfo.displayName}). */
    @Override
    public Optional<String> userName() {
        return Optional.ofNullable(conversation.guestDisplayName()).filter(name -> !name.isBlank());
    }

    /** The desk sends the user's locale as the custom field {@code locale} of the guest member. */
    @Override
    public Optional<String> userLocale() {
        return Optional.ofNullable(conversation.guestCustomFields().get("locale"));
    }

    @Override
    public boolean endedByUser() {
        return conversation.endedByGuest();
    }

    private static GenesysAgent simulated(AgentProfile agent) {
        return new GenesysAgent(agent.id(), agent.nickname(), agent.avatarUrl());
    }
}

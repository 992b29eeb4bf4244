package io.deskbridge.spi;

import java.util.Optional;
import java.util.Set;

/**
 * What a desk tells the application about its chat. The application implements it; the desk calls it.
 *
 * <p><b>Threads and order.</b> Callbacks for one chat are never called concurrently and never from inside the
 * application's call into the desk (rule 12): a desk calls them from its own I/O or scheduler threads, one at a
 * time, in the order the vendor's events happened. {@code ChatSession} delivers them to the application on a
 * per-chat serial executor, so an application callback may block briefly but should not do I/O.
 *
 * <p><b>Sequence.</b> The permitted sequences are the numbered rules on {@link ServiceDesk}: the wait
 * ({@code updateAgentAvailability}*), a join ({@code agentJoined}), the chat (messages, typing, read receipts,
 * transfers: {@code beginTransferToAnotherAgent}, optional {@code agentLeftChat}, {@code agentJoined}), and at most
 * one {@code agentEndedChat}, after which nothing is called (rule 6), as after the user's {@code endChat} (rule 7).
 */
public interface ServiceDeskCallback {

    /** Queue position, estimated wait or a message while the user waits for an agent. May be called repeatedly. */
    void updateAgentAvailability(AgentAvailability availability);

    /**
     * An agent joined: the first one ends the wait; a later one completes a transfer. Once per agent (rule 3).
     */
    void agentJoined(AgentProfile agent);

    /**
     * A transfer to another agent started, with the new agent's profile when the vendor already knows it. Only
     * after an agent joined; followed by {@code agentJoined} or {@code agentEndedChat} (rule 4).
     */
    void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent);

    /** The agent left the chat without ending it (rule 5): the user waits for another agent or ends the chat. */
    void agentLeftChat();

    /** The agent or the vendor ended the chat. At most once, and the last callback of the chat (rule 6). */
    void agentEndedChat();

    /**
     * The agent started or stopped typing. {@code true} is always followed by {@code false} within the desk's
     * typing timeout, or before the next agent message, {@code beginTransferToAnotherAgent} or
     * {@code agentEndedChat}, whichever comes first (rule 9). An indicator left on when the agent leaves
     * ({@code agentLeftChat}) is not a violation; {@code ChatSession} turns it off for the application.
     */
    void agentTyping(boolean isTyping);

    /** The agent has read the user's messages (read receipt). */
    void agentReadMessages();

    /** A message for the user. Each vendor message id exactly once, in the vendor's order (rule 8). */
    void sendMessageToUser(AgentMessage message);

    /** Sets or clears an error state: {@link ErrorInfo.Connecting}, {@link ErrorInfo.Disconnected}, {@link ErrorInfo.UserMessage}. */
    void setErrorStatus(ErrorInfo error);

    /** The outcome of checking or uploading a file the user selected or sent. */
    void setFileUploadStatus(FileUploadStatus status);

    /** The desk's capabilities changed (for example once the vendor told it which files it accepts). */
    void updateCapabilities(Set<Capability> capabilities);

    /**
     * What the desk needs to {@link ServiceDesk#reconnect()} changed (rule 13). The application stores the latest
     * state and hands it to a new desk instance to resume the chat.
     */
    void updatePersistedState(PersistedState state);
}

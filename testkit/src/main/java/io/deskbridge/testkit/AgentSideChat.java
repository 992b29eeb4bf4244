package io.deskbridge.testkit;

import io.deskbridge.spi.AgentProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One chat as the vendor's agents see it: the kit acts as the agent through it and reads what the user sent.
 * Obtained from {@link AgentDriver#awaitChat(Duration)}. Every action returns once the vendor side performed it
 * (the desk may observe it later). Optional actions throw {@link DriverHookMissing}.
 */
public interface AgentSideChat {

    /** The vendor's id of the chat, for messages. */
    String id();

    /** Updates the queue status the desk can report while the user waits ({@code QUEUE_STATUS}). */
    default void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
        throw new DriverHookMissing("AgentSideChat.setQueueStatus");
    }

    /** An agent accepts the chat (or, after a transfer started, the new agent joins). */
    void agentJoins(AgentProfile agent);

    /** The agent in the chat starts typing. */
    void agentTypes();

    /**
     * The agent sends a message.
     *
     * @return the vendor's id of the message, which the desk must pass on as {@code AgentMessage.id()}
     */
    String agentSends(String text);

    /** The agent has read the user's messages ({@code AGENT_READ_RECEIPTS}). */
    default void agentReads() {
        throw new DriverHookMissing("AgentSideChat.agentReads");
    }

    /**
     * The agent in the chat transfers it to {@code nextAgent} ({@code TRANSFER}); the new agent does not join yet
     * (call {@link #agentJoins(AgentProfile)} for that).
     */
    default void transferTo(AgentProfile nextAgent) {
        throw new DriverHookMissing("AgentSideChat.transferTo");
    }

    /** The agent leaves the chat without ending it. */
    default void agentLeaves() {
        throw new DriverHookMissing("AgentSideChat.agentLeaves");
    }

    /** The agent ends the chat. */
    void agentEndsChat();

    /** The vendor connection of this chat drops ({@code CONNECTION_RECOVERY}); the vendor keeps the chat. */
    default void dropConnection() {
        throw new DriverHookMissing("AgentSideChat.dropConnection");
    }

    /** The vendor accepts connections for this chat again after {@link #dropConnection()}. */
    default void restoreConnection() {
        throw new DriverHookMissing("AgentSideChat.restoreConnection");
    }

    /** The vendor refuses the next user message of this chat. */
    default void failNextUserMessage() {
        throw new DriverHookMissing("AgentSideChat.failNextUserMessage");
    }

    /** The texts the vendor received from the user in this chat, in order (the connect summary first, if any). */
    List<String> userMessages();

    /** How many typing notifications from the user the vendor received ({@code USER_TYPING}). */
    default int userTypingCount() {
        throw new DriverHookMissing("AgentSideChat.userTypingCount");
    }

    /** How many read receipts from the user the vendor received ({@code USER_READ_RECEIPTS}). */
    default int userReadCount() {
        throw new DriverHookMissing("AgentSideChat.userReadCount");
    }

    /**
     * The user's name as the vendor shows it to the agent, once the desk passed it on ({@code UPDATE_STATE}: the
     * display name of {@code updateState}); empty while the vendor has none.
     */
    default java.util.Optional<String> userName() {
        throw new DriverHookMissing("AgentSideChat.userName");
    }

    /**
     * The user's locale as the vendor recorded it ({@code UPDATE_STATE}: the locale of {@code updateState}), as a
     * language tag such as {@code en-GB}; empty while the vendor has none. A vendor that keeps no locale at all says so
     * with {@link AgentDriver#vendorKeepsLocale()}.
     */
    default java.util.Optional<String> userLocale() {
        throw new DriverHookMissing("AgentSideChat.userLocale");
    }

    /** The files the vendor received from the user in this chat, in order, with their bytes ({@code FILE_UPLOADS}). */
    default List<ReceivedFile> userFiles() {
        throw new DriverHookMissing("AgentSideChat.userFiles");
    }

    /** Whether the user's side ended the chat at the vendor (after {@code endChat}). */
    boolean endedByUser();
}

package io.deskbridge.core;

/** Where a chat is in its life, as {@link ChatSession} and {@link ContractMonitor} track it. */
public enum ChatStatus {
    /** The desk was created; neither {@code startChat} nor {@code reconnect} was called. */
    NEW,
    /** {@code startChat} or {@code reconnect} was called and has not completed. */
    STARTING,
    /** The chat is queued; no agent joined yet. */
    WAITING,
    /** An agent is in the chat. */
    JOINED,
    /** A transfer to another agent is under way. */
    TRANSFERRING,
    /** The agent left without ending the chat; another may join. */
    AGENT_LEFT,
    /** The chat could not start. */
    FAILED,
    /** The agent or the vendor ended the chat. */
    ENDED_BY_AGENT,
    /** The user ended the chat. */
    ENDED_BY_USER;

    /** Whether the chat is over: no callback may follow. */
    public boolean isTerminal() {
        return this == FAILED || this == ENDED_BY_AGENT || this == ENDED_BY_USER;
    }

    /** Whether an agent joined at some point and the chat is not over. */
    public boolean isConnected() {
        return this == JOINED || this == TRANSFERRING || this == AGENT_LEFT;
    }
}

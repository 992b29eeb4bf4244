package io.deskbridge.spi;

/**
 * An optional part of the contract that a desk may or may not support.
 *
 * <p>A desk declares what it supports in {@link ServiceDesk#capabilities()}. Rule 14: what a desk declares works; an
 * optional method whose capability is not declared fails with {@link UnsupportedCapabilityException} naming the
 * capability. Capabilities of the agent side (typing, read receipts, queue status, transfer, connection recovery)
 * tell the application which callbacks it can expect, and tell the conformance kit which tests to run.
 */
public enum Capability {
    /** {@link ServiceDesk#updateState(ChatState)}: the desk uses the user's name, ids or locale. */
    UPDATE_STATE("state updates", true),
    /** {@link ServiceDesk#userTyping(boolean)}: the user's typing reaches the agent. */
    USER_TYPING("user typing indicators", true),
    /** {@link ServiceDesk#userReadMessages()}: the user's read receipts reach the agent. */
    USER_READ_RECEIPTS("user read receipts", true),
    /** {@link ServiceDesk#areAnyAgentsOnline(ConnectRequest)}: the desk can tell whether agents are online. */
    AGENTS_ONLINE("agent availability checks", true),
    /** {@link ServiceDesk#filesSelectedForUpload(java.util.List)} and files in {@link UserMessage}. */
    FILE_UPLOADS("file uploads", true),
    /** {@link ServiceDesk#reconnect()}: a chat can be resumed from {@link PersistedState} by a new desk instance. */
    RECONNECT("reconnecting to a chat from persisted state", true),
    /** {@link ServiceDeskCallback#agentTyping(boolean)} is called. */
    AGENT_TYPING("agent typing indicators", false),
    /** {@link ServiceDeskCallback#agentReadMessages()} is called. */
    AGENT_READ_RECEIPTS("agent read receipts", false),
    /** {@link ServiceDeskCallback#updateAgentAvailability(AgentAvailability)} is called while the user waits. */
    QUEUE_STATUS("queue position and wait time", false),
    /** {@link ServiceDeskCallback#beginTransferToAnotherAgent(java.util.Optional)} is called when agents transfer. */
    TRANSFER("transfers to another agent", false),
    /** A lost vendor connection is reported and recovered with nothing lost (rule 10). */
    CONNECTION_RECOVERY("recovery of a lost vendor connection", false);

    private final String description;
    private final boolean method;

    Capability(String description, boolean method) {
        this.description = description;
        this.method = method;
    }

    /** What the capability is, in words a user of the framework reads in an error message. */
    public String description() {
        return description;
    }

    /**
     * Whether the capability is an optional method of {@link ServiceDesk} (which then fails with
     * {@link UnsupportedCapabilityException} when undeclared), rather than a callback the desk may make.
     */
    public boolean isMethod() {
        return method;
    }
}

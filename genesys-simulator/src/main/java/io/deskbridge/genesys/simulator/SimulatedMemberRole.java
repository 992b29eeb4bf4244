package io.deskbridge.genesys.simulator;

/** The role of a member of a guest chat conversation, as {@code WebChatMemberInfo.role} carries it. */
public enum SimulatedMemberRole {
    /** The guest (the user of deskbridge). */
    CUSTOMER,
    /** The Architect inbound chat flow, present before the chat is queued. */
    WORKFLOW,
    /** The queue, present while the chat waits for an agent. */
    ACD,
    /** A human agent. */
    AGENT
}

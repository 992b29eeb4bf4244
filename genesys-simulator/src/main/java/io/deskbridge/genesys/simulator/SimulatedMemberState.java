package io.deskbridge.genesys.simulator;

/** The state of a member of a guest chat conversation, as {@code member-change} events carry it. */
public enum SimulatedMemberState {
    /** An agent is being offered the chat. */
    ALERTING,
    /** The member is in the chat. */
    CONNECTED,
    /** The member left the chat. */
    DISCONNECTED
}

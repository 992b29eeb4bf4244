package io.deskbridge.spi;

/** The answer of {@link ServiceDesk#areAnyAgentsOnline(ConnectRequest)}. */
public enum AgentsOnline {
    /** At least one agent is logged in to serve this request (not necessarily free now). */
    ONLINE,
    /** No agent can serve this request now; starting a chat would wait or fail. */
    OFFLINE,
    /** The desk could not tell (vendor slow or failing). */
    UNKNOWN
}

package io.deskbridge.genesys.simulator;

/**
 * An agent's routing status, the qualifier of {@code oOnQueueUsers} and {@code oUserRoutingStatuses} in queue
 * observations. {@link #IDLE} agents can take a chat now.
 */
public enum RoutingStatus {
    IDLE,
    INTERACTING,
    COMMUNICATING,
    NOT_RESPONDING,
    /** Not on queue: counted by {@code oOffQueueUsers} and {@code oUserRoutingStatuses}, never by {@code oOnQueueUsers}. */
    OFF_QUEUE;

    /** Whether an agent in this status is on queue (counted by {@code oOnQueueUsers}). */
    public boolean onQueue() {
        return this != OFF_QUEUE;
    }
}

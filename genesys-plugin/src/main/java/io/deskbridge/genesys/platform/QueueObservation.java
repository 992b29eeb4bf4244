package io.deskbridge.genesys.platform;

/**
 * What a Genesys queue looks like now, from a queue observation query.
 *
 * @param queueId the queue's id
 * @param onQueueAgents agents on queue, whatever their routing status (the sum of every {@code oOnQueueUsers} entry)
 * @param idleAgents agents on queue and free to take a chat now ({@code oOnQueueUsers} with qualifier {@code IDLE})
 * @param waiting conversations waiting in the queue ({@code oWaiting}: chats, or every media type when the answer is
 *     not split by media type)
 */
public record QueueObservation(String queueId, long onQueueAgents, long idleAgents, long waiting) {
    public QueueObservation {
        if (queueId == null || queueId.isBlank()) {
            throw new IllegalArgumentException("queueId is blank");
        }
        if (onQueueAgents < 0 || idleAgents < 0 || waiting < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Whether any agent is on queue (free or busy). */
    public boolean anyAgentOnQueue() {
        return onQueueAgents > 0;
    }
}

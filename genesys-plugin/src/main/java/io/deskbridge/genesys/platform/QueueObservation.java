package io.deskbridge.genesys.platform;

/**
 * What a Genesys queue looks like now, from a queue observation query.
 *
 * @param queueId the queue's id
 * @param onQueueAgents agents on queue, whatever their routing status (every {@code oOnQueueUsers} entry), for logs
 * @param availableAgents agents on queue who take chats: routing status {@code IDLE} or {@code INTERACTING}
 *     (Genesys's definition of an on-queue agent; {@code COMMUNICATING} and {@code NOT_RESPONDING} agents are not
 *     offered a chat), or the unqualified {@code oOnQueueUsers} count when Genesys gives no routing status
 * @param idleAgents agents on queue and free to take a chat now ({@code oOnQueueUsers} with qualifier {@code IDLE})
 * @param waiting conversations waiting in the queue ({@code oWaiting}: chats, or every media type when the answer is
 *     not split by media type)
 */
public record QueueObservation(String queueId, long onQueueAgents, long availableAgents, long idleAgents, long waiting) {
    public QueueObservation {
        if (queueId == null || queueId.isBlank()) {
            throw new IllegalArgumentException("queueId is blank");
        }
        if (onQueueAgents < 0 || availableAgents < 0 || idleAgents < 0 || waiting < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Whether any agent who takes chats is on the queue (idle, or interacting with capacity for more). */
    public boolean anyAgentAvailable() {
        return availableAgents > 0;
    }
}

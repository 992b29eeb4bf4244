package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A message of a simulated conversation, as {@code GET .../messages} lists it: text from any member, notices, and
 * the in-band {@code member-join} / {@code member-leave} announcements.
 *
 * @param id the message id
 * @param senderId the member id of the sender
 * @param senderRole the sender's role
 * @param body the text ({@code ""} for member announcements)
 * @param bodyType {@code standard}, {@code notice}, {@code member-join} or {@code member-leave}
 * @param timestamp when the simulator accepted it
 */
public record SimulatedMessage(
        String id, String senderId, SimulatedMemberRole senderRole, String body, String bodyType, Instant timestamp) {

    public SimulatedMessage {
        requireNonNull(id, "id is null");
        requireNonNull(senderId, "senderId is null");
        requireNonNull(senderRole, "senderRole is null");
        requireNonNull(body, "body is null");
        requireNonNull(bodyType, "bodyType is null");
        requireNonNull(timestamp, "timestamp is null");
    }

    /** Whether this is text (a {@code standard} or {@code notice} message), not a member announcement. */
    public boolean isText() {
        return bodyType.equals("standard") || bodyType.equals("notice");
    }
}

package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A message in a conversation, as the vendor stores it.
 *
 * @param id the vendor's id, unique in the conversation; messages are ordered by the vendor
 * @param sender who wrote it (the customer's own messages come back too)
 * @param text the text
 * @param sentAt when the vendor received it
 */
public record VendorMessage(String id, VendorParticipant sender, String text, Instant sentAt) {
    public VendorMessage {
        requireNonNull(id, "id is null");
        requireNonNull(sender, "sender is null");
        requireNonNull(text, "text is null");
        requireNonNull(sentAt, "sentAt is null");
    }
}

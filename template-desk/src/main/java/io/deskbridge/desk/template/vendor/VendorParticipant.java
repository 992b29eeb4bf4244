package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * A member of a conversation as the vendor describes it.
 *
 * @param id the vendor's stable id of the participant
 * @param role who the participant is
 * @param displayName the name the vendor shows
 * @param avatarUrl the participant's picture, if the vendor has one
 */
public record VendorParticipant(String id, Role role, String displayName, Optional<URI> avatarUrl) {

    /** The kinds of participant a vendor reports. */
    public enum Role {
        /** A human agent. */
        AGENT,
        /** The customer: the user of deskbridge. Vendors echo the customer's own events back on the stream. */
        CUSTOMER,
        /** A bot or flow on the vendor's side. */
        BOT,
        /** The vendor's system (notices). */
        SYSTEM
    }

    public VendorParticipant {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(avatarUrl, "avatarUrl is null");
    }
}

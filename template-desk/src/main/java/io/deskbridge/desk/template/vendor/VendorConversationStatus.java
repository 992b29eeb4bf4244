package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where a conversation is, as the vendor's REST API reports it.
 *
 * @param ended whether the conversation is over (or unknown to the vendor)
 * @param agent the agent in the conversation now, if any
 */
public record VendorConversationStatus(boolean ended, Optional<VendorParticipant> agent) {
    public VendorConversationStatus {
        requireNonNull(agent, "agent is null");
    }
}

package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of the create call: the conversation id, the guest's JWT for every later call, the event stream's
 * address (used exactly as returned) and the guest's member id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateConversationResponse(String id, String jwt, String eventStreamUri, MemberRef member) {
    public CreateConversationResponse {
        if (id == null || id.isBlank() || jwt == null || jwt.isBlank() || eventStreamUri == null || eventStreamUri.isBlank()
                || member == null || member.id() == null || member.id().isBlank()) {
            throw new IllegalArgumentException("the create answer lacks id, jwt, eventStreamUri or member.id");
        }
    }
}

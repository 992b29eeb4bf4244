package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

/**
 * A conversation the vendor opened: its id and the token that authorises the customer's side of it. The token is
 * scoped to the conversation, so it may be persisted to reconnect (it is never printed).
 */
public record VendorConversation(String id, String token) {
    public VendorConversation {
        requireNonNull(id, "id is null");
        requireNonNull(token, "token is null");
        if (id.isBlank() || token.isBlank()) {
            throw new IllegalArgumentException("a conversation needs an id and a token");
        }
    }

    @Override
    public String toString() {
        return "VendorConversation[id=" + id + "]";
    }
}

package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.PersistedState;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * What identifies a guest chat at Genesys: the conversation, the guest's member id, the guest JWT and the event
 * stream's address. Persisted (rule 13) so that a new desk instance can resume the chat; the JWT is scoped to this
 * chat and expires with it.
 */
record GuestSession(String conversationId, String memberId, String jwt, URI eventStreamUri) {
    static final String CONVERSATION_ID = "conversationId";
    static final String MEMBER_ID = "memberId";
    static final String JWT = "jwt";
    static final String EVENT_STREAM_URI = "eventStreamUri";

    GuestSession {
        requireNonNull(conversationId, "conversationId is null");
        requireNonNull(memberId, "memberId is null");
        requireNonNull(jwt, "jwt is null");
        requireNonNull(eventStreamUri, "eventStreamUri is null");
    }

    PersistedState writeTo(PersistedState state) {
        return state.with(CONVERSATION_ID, conversationId).with(MEMBER_ID, memberId).with(JWT, jwt)
                .with(EVENT_STREAM_URI, eventStreamUri.toString());
    }

    /** The session recorded in {@code state}, or empty when a key is missing or malformed. */
    static Optional<GuestSession> readFrom(PersistedState state) {
        Optional<String> conversation = state.get(CONVERSATION_ID);
        Optional<String> member = state.get(MEMBER_ID);
        Optional<String> jwt = state.get(JWT);
        Optional<String> uri = state.get(EVENT_STREAM_URI);
        if (conversation.isEmpty() || member.isEmpty() || jwt.isEmpty() || uri.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GuestSession(conversation.get(), member.get(), jwt.get(), new URI(uri.get())));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "GuestSession{conversation=" + conversationId + ", member=" + memberId + "}";
    }
}

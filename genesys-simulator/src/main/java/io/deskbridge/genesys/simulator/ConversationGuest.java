package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guest's side of one guest chat conversation, as the guest chat API serves it: the guest JWT's validity, the
 * messages and typing notifications the guest posts (checked as Genesys checks them) and the guest leaving; and what
 * a test reads of it. Guarded by the conversation's lock.
 */
final class ConversationGuest {
    private final GenesysSimulator simulator;
    private final Wire wire;
    private final String conversationId;
    private final String memberId;
    private final Instant jwtExpiresAt;
    private final ConversationMembers members;
    private final ConversationMessages messages;
    private final ConversationEvents events;
    private final List<String> texts = new ArrayList<>();
    private int typingCount;
    private Optional<Instant> lastTyping = Optional.empty();
    private boolean tokenExpired;
    private ApiError nextMessageFailure;

    ConversationGuest(GenesysSimulator simulator, String conversationId, String memberId, Instant jwtExpiresAt,
            ConversationMembers members, ConversationMessages messages, ConversationEvents events) {
        this.simulator = simulator;
        this.wire = simulator.wire();
        this.conversationId = conversationId;
        this.memberId = memberId;
        this.jwtExpiresAt = jwtExpiresAt;
        this.members = members;
        this.messages = messages;
        this.events = events;
    }

    /** The texts the guest sent, in order (refused messages are not here). */
    List<String> texts() {
        return List.copyOf(texts);
    }

    int typingCount() {
        return typingCount;
    }

    Optional<Instant> lastTyping() {
        return lastTyping;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The guest JWT

    void expireToken() {
        tokenExpired = true;
    }

    boolean tokenValid() {
        return !tokenExpired && simulator.now().isBefore(jwtExpiresAt);
    }

    void checkTokenValid() {
        if (!tokenValid()) {
            throw ApiError.of(401, "credentials.expired", "The guest token has expired.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What the guest does

    /** The guest's next message post is refused with this error. */
    void failNextMessage(ApiError failure) {
        nextMessageFailure = failure;
    }

    /** {@code POST .../members/{memberId}/messages}: the message as the answer shows it. */
    ObjectNode postMessage(String memberId, Optional<String> body, Optional<String> bodyType) {
        members.requireGuest(memberId);
        members.requireGuestActive();
        if (nextMessageFailure != null) {
            ApiError failure = nextMessageFailure;
            nextMessageFailure = null;
            throw failure;
        }
        if (body.isEmpty()) {
            throw ApiError.onField(400, "chat.error.notnull.createconversationmessagerequest.body",
                    "The message body may not be null.", "body");
        }
        if (body.get().length() > SimulatedConversation.MAX_BODY_LENGTH) {
            throw ApiError.withParams(400, "constraint.validation",
                    "body: size must be between 0 and {max}; it has {length} characters",
                    Map.of("max", Integer.toString(SimulatedConversation.MAX_BODY_LENGTH), "length",
                            Integer.toString(body.get().length())));
        }
        String type = bodyType.orElse("standard");
        if (!type.equals("standard") && !type.equals("notice")) {
            throw ApiError.onField(400, "invalid.value",
                    "bodyType '" + type + "' is not one a guest may send (standard, notice).", "bodyType");
        }
        SimulatedMessage message = messages.add(members.guest(), body.get(), type);
        texts.add(body.get());
        return wire.message(conversationId, message, true);
    }

    /** {@code POST .../members/{memberId}/typing}: a typing indicator to the agent, and the answer. */
    ObjectNode typing(String memberId) {
        members.requireGuest(memberId);
        members.requireGuestActive();
        typingCount++;
        lastTyping = Optional.of(simulator.now());
        String eventId = events.typing(members.guest());
        return wire.typing(conversationId, eventId, this.memberId, simulator.now(), true);
    }

    /** {@code DELETE .../members/{memberId}}: the guest leaves, which ends the conversation. */
    void leave(String memberId) {
        members.requireGuest(memberId);
        members.requireGuestActive();
        members.guestLeaves();
    }
}

package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Optional;

/**
 * A chat message ({@code WebChatMessage}), as {@code GET …/messages} lists it, the send call answers it and the
 * event stream's {@code message} events carry it. {@code sender} holds the member id only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebChatMessage(String id, MemberRef sender, Optional<String> body, BodyType bodyType, Optional<String> timestamp) {
    public WebChatMessage {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a message without id");
        }
        if (sender == null || sender.id() == null || sender.id().isBlank()) {
            throw new IllegalArgumentException("message " + id + " has no sender id");
        }
        body = body == null ? Optional.empty() : body;
        bodyType = bodyType == null ? BodyType.STANDARD : bodyType;
        timestamp = timestamp == null ? Optional.empty() : timestamp;
    }
}

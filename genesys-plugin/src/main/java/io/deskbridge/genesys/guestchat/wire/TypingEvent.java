package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The body of a {@code typing-indicator} event: who is typing. Genesys sends no "stopped typing". */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TypingEvent(String id, MemberRef sender) {
    public TypingEvent {
        if (sender == null || sender.id() == null || sender.id().isBlank()) {
            throw new IllegalArgumentException("a typing event without sender.id");
        }
    }
}

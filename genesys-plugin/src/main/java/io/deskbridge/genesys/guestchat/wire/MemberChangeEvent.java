package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Optional;

/** The body of a {@code member-change} event: a member's id and new state. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberChangeEvent(MemberRef member, Optional<String> timestamp) {
    public MemberChangeEvent {
        if (member == null || member.id() == null || member.id().isBlank()) {
            throw new IllegalArgumentException("a member-change event without member.id");
        }
        timestamp = timestamp == null ? Optional.empty() : timestamp;
    }

    public MemberState state() {
        return member.state().orElse(MemberState.UNKNOWN);
    }
}

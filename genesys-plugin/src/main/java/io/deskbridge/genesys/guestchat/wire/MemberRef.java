package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Optional;

/** A member as events name it: its id, and its state in {@code member-change} events. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberRef(String id, Optional<MemberState> state) {
    public MemberRef {
        state = state == null ? Optional.empty() : state;
    }
}

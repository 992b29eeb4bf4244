package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** A member's state in the conversation; {@link #UNKNOWN} for a value this version does not know. */
public enum MemberState {
    ALERTING, CONNECTED, DISCONNECTED, UNKNOWN;

    @JsonCreator
    public static MemberState of(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}

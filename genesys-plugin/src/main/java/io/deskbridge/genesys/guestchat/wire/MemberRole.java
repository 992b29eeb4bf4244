package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * A member's role: the guest ({@code CUSTOMER}), the Architect flow ({@code WORKFLOW}), the queue while waiting
 * ({@code ACD}) or a human ({@code AGENT}); {@link #UNKNOWN} for anything else.
 */
public enum MemberRole {
    AGENT, CUSTOMER, WORKFLOW, ACD, UNKNOWN;

    @JsonCreator
    public static MemberRole of(String value) {
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

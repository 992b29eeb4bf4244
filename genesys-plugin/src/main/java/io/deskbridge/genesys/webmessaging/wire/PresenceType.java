package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code presence.type} of a {@code Presence} event. */
public enum PresenceType implements WireEnum {
    JOIN("Join"),
    DISCONNECT("Disconnect"),
    CLEAR("Clear"),
    SIGN_IN("SignIn"),
    SESSION_EXPIRED("SessionExpired"),
    AUTHENTICATE("Authenticate");

    private final String wire;

    PresenceType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<PresenceType> fromWire(String value) {
        return WireEnum.parse(PresenceType.class, value);
    }
}

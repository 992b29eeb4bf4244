package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The kind of an event element of an {@code Event} message. */
public enum EventType implements WireEnum {
    TYPING("Typing"),
    PRESENCE("Presence"),
    CO_BROWSE("CoBrowse"),
    VIDEO("Video"),
    REACTIONS("Reactions");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<EventType> fromWire(String value) {
        return WireEnum.parse(EventType.class, value);
    }
}

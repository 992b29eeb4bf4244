package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code typing.type} of a {@code Typing} event. */
public enum TypingType implements WireEnum {
    ON("On"),
    OFF("Off");

    private final String wire;

    TypingType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<TypingType> fromWire(String value) {
        return WireEnum.parse(TypingType.class, value);
    }
}

package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code type} of a structured message. */
public enum MessageType implements WireEnum {
    TEXT("Text"),
    STRUCTURED("Structured"),
    EVENT("Event"),
    RECEIPT("Receipt"),
    MESSAGE("Message");

    private final String wire;

    MessageType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<MessageType> fromWire(String value) {
        return WireEnum.parse(MessageType.class, value);
    }
}

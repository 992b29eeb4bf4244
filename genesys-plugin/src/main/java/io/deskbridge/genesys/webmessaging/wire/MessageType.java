package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/**
 * The {@code type} of a structured message: the values Genesys's messenger SDKs know. Any other value parses to empty
 * and the message is skipped, never guessed at.
 */
public enum MessageType implements WireEnum {
    TEXT("Text"),
    STRUCTURED("Structured"),
    EVENT("Event"),
    RECEIPT("Receipt");

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

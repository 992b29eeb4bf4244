package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code status} of a {@code Receipt} message. */
public enum ReceiptStatus implements WireEnum {
    SENT("Sent"),
    DELIVERED("Delivered"),
    READ("Read"),
    FAILED("Failed"),
    PUBLISHED("Published"),
    REMOVED("Removed");

    private final String wire;

    ReceiptStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<ReceiptStatus> fromWire(String value) {
        return WireEnum.parse(ReceiptStatus.class, value);
    }
}

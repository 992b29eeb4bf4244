package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** Which way a structured message travels: {@code Inbound} from the guest, {@code Outbound} to the guest. */
public enum Direction implements WireEnum {
    INBOUND("Inbound"),
    OUTBOUND("Outbound");

    private final String wire;

    Direction(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<Direction> fromWire(String value) {
        return WireEnum.parse(Direction.class, value);
    }
}

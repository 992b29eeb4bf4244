package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** Whether a server frame answers a request or is pushed. */
public enum FrameType implements WireEnum {
    RESPONSE("response"),
    MESSAGE("message");

    private final String wire;

    FrameType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<FrameType> fromWire(String value) {
        return WireEnum.parse(FrameType.class, value);
    }
}

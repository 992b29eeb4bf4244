package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** Who wrote an outbound message: a person or a bot/flow. */
public enum OriginatingEntity implements WireEnum {
    HUMAN("Human"),
    BOT("Bot");

    private final String wire;

    OriginatingEntity(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<OriginatingEntity> fromWire(String value) {
        return WireEnum.parse(OriginatingEntity.class, value);
    }
}

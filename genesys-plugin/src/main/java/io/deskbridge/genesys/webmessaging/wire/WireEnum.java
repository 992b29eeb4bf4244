package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** A Genesys enum value with its exact spelling on the wire. */
public interface WireEnum {

    /** The value as Genesys writes it. */
    String wire();

    /**
     * The constant of {@code type} spelled exactly {@code value} on the wire, or empty for a value this version
     * does not know (never the first constant, never a near match).
     */
    static <E extends Enum<E> & WireEnum> Optional<E> parse(Class<E> type, String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}

package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

/** Argument checks shared by the value types of this package. */
final class Checks {
    private Checks() {}

    static String requireNonBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
        return value;
    }
}

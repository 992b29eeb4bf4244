package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

/**
 * A configuration value that must never be printed: its {@link #toString()} is masked. Call {@link #reveal()} only
 * where the value is sent to the vendor.
 */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = requireNonNull(value, "value is null");
    }

    /** The secret value, for the one place that sends it to the vendor; never log it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "******";
    }
}

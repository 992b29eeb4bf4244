package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

/**
 * An optional method was called on a desk that does not declare its {@link Capability} (rule 14). The message
 * names the desk and the capability: {@code "The example service desk does not support file uploads
 * (capability FILE_UPLOADS)"}.
 */
public class UnsupportedCapabilityException extends ServiceDeskException {

    private final Capability capability;

    /** The message names the desk and the capability: "The Acme service desk does not support user read receipts (capability USER_READ_RECEIPTS)". */
    public UnsupportedCapabilityException(String deskName, Capability capability) {
        super(Kind.UNSUPPORTED, "The " + requireNonNull(deskName, "deskName is null") + " service desk does not support "
                + requireNonNull(capability, "capability is null").description() + " (capability " + capability.name() + ")");
        this.capability = capability;
    }

    /** The capability the desk does not declare. */
    public Capability capability() {
        return capability;
    }
}

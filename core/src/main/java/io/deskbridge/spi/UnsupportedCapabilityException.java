package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

/**
 * An optional method was called on a desk that does not declare its {@link Capability} (rule 14). The message
 * names the desk and the capability: {@code "The example service desk does not support file uploads
 * (capability FILE_UPLOADS)"}.
 */
public class UnsupportedCapabilityException extends ServiceDeskException {

    private final Capability capability;

    public UnsupportedCapabilityException(String deskName, Capability capability) {
        super(Kind.UNSUPPORTED, "The " + requireNonNull(deskName, "deskName is null") + " service desk does not support "
                + requireNonNull(capability, "capability is null").description() + " (capability " + capability.name() + ")");
        this.capability = capability;
    }

    public Capability capability() {
        return capability;
    }
}

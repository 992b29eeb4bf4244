package io.deskbridge.desk.template.vendor;

import io.deskbridge.spi.ServiceDeskException;

/**
 * A call to the vendor failed: the HTTP status (or 0 when the vendor could not be reached) and the vendor's
 * explanation. The desk turns it into a {@link io.deskbridge.spi.ServiceDeskException} of the right kind.
 */
public class TemplateVendorException extends RuntimeException {
    private final int status;

    public TemplateVendorException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 for a network failure. */
    public int status() {
        return status;
    }

    /**
     * This failure as deskbridge's one exception family: {@code VENDOR_REJECTED} when the vendor refused,
     * {@code VENDOR_UNAVAILABLE} when it could not be reached or failed (worth a retry).
     */
    public ServiceDeskException toServiceDeskException(String action, String messageToUser) {
        boolean rejected = isRejection();
        return new ServiceDeskException(rejected ? ServiceDeskException.Kind.VENDOR_REJECTED : ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                "The template vendor " + (rejected ? "refused to " : "failed to ") + action + " ("
                        + (status == 0 ? "unreachable" : "HTTP " + status) + "): " + getMessage() + (rejected ? "" : "; try again later"),
                messageToUser, this);
    }

    /** Whether the vendor refused the request itself (a 4xx other than 408 and 429), so a retry would fail too. */
    public boolean isRejection() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }
}

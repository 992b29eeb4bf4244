package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import java.util.Optional;

/**
 * A call to a vendor's HTTP API failed: the HTTP status ({@link #NETWORK_FAILURE} when the vendor could not be reached)
 * and the vendor's explanation. A vendor client throws it (or a subclass of its own) and {@link VendorChat} turns it into
 * the {@link ServiceDeskException} whose kind says who can fix it: {@code VENDOR_REJECTED} when the vendor refused the
 * request itself, so that a retry would fail too; {@code VENDOR_UNAVAILABLE} when it could not be reached or failed.
 */
public class VendorCallException extends RuntimeException {

    /** The status of a call that reached no vendor (refused connection, timeout, unknown host). */
    public static final int NETWORK_FAILURE = 0;

    private final String vendor;
    private final int status;

    /**
     * @param vendor the vendor as people call it ("the Acme contact center"), for the message
     * @param status the HTTP status, or {@link #NETWORK_FAILURE}
     * @param message the vendor's explanation (never a secret)
     */
    public VendorCallException(String vendor, int status, String message) {
        super(requireNonNull(message, "message is null"));
        this.vendor = requireNonNull(vendor, "vendor is null");
        if (status != NETWORK_FAILURE && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
    }

    /** The HTTP status, or {@link #NETWORK_FAILURE}. */
    public int status() {
        return status;
    }

    /** Whether the vendor refused the request itself (a 4xx other than 408 and 429), so a retry would fail too. */
    public boolean isRejection() {
        return isRejection(status);
    }

    /**
     * Whether a vendor call answered {@code status} ({@link #NETWORK_FAILURE} for none) was refused, so that a retry would
     * fail too: a 4xx other than 408 (timeout) and 429 (rate limit). For a desk whose vendor client has an exception of
     * its own and maps only its vendor's particular codes itself.
     */
    public static boolean isRejection(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /** The kind of a vendor call's failure with {@code status}: {@code VENDOR_REJECTED} for a rejection, else {@code VENDOR_UNAVAILABLE}. */
    public static Kind kindOf(int status) {
        return isRejection(status) ? Kind.VENDOR_REJECTED : Kind.VENDOR_UNAVAILABLE;
    }

    /** This failure of {@code action} ("send message m1") as deskbridge's one exception family. */
    public ServiceDeskException toServiceDeskException(String action, Optional<String> messageToUser) {
        requireNonNull(action, "action is null");
        boolean rejected = isRejection();
        return new ServiceDeskException(rejected ? Kind.VENDOR_REJECTED : Kind.VENDOR_UNAVAILABLE,
                capitalised(vendor) + (rejected ? " refused to " : " failed to ") + action + " ("
                        + (status == NETWORK_FAILURE ? "unreachable" : "HTTP " + status) + "): " + getMessage() + (rejected ? "" : "; try again later"),
                requireNonNull(messageToUser, "messageToUser is null").orElse(null), this);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

package io.deskbridge.desk.template.vendor;

import io.deskbridge.desk.support.VendorCallException;

/**
 * A call to the vendor failed: the HTTP status (or 0 when the vendor could not be reached) and the vendor's
 * explanation. The desk turns it into a {@link io.deskbridge.spi.ServiceDeskException} of the right kind
 * ({@link VendorCallException#toServiceDeskException}).
 */
public class TemplateVendorException extends VendorCallException {

    public TemplateVendorException(int status, String message) {
        super("the template vendor", status, message);
    }
}

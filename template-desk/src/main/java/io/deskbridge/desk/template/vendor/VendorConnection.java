package io.deskbridge.desk.template.vendor;

/** An open event stream of one conversation (see {@link TemplateVendorClient#connect}). */
public interface VendorConnection extends AutoCloseable {

    /** Closes the stream; no event reaches its listener afterwards. Idempotent. */
    @Override
    void close();
}

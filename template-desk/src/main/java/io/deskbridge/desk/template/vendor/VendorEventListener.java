package io.deskbridge.desk.template.vendor;

/** Receives a conversation's events, one at a time, in the vendor's order, on the client's I/O threads. */
@FunctionalInterface
public interface VendorEventListener {

    /** One event. Must not block: hand the work to the chat's own executor. */
    void onEvent(VendorEvent event);
}

package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The agent message ids a chat already delivered, to deliver each exactly once (rule 8): a vendor repeats a message
 * on a new stream, in a history page read after a reconnect, or twice on one socket. It remembers the last
 * {@link #CAPACITY} ids and forgets the oldest first.
 *
 * <p><b>One cap, and why this one.</b> A duplicate arrives close to its original: in the catch-up after a dropped
 * connection (a history page or two) or as a vendor's retry. A window of {@value #CAPACITY} ids covers any catch-up a
 * desk reads with room to spare, and costs memory only for the messages a chat really delivered (a few dozen for a
 * typical chat; the application's transcript holds them anyway). {@link ContractMonitor} and every desk use this one
 * window so that the desk and the runtime that checks it agree on what counts as a duplicate.
 *
 * <p>It lives in {@code core}, not in {@code desk-support}, because {@link ContractMonitor} needs it and {@code core}
 * cannot depend on the desk-support library (which depends on {@code core}); desk-support builds on it.
 *
 * <p>Not thread-safe: a chat's events are handled one at a time, and so is this window.
 */
public final class DeliveredIds {

    /** How many ids are remembered: the one cap for the whole framework. */
    public static final int CAPACITY = 10_000;

    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    /**
     * Records {@code id} as delivered.
     *
     * @return {@code true} the first time an id is seen (deliver it), {@code false} for a duplicate (drop it)
     */
    public boolean firstDelivery(String id) {
        requireNonNull(id, "id is null");
        if (!ids.add(id)) {
            return false;
        }
        if (ids.size() > CAPACITY) {
            Iterator<String> oldest = ids.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Whether {@code id} was delivered (and is still remembered). */
    public boolean contains(String id) {
        return ids.contains(requireNonNull(id, "id is null"));
    }

    /** How many ids are remembered, at most {@link #CAPACITY}. */
    public int size() {
        return ids.size();
    }
}

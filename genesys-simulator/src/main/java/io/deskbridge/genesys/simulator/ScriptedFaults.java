package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The {@link RequestFault}s a test queued for the REST API and the login server: each answers the first request it
 * matches, in the order queued, once. Thread-safe.
 */
final class ScriptedFaults {
    private final Deque<RequestFault> faults = new ArrayDeque<>();

    synchronized void add(RequestFault fault) {
        faults.addLast(requireNonNull(fault, "fault is null"));
    }

    /** Removes and returns the first queued fault that matches this request. */
    synchronized Optional<RequestFault> take(String method, String path) {
        for (Iterator<RequestFault> queued = faults.iterator(); queued.hasNext(); ) {
            RequestFault fault = queued.next();
            if (fault.matches(method, path)) {
                queued.remove();
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    synchronized void clear() {
        faults.clear();
    }
}

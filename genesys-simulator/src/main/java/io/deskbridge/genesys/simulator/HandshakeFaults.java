package io.deskbridge.genesys.simulator;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Socket handshakes a simulator's WebSocket server is told to fail, and how many it failed: shared by the guest chat
 * event stream and the web messaging socket. Thread-safe.
 */
public final class HandshakeFaults {
    private final AtomicInteger toFail = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /** The next {@code count} handshakes fail (0 stops failing them). */
    public void failNext(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        toFail.set(count);
    }

    /** How many handshakes failed so far. */
    public int failed() {
        return failed.get();
    }

    /**
     * Called by the server for each handshake: throws when this one is to fail, which Java-WebSocket answers with
     * {@code 500 Internal Server Error}.
     */
    public void check() {
        if (toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            failed.incrementAndGet();
            throw new IllegalStateException("simulated handshake failure");
        }
    }
}

package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripted delivery faults of a session's outbound messages: the next few lost (they never reach the guest's
 * sockets, as messages sent just before a connection dropped), or held and then delivered in reverse order. Thread-safe.
 */
final class OutboundDelivery {
    private final List<ObjectNode> held = new ArrayList<>();
    private int holdCount;
    private int loseCount;

    synchronized void loseNext(int count) {
        loseCount = count;
    }

    synchronized void holdNext(int count) {
        holdCount = count;
    }

    /** What goes out now that {@code message} is sent: nothing, the message, or the held messages in reverse. */
    synchronized List<ObjectNode> release(ObjectNode message) {
        List<ObjectNode> toSend = new ArrayList<>();
        if (loseCount > 0) {
            loseCount--;
        } else if (holdCount > 0) {
            held.add(message);
            holdCount--;
            if (holdCount == 0) {
                for (int i = held.size() - 1; i >= 0; i--) {
                    toSend.add(held.get(i));
                }
                held.clear();
            }
        } else {
            toSend.add(message);
        }
        return toSend;
    }
}

package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream of one guest chat conversation: its open sockets (refused while a test keeps the stream down)
 * and the frames fanned out to them ({@code
 * message}, {@code member-change}, {@code typing-indicator} on the conversation's topics, protocol reference §B).
 * A frame reaches the sockets open when it is sent; none is kept for later (as on a real stream, the guest lists the
 * messages it missed with {@code GET .../messages}). The socket set is thread-safe; the rest is called under the
 * conversation's lock.
 */
final class ConversationEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationEvents.class);

    private final GenesysSimulator simulator;
    private final Wire wire;
    private final String conversationId;
    private final String messagesTopic;
    private final String membersTopic;
    private final Set<WebSocket> sockets = new CopyOnWriteArraySet<>();
    private boolean refused;

    ConversationEvents(GenesysSimulator simulator, String conversationId) {
        this.simulator = simulator;
        this.wire = simulator.wire();
        this.conversationId = conversationId;
        this.messagesTopic = "v2.conversations.chats." + conversationId + ".messages";
        this.membersTopic = "v2.conversations.chats." + conversationId + ".members";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sockets

    void attach(WebSocket socket) {
        sockets.add(socket);
    }

    void detach(WebSocket socket) {
        sockets.remove(socket);
    }

    /** Refuses new sockets until {@link #accept()}; forgets the open ones and returns them, for the caller to end. */
    List<WebSocket> refuse() {
        refused = true;
        List<WebSocket> detached = List.copyOf(sockets);
        sockets.clear();
        return detached;
    }

    void accept() {
        refused = false;
    }

    /** Whether new sockets are refused (a test dropped the stream). */
    boolean refused() {
        return refused;
    }

    boolean isAttached() {
        return sockets.stream().anyMatch(WebSocket::isOpen);
    }

    /** Closes every socket with 1000, as Genesys does once the guest is disconnected. */
    void closeAll() {
        for (WebSocket socket : List.copyOf(sockets)) {
            socket.close(CloseFrame.NORMAL, "conversation ended");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events

    void message(SimulatedMessage message) {
        send(wire.event(messagesTopic, "message", wire.message(conversationId, message, false),
                simulator.nextId(Ids.Kind.CORRELATION)));
    }

    void memberChange(ConversationMember member) {
        ObjectNode body = wire.object();
        body.set("conversation", wire.conversationRef(conversationId, false));
        body.putObject("member").put("id", member.id).put("state", member.state.name());
        body.put("timestamp", Wire.timestamp(simulator.now()));
        send(wire.event(membersTopic, "member-change", body, simulator.nextId(Ids.Kind.CORRELATION)));
    }

    /** A {@code typing-indicator} from the member; returns the event id. */
    String typing(ConversationMember sender) {
        String eventId = simulator.nextId(Ids.Kind.EVENT);
        send(wire.event(messagesTopic, "typing-indicator",
                wire.typing(conversationId, eventId, sender.id, simulator.now(), false),
                simulator.nextId(Ids.Kind.CORRELATION)));
        return eventId;
    }

    /** A frame cut off in the middle of the JSON. */
    void malformed() {
        send("{\"topicName\":\"" + messagesTopic + "\",\"version\":\"2\",\"eventBody\":{\"id\":");
    }

    /** A well-formed event of a kind no client knows ({@code attribute-change} on the attributes topic). */
    void unknownEvent() {
        ObjectNode body = wire.object();
        body.set("conversation", wire.conversationRef(conversationId, false));
        body.putObject("attributes").put("simulated", "true");
        body.put("timestamp", Wire.timestamp(simulator.now()));
        send(wire.event("v2.conversations.chats." + conversationId + ".attributes", "attribute-change", body,
                simulator.nextId(Ids.Kind.CORRELATION)));
    }

    void heartbeat() {
        send(wire.heartbeat());
    }

    /** Sends the frame to every open socket; one that closes meanwhile misses it. */
    void send(String frame) {
        for (WebSocket socket : sockets) {
            if (socket.isOpen()) {
                try {
                    socket.send(frame);
                } catch (WebsocketNotConnectedException e) {
                    LOG.debug("conversation {}: a stream socket closed while sending", conversationId);
                }
            }
        }
    }
}

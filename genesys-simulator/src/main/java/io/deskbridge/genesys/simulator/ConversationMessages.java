package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message log of one guest chat conversation: every message in order (text, notices and the in-band member
 * announcements), each sent on the event stream as it is added and kept for {@code GET .../messages}, so that a guest
 * whose stream was down lists what it missed. Guarded by the conversation's lock.
 */
final class ConversationMessages {
    private final GenesysSimulator simulator;
    private final Wire wire;
    private final String conversationId;
    private final ConversationEvents events;
    private final List<SimulatedMessage> messages = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();

    ConversationMessages(GenesysSimulator simulator, String conversationId, ConversationEvents events) {
        this.simulator = simulator;
        this.wire = simulator.wire();
        this.conversationId = conversationId;
        this.events = events;
    }

    /** Stores a message from the member and sends it on the event stream. */
    SimulatedMessage add(ConversationMember sender, String body, String bodyType) {
        SimulatedMessage message = new SimulatedMessage(simulator.nextId(Ids.Kind.MESSAGE), sender.id, sender.role,
                body, bodyType, simulator.now());
        positions.put(message.id(), messages.size());
        messages.add(message);
        events.message(message);
        return message;
    }

    List<SimulatedMessage> all() {
        return List.copyOf(messages);
    }

    /** The message as {@code GET .../messages/{id}} shows it. */
    ObjectNode messageJson(String messageId) {
        Integer position = positions.get(messageId);
        if (position == null) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Message " + messageId + " was not found in conversation " + conversationId + ".");
        }
        return wire.message(conversationId, messages.get(position), true);
    }

    /**
     * A page of messages: those after {@code after} and before {@code before} (both exclusive), in the sort order,
     * at most {@code maxResults}; {@code next} is the URI of the following page, absent on the last one (simulator
     * choice: the reference leaves open whether it holds a URI or an id; {@code previousPage} is never set).
     */
    ObjectNode page(Optional<String> after, Optional<String> before, boolean descending, int maxResults) {
        int from = after.map(messageId -> position(messageId, "after") + 1).orElse(0);
        int to = before.map(messageId -> position(messageId, "before")).orElse(messages.size());
        List<SimulatedMessage> range = new ArrayList<>(messages.subList(from, Math.max(from, to)));
        if (descending) {
            Collections.reverse(range);
        }
        boolean more = range.size() > maxResults;
        List<SimulatedMessage> listed = range.subList(0, Math.min(maxResults, range.size()));
        ObjectNode page = wire.object();
        page.put("pageSize", maxResults);
        ArrayNode entities = page.putArray("entities");
        listed.forEach(message -> entities.add(wire.message(conversationId, message, true)));
        String base = Wire.GUEST_PATH + "/" + conversationId + "/messages?maxResults=" + maxResults
                + (descending ? "&sortOrder=descending" : "");
        if (more) {
            String last = listed.get(listed.size() - 1).id();
            page.put("next", base + (descending ? "&before=" : "&after=") + last);
        }
        StringBuilder self = new StringBuilder(base);
        after.ifPresent(a -> self.append("&after=").append(a));
        before.ifPresent(b -> self.append("&before=").append(b));
        page.put("selfUri", self.toString());
        return page;
    }

    private int position(String messageId, String parameter) {
        Integer position = positions.get(messageId);
        if (position == null) {
            throw ApiError.onField(404, "chat.error.not.found",
                    "Message " + messageId + " (" + parameter + ") was not found in conversation " + conversationId
                            + ".", parameter);
        }
        return position;
    }
}

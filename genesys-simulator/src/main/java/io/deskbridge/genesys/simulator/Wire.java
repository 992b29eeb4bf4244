package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON shapes the simulator writes, field by field as the protocol reference gives them. Built by hand rather
 * than from classes shared with the desk, so that a mistake in the desk's wire types cannot hide in both.
 */
final class Wire {
    static final String GUEST_PATH = "/api/v2/webchat/guest/conversations";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;

    Wire(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper mapper() {
        return json;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** {@code {id, selfUri}} as REST answers carry it, or {@code {id}} as events do. */
    ObjectNode conversationRef(String conversationId, boolean withSelfUri) {
        ObjectNode conversation = object().put("id", conversationId);
        if (withSelfUri) {
            conversation.put("selfUri", "/api/v2/conversations/" + conversationId);
        }
        return conversation;
    }

    /** A {@code WebChatMessage}: the REST form carries {@code selfUri}s, the event form does not. */
    ObjectNode message(String conversationId, SimulatedMessage message, boolean rest) {
        ObjectNode node = object().put("id", message.id());
        node.set("conversation", conversationRef(conversationId, rest));
        node.putObject("sender").put("id", message.senderId());
        node.put("body", message.body());
        node.put("bodyType", message.bodyType());
        node.put("timestamp", timestamp(message.timestamp()));
        if (rest) {
            node.put("selfUri", GUEST_PATH + "/" + conversationId + "/messages/" + message.id());
        }
        return node;
    }

    /** A {@code WebChatTyping}. */
    ObjectNode typing(String conversationId, String eventId, String senderId, Instant at, boolean rest) {
        ObjectNode node = object().put("id", eventId);
        node.set("conversation", conversationRef(conversationId, rest));
        node.putObject("sender").put("id", senderId);
        node.put("timestamp", timestamp(at));
        return node;
    }

    /** The event stream envelope: {@code topicName}, {@code version} as the string "2", body, metadata. */
    String event(String topicName, String type, JsonNode eventBody, String correlationId) {
        ObjectNode envelope = object().put("topicName", topicName).put("version", "2");
        envelope.set("eventBody", eventBody);
        envelope.putObject("metadata").put("CorrelationId", correlationId).put("type", type);
        return write(envelope);
    }

    /** A heartbeat, which has neither {@code version} nor {@code metadata} in captures. */
    String heartbeat() {
        ObjectNode envelope = object().put("topicName", "channel.metadata");
        envelope.putObject("eventBody").put("message", "WebSocket Heartbeat");
        return write(envelope);
    }

    /** The answer to a client's {@code {"message":"ping"}} (simulator choice, after the notification service). */
    String pong() {
        ObjectNode envelope = object().put("topicName", "channel.metadata");
        envelope.putObject("eventBody").put("message", "pong");
        return write(envelope);
    }
}

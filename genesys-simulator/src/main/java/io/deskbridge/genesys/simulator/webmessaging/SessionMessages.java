package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The messages of one web messaging session: the conversation the history endpoint shows (emptied when the guest
 * clears it or starts a new one), the transcript of everything (never emptied), what the guest sent, and the
 * message times, which order the conversation. Thread-safe (its own lock).
 */
final class SessionMessages {
    private final Clock clock;
    private final List<ObjectNode> conversation = new ArrayList<>();
    private final List<ObjectNode> transcript = new ArrayList<>();
    private final List<String> userTexts = new CopyOnWriteArrayList<>();
    private final List<JsonNode> userMessages = new CopyOnWriteArrayList<>();
    private volatile int userTyping;
    private Instant lastMessageTime = Instant.EPOCH;

    SessionMessages(Clock clock) {
        this.clock = clock;
    }

    /**
     * The time of the next message of the conversation, with Genesys's millisecond precision: the clock's, but always
     * after the previous message's, so that {@code channel.time} orders the conversation.
     */
    synchronized Instant nextMessageTime() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastMessageTime = now.isAfter(lastMessageTime) ? now : lastMessageTime.plusMillis(1);
        return lastMessageTime;
    }

    /** Keeps an outbound message in the conversation and the transcript. */
    synchronized void keep(ObjectNode message) {
        conversation.add(message);
        transcript.add(message);
    }

    /** Keeps a message of an earlier conversation in the history only (a preset the transcript never saw). */
    synchronized void keepInHistory(ObjectNode message) {
        conversation.add(message);
    }

    /** Records a guest message and returns its stored form (with id, direction and time), for the echo. */
    synchronized ObjectNode recordInbound(JsonNode message) {
        ObjectNode stored = message.deepCopy();
        stored.put("id", UUID.randomUUID().toString());
        stored.put("direction", "Inbound");
        ObjectNode channel = stored.has("channel") && stored.get("channel").isObject() ? (ObjectNode) stored.get("channel") : stored.putObject("channel");
        channel.put("time", nextMessageTime().toString());
        channel.put("messageId", stored.get("id").asText());
        userMessages.add(message.deepCopy());
        String type = message.path("type").asText();
        if (type.equals("Text")) {
            userTexts.add(message.path("text").asText());
            conversation.add(stored);
            transcript.add(stored);
        } else if (type.equals("Event")) {
            for (JsonNode event : message.path("events")) {
                if (event.path("eventType").asText().equals("Typing")) {
                    userTyping++;
                }
            }
        }
        return stored;
    }

    /** The id of the guest's last message in the conversation, for receipts. */
    synchronized Optional<String> lastInboundId() {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if ("Inbound".equals(conversation.get(i).path("direction").asText())) {
                return Optional.of(conversation.get(i).get("id").asText());
            }
        }
        return Optional.empty();
    }

    /** The conversation newest first, as the history endpoint pages it. */
    synchronized List<ObjectNode> historyNewestFirst() {
        List<ObjectNode> copy = new ArrayList<>(conversation);
        Collections.reverse(copy);
        return copy;
    }

    /** Empties the conversation (clear, new conversation); the transcript keeps everything. */
    synchronized void clearConversation() {
        conversation.clear();
    }

    /** Copies of every message of the session, oldest first. */
    synchronized List<JsonNode> transcript() {
        List<JsonNode> copy = new ArrayList<>(transcript.size());
        transcript.forEach(message -> copy.add(message.deepCopy()));
        return copy;
    }

    List<String> userTexts() {
        return List.copyOf(userTexts);
    }

    List<JsonNode> userMessages() {
        return List.copyOf(userMessages);
    }

    int userTypingCount() {
        return userTyping;
    }
}

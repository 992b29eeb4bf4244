package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One message of a chat's transcript, as a reloaded page redraws it.
 *
 * @param from who wrote it
 * @param id the page's id of a user message, the vendor's id of an agent message
 * @param text the text
 * @param agentId the agent who wrote it, for agent messages
 * @param agentName the name of that agent, when the chat knew it
 * @param delivery the delivery state of a user message
 * @param at when the server saw it
 */
public record TranscriptEntry(From from, String id, String text, Optional<String> agentId, Optional<String> agentName,
        Optional<Delivery> delivery, Instant at) {

    /** Who wrote a message. */
    public enum From {
        USER, AGENT, BOT, SYSTEM
    }

    /** Where a user message is on its way to the agent. */
    public enum Delivery {
        SENDING, SENT, FAILED
    }

    public TranscriptEntry {
        requireNonNull(from, "from is null");
        requireNonNull(id, "id is null");
        requireNonNull(text, "text is null");
        requireNonNull(agentId, "agentId is null");
        requireNonNull(agentName, "agentName is null");
        requireNonNull(delivery, "delivery is null");
        requireNonNull(at, "at is null");
        if (from == From.USER && delivery.isEmpty()) {
            throw new IllegalArgumentException("a user message needs a delivery state");
        }
    }

    public static TranscriptEntry user(String id, String text, Instant at) {
        return new TranscriptEntry(From.USER, id, text, Optional.empty(), Optional.empty(), Optional.of(Delivery.SENDING), at);
    }

    public TranscriptEntry withDelivery(Delivery newDelivery) {
        return new TranscriptEntry(from, id, text, agentId, agentName, Optional.of(newDelivery), at);
    }
}

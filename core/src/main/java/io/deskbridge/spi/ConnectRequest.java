package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Why the user asks for an agent, as the bot or page that hands the chat over knows it.
 *
 * @param topic a short summary of what the user wants
 * @param messageToAgent the first message the agent sees (the bot's hand-over summary)
 * @param routingAttributes hints for routing (skill, department, language…) and data the agent's desktop shows;
 *     a desk passes on those its vendor understands
 */
public record ConnectRequest(Optional<String> topic, Optional<String> messageToAgent, Map<String, String> routingAttributes) {
    public ConnectRequest {
        requireNonNull(topic, "topic is null");
        requireNonNull(messageToAgent, "messageToAgent is null");
        routingAttributes = Map.copyOf(requireNonNull(routingAttributes, "routingAttributes is null"));
    }

    /** A request with no topic, summary or attributes. */
    public static ConnectRequest empty() {
        return new ConnectRequest(Optional.empty(), Optional.empty(), Map.of());
    }

    public static ConnectRequest of(String topic, String messageToAgent) {
        return new ConnectRequest(Optional.ofNullable(topic), Optional.ofNullable(messageToAgent), Map.of());
    }

    /**
     * The summary a desk sends as the user's first message: the message to the agent, then the topic, as the
     * original web chat contract wrote it. Empty when neither is set.
     */
    public Optional<String> connectSummary() {
        if (topic.isEmpty() && messageToAgent.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder summary = new StringBuilder();
        messageToAgent.ifPresent(m -> summary.append(m));
        topic.ifPresent(t -> {
            if (summary.length() > 0) {
                summary.append('\n');
            }
            summary.append("Topic: ").append(t);
        });
        return Optional.of(summary.toString());
    }
}

package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A message for the user, from the vendor side.
 *
 * @param id the vendor's id of the message; rule 8: each id reaches the user exactly once
 * @param agentId the id of the agent who wrote it ({@link AgentProfile#id()}), empty for bots and system notices
 * @param text the text (plain text or light markdown)
 * @param origin who wrote it
 * @param sentAt when the vendor says it was sent, if it says
 */
public record AgentMessage(String id, Optional<String> agentId, String text, MessageOrigin origin, Optional<Instant> sentAt) {
    public AgentMessage {
        requireNonBlank(id, "id");
        requireNonNull(agentId, "agentId is null");
        requireNonNull(text, "text is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(sentAt, "sentAt is null");
        if (origin == MessageOrigin.AGENT && agentId.isEmpty()) {
            throw new IllegalArgumentException("an agent message needs the agent's id");
        }
    }

    /** A message written by the agent with the given id. */
    public static AgentMessage fromAgent(String id, String agentId, String text) {
        return new AgentMessage(id, Optional.of(agentId), text, MessageOrigin.AGENT, Optional.empty());
    }

    /** A message from a bot or flow on the vendor's side. */
    public static AgentMessage fromBot(String id, String text) {
        return new AgentMessage(id, Optional.empty(), text, MessageOrigin.BOT, Optional.empty());
    }

    /** A notice from the vendor's system. */
    public static AgentMessage notice(String id, String text) {
        return new AgentMessage(id, Optional.empty(), text, MessageOrigin.SYSTEM, Optional.empty());
    }
}

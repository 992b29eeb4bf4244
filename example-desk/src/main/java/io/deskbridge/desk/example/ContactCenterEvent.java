package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the {@link ExampleContactCenter} tells a desk about one chat: its event stream, the part a real vendor sends
 * over a socket or a long poll. Each event carries the chat's sequence number, which grows by one per event.
 *
 * <p>{@linkplain #durable() Durable} events (joins, transfers, messages, the end) are kept in the chat's history and
 * replayed to a desk that reconnects after its last one; transient events (queue status, typing, read receipts)
 * reach only a desk connected at that moment, as with most vendors.
 */
public sealed interface ContactCenterEvent {

    /** The event's position in its chat, from 1. */
    long sequence();

    /** Whether the contact center keeps the event for desks that reconnect. */
    default boolean durable() {
        return true;
    }

    /** The waiting chat's place in the queue and the expected wait, as far as the contact center knows them. */
    record QueueStatus(long sequence, OptionalInt position, Optional<Duration> estimatedWait) implements ContactCenterEvent {
        public QueueStatus {
            requireNonNull(position, "position is null");
            requireNonNull(estimatedWait, "estimatedWait is null");
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** An agent accepted the chat, or took it over after a transfer. */
    record AgentJoined(long sequence, ExampleContactCenter.Agent agent) implements ContactCenterEvent {
        public AgentJoined {
            requireNonNull(agent, "agent is null");
        }
    }

    /** The agent in the chat handed it to another agent (named when the contact center knows who). */
    record TransferStarted(long sequence, Optional<ExampleContactCenter.Agent> to) implements ContactCenterEvent {
        public TransferStarted {
            requireNonNull(to, "to is null");
        }
    }

    /** The agent left the chat; the chat stays open. */
    record AgentLeft(long sequence, String agentId) implements ContactCenterEvent {
        public AgentLeft {
            requireNonNull(agentId, "agentId is null");
        }
    }

    /** The agent started or stopped typing. */
    record AgentTyping(long sequence, boolean typing) implements ContactCenterEvent {
        @Override
        public boolean durable() {
            return false;
        }
    }

    /** The agent read the user's messages. */
    record AgentRead(long sequence) implements ContactCenterEvent {
        @Override
        public boolean durable() {
            return false;
        }
    }

    /**
     * A message for the user.
     *
     * @param messageId the contact center's id of the message, unique in the contact center
     * @param agentId the agent who wrote it; empty for a notice of the contact center itself
     */
    record Message(long sequence, String messageId, Optional<String> agentId, String text, Instant sentAt) implements ContactCenterEvent {
        public Message {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(agentId, "agentId is null");
            requireNonNull(text, "text is null");
            requireNonNull(sentAt, "sentAt is null");
        }
    }

    /** The agent ended the chat: the last event of the chat. */
    record ChatEnded(long sequence) implements ContactCenterEvent {}
}

package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the user waiting for an agent is told. Every field is optional; an empty value means "connecting".
 *
 * @param positionInQueue 1 for the next chat to be answered
 * @param estimatedWait how long the user is expected to wait
 * @param message a sentence for the user (plain text)
 */
public record AgentAvailability(OptionalInt positionInQueue, Optional<Duration> estimatedWait, Optional<String> message) {
    public AgentAvailability {
        requireNonNull(positionInQueue, "positionInQueue is null");
        requireNonNull(estimatedWait, "estimatedWait is null");
        requireNonNull(message, "message is null");
        if (positionInQueue.isPresent() && positionInQueue.getAsInt() < 1) {
            throw new IllegalArgumentException("positionInQueue must be 1 or more: " + positionInQueue.getAsInt());
        }
        if (estimatedWait.isPresent() && estimatedWait.get().isNegative()) {
            throw new IllegalArgumentException("estimatedWait is negative: " + estimatedWait.get());
        }
    }

    /** Nothing known yet: the user is told the chat is connecting. */
    public static AgentAvailability connecting() {
        return new AgentAvailability(OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    /** Only the position in the queue, 1 for the next chat to be answered. */
    public static AgentAvailability position(int positionInQueue) {
        return new AgentAvailability(OptionalInt.of(positionInQueue), Optional.empty(), Optional.empty());
    }

    /** Only the estimated wait. */
    public static AgentAvailability waitTime(Duration estimatedWait) {
        return new AgentAvailability(OptionalInt.empty(), Optional.of(estimatedWait), Optional.empty());
    }

    /** A copy with {@code position} as the position in the queue. */
    public AgentAvailability withPosition(int position) {
        return new AgentAvailability(OptionalInt.of(position), estimatedWait, message);
    }

    /** A copy with {@code wait} as the estimated wait. */
    public AgentAvailability withEstimatedWait(Duration wait) {
        return new AgentAvailability(positionInQueue, Optional.of(wait), message);
    }

    /** A copy with {@code text} as the sentence for the user. */
    public AgentAvailability withMessage(String text) {
        return new AgentAvailability(positionInQueue, estimatedWait, Optional.of(text));
    }
}

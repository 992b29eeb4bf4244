package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An error state the desk reports through {@link ServiceDeskCallback#setErrorStatus(ErrorInfo)}.
 */
public sealed interface ErrorInfo {

    /**
     * The chat could not be connected to an agent (rule 2: every failure before {@code agentJoined}). The
     * application treats the chat as ended or never started.
     *
     * @param messageToUser what to tell the user, if the desk knows better than a generic text
     */
    record Connecting(Optional<String> messageToUser) implements ErrorInfo {
        public Connecting {
            requireNonNull(messageToUser, "messageToUser is null");
        }

        public static Connecting of(String messageToUser) {
            return new Connecting(Optional.of(messageToUser));
        }
    }

    /**
     * The vendor connection was lost ({@code true}) or is back ({@code false}) during a chat (rule 10).
     *
     * @param isDisconnected whether the connection is currently lost
     */
    record Disconnected(boolean isDisconnected) implements ErrorInfo {}

    /**
     * A user message could not be delivered (rule 11).
     *
     * @param messageId {@link io.deskbridge.spi.UserMessage#id()}
     * @param reason why, in words for the user
     */
    record UserMessage(String messageId, String reason) implements ErrorInfo {
        public UserMessage {
            requireNonBlank(messageId, "messageId");
            requireNonBlank(reason, "reason");
        }
    }
}

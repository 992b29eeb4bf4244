package io.deskbridge.webchat.protocol;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A client frame the server refuses, with the {@link BadRequest} code and a sentence naming the problem. The
 * connection and the chat stay up; the client gets {@code error {errorType: "BAD_REQUEST"}}.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final BadRequest code;
    private final transient Optional<String> messageId;

    public ProtocolException(BadRequest code, String message) {
        this(code, message, Optional.empty());
    }

    /**
     * @param messageId the id of the refused {@code message} frame, when it had a usable one, so the page can mark
     *     that message failed
     */
    public ProtocolException(BadRequest code, String message, Optional<String> messageId) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.code = requireNonNull(code, "code is null");
        this.messageId = requireNonNull(messageId, "messageId is null");
    }

    public BadRequest code() {
        return code;
    }

    public Optional<String> messageId() {
        return messageId;
    }
}

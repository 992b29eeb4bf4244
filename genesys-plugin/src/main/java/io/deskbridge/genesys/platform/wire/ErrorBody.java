package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Genesys's error body ({@code ErrorBody}): {@code {"status":400,"code":"chat.error.conversation.state",
 * "message":"…","contextId":"…"}}. OAuth errors use {@code error} and {@code error_description} instead.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorBody(Optional<Integer> status, Optional<String> code, Optional<String> message, Optional<String> contextId,
        Optional<String> error, @JsonProperty("error_description") Optional<String> errorDescription) {
    public ErrorBody {
        status = status == null ? Optional.empty() : status;
        code = code == null ? Optional.empty() : code;
        message = message == null ? Optional.empty() : message;
        contextId = contextId == null ? Optional.empty() : contextId;
        error = error == null ? Optional.empty() : error;
        errorDescription = errorDescription == null ? Optional.empty() : errorDescription;
    }

    /** The error code: {@code code}, or the OAuth {@code error}. */
    public Optional<String> anyCode() {
        return code.or(() -> error);
    }

    /** The explanation: {@code message}, or the OAuth {@code error_description}. */
    public Optional<String> anyMessage() {
        return message.or(() -> errorDescription);
    }
}

package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Why the user ends a chat.
 *
 * @param payload free data from the application for the desk (for example a survey answer)
 */
public record EndChatInfo(Map<String, String> payload) {
    public EndChatInfo {
        payload = Map.copyOf(requireNonNull(payload, "payload is null"));
    }

    public static EndChatInfo none() {
        return new EndChatInfo(Map.of());
    }
}

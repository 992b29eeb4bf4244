package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * How to start a chat, beyond what the user asked for.
 *
 * @param verifiedUser the identity the application verified, for desks that run authenticated chats
 * @param sessionHistoryKey a key the agent's desktop can use to show the bot conversation that came before
 * @param preStartPayload free data from the application for the desk (desk-specific keys)
 */
public record StartChatOptions(Optional<UserIdentity> verifiedUser, Optional<String> sessionHistoryKey, Map<String, String> preStartPayload) {
    public StartChatOptions {
        requireNonNull(verifiedUser, "verifiedUser is null");
        requireNonNull(sessionHistoryKey, "sessionHistoryKey is null");
        preStartPayload = Map.copyOf(requireNonNull(preStartPayload, "preStartPayload is null"));
    }

    public static StartChatOptions none() {
        return new StartChatOptions(Optional.empty(), Optional.empty(), Map.of());
    }

    public static StartChatOptions forUser(UserIdentity verifiedUser) {
        return new StartChatOptions(Optional.of(verifiedUser), Optional.empty(), Map.of());
    }
}

package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What the application knows about the user and its own session. Any field may change during a chat.
 *
 * @param userId the application's id of the user
 * @param displayName the name the agent sees
 * @param sessionId the application's session id
 * @param locale a BCP 47 language tag, for example {@code en-GB}
 */
public record ChatState(Optional<String> userId, Optional<String> displayName, Optional<String> sessionId, Optional<String> locale) {
    public ChatState {
        requireNonNull(userId, "userId is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(locale, "locale is null");
    }

    /** A state with nothing set. */
    public static ChatState empty() {
        return new ChatState(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A copy with {@code name} as the name the agent sees. */
    public ChatState withDisplayName(String name) {
        return new ChatState(userId, Optional.of(name), sessionId, locale);
    }

    /** A copy with {@code id} as the application's id of the user. */
    public ChatState withUserId(String id) {
        return new ChatState(Optional.of(id), displayName, sessionId, locale);
    }

    /** A copy with {@code tag} (a BCP 47 language tag such as {@code en-GB}) as the locale. */
    public ChatState withLocale(String tag) {
        return new ChatState(userId, displayName, sessionId, Optional.of(tag));
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.UserIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link SessionStore} keeps of a browser session: enough to resume it in another process. Holds no resume
 * token (only its hash) and no secret.
 *
 * @param tokenHash the SHA-256 of the resume token, base64url
 * @param sessionId the session's id for logs
 * @param identity the verified user, when the server authenticates users
 * @param chat the session's current or last chat
 * @param lastActive when a browser was last connected
 */
public record SessionRecord(String tokenHash, String sessionId, Optional<UserIdentity> identity, Optional<ChatRecord> chat,
        Instant lastActive) {
    public SessionRecord {
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(chat, "chat is null");
        requireNonNull(lastActive, "lastActive is null");
    }

    /**
     * A chat of a stored session.
     *
     * @param chatId the chat's id at the desk
     * @param over whether the chat ended
     * @param deskState what the desk needs to reconnect to the chat, if it reported it
     * @param transcript the chat's last messages
     */
    public record ChatRecord(String chatId, boolean over, Optional<PersistedState> deskState, List<TranscriptEntry> transcript) {
        public ChatRecord {
            requireNonNull(chatId, "chatId is null");
            requireNonNull(deskState, "deskState is null");
            transcript = List.copyOf(requireNonNull(transcript, "transcript is null"));
        }
    }
}

package io.deskbridge.webchat.auth;

import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.WebChatSettings;
import java.time.Clock;
import java.util.Optional;

/**
 * Decides who the user of a chat socket is, from the token the page sends in {@code hello.authToken}. Thread-safe.
 */
public interface UserAuthenticator {

    /** Whether a chat needs a valid token ({@code webchat.auth=jwt}). */
    boolean isRequired();

    /**
     * The verified identity of the user who holds {@code token}.
     *
     * @return empty when the server does not authenticate users (the page's own user details are then unverified)
     * @throws AuthenticationException if authentication is required and the token is missing or not valid
     */
    Optional<UserIdentity> authenticate(Optional<String> token) throws AuthenticationException;

    /** No authentication: every user is anonymous as far as the desk is told. */
    static UserAuthenticator none() {
        return new UserAuthenticator() {
            @Override
            public boolean isRequired() {
                return false;
            }

            @Override
            public Optional<UserIdentity> authenticate(Optional<String> token) {
                return Optional.empty();
            }
        };
    }

    /** The authenticator {@code settings} ask for. */
    static UserAuthenticator from(WebChatSettings settings, Clock clock) {
        if (settings.auth() == WebChatSettings.AuthMode.NONE) {
            return none();
        }
        return JwtAuthenticator.from(settings, clock);
    }
}

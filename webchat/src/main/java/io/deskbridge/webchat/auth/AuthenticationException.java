package io.deskbridge.webchat.auth;

import static java.util.Objects.requireNonNull;

/**
 * A user token was missing or refused. The message says why in words fit for the page (never the token, never a key).
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
    }
}

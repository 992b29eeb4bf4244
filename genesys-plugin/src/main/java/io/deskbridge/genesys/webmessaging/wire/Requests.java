package io.deskbridge.genesys.webmessaging.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * The requests a guest sends on the socket. Each carries {@code action}, the session {@code token} and a
 * {@code tracingId} the server echoes in its answer.
 */
public final class Requests {
    private Requests() {}

    /** {@code data} of {@code configureAuthenticatedSession}: the code or JWT that proves the user's identity. */
    public record AuthData(String code) {
        public AuthData {
            requireNonNull(code, "code is null");
        }

        @Override
        public String toString() {
            return "AuthData[code=******]";
        }
    }

    /** {@code configureSession} or {@code configureAuthenticatedSession}. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record ConfigureSession(String action, String token, String deploymentId, Optional<Boolean> startNew,
            Optional<AuthData> data, String tracingId) {
        public ConfigureSession {
            requireNonNull(action, "action is null");
            requireNonNull(token, "token is null");
            requireNonNull(deploymentId, "deploymentId is null");
            startNew = startNew == null ? Optional.empty() : startNew;
            data = data == null ? Optional.empty() : data;
            requireNonNull(tracingId, "tracingId is null");
        }

        public static ConfigureSession anonymous(String token, String deploymentId, boolean startNew, String tracingId) {
            return new ConfigureSession(RequestAction.CONFIGURE_SESSION.wire(), token, deploymentId,
                    startNew ? Optional.of(true) : Optional.empty(), Optional.empty(), tracingId);
        }

        public static ConfigureSession authenticated(String token, String deploymentId, boolean startNew, String code, String tracingId) {
            return new ConfigureSession(RequestAction.CONFIGURE_AUTHENTICATED_SESSION.wire(), token, deploymentId,
                    Optional.of(startNew), Optional.of(new AuthData(code)), tracingId);
        }
    }

    /** {@code onMessage}: a text, typing or presence message from the guest. */
    public record OnMessage(String action, String token, StructuredMessage message, String tracingId) {
        public OnMessage {
            requireNonNull(action, "action is null");
            requireNonNull(token, "token is null");
            requireNonNull(message, "message is null");
            requireNonNull(tracingId, "tracingId is null");
        }

        public static OnMessage of(String token, StructuredMessage message, String tracingId) {
            return new OnMessage(RequestAction.ON_MESSAGE.wire(), token, message, tracingId);
        }
    }

    /** {@code echo}: a health check; the server answers with the same text as an inbound message. */
    public record Echo(String action, String token, StructuredMessage message, String tracingId) {
        public static Echo ping(String token, String tracingId) {
            return new Echo(RequestAction.ECHO.wire(), token,
                    StructuredMessage.guestText("ping", java.util.Map.of(), java.util.Map.of(), java.util.List.of()), tracingId);
        }
    }

    /** {@code getJwt}: a short-lived JWT for the history REST endpoint. */
    public record GetJwt(String action, String token, String tracingId) {
        public static GetJwt of(String token, String tracingId) {
            return new GetJwt(RequestAction.GET_JWT.wire(), token, tracingId);
        }
    }

    /** {@code closeSession}: closes the session (and, with {@code closeAllConnections}, every socket on it). */
    public record CloseSession(String action, String token, boolean closeAllConnections, String tracingId) {
        public static CloseSession all(String token, String tracingId) {
            return new CloseSession(RequestAction.CLOSE_SESSION.wire(), token, true, tracingId);
        }
    }

    /** {@code onAttachment}: asks for a pre-signed URL to upload one file. */
    public record OnAttachment(String action, String token, String attachmentId, String fileName, String fileType,
            long fileSize, boolean errorsAsJson, String tracingId) {
        public static OnAttachment of(String token, String attachmentId, String fileName, String fileType, long fileSize, String tracingId) {
            return new OnAttachment(RequestAction.ON_ATTACHMENT.wire(), token, attachmentId, fileName, fileType, fileSize, true, tracingId);
        }
    }
}

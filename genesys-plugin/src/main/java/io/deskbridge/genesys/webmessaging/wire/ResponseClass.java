package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code class} of a server frame, which says how to read its {@code body}. */
public enum ResponseClass implements WireEnum {
    SESSION_RESPONSE("SessionResponse"),
    STRUCTURED_MESSAGE("StructuredMessage"),
    JWT_RESPONSE("JwtResponse"),
    PRESIGNED_URL_RESPONSE("PresignedUrlResponse"),
    ATTACHMENT_DELETED_RESPONSE("AttachmentDeletedResponse"),
    UPLOAD_SUCCESS_EVENT("UploadSuccessEvent"),
    UPLOAD_FAILURE_EVENT("UploadFailureEvent"),
    GENERATE_URL_ERROR("GenerateUrlError"),
    SESSION_EXPIRED_EVENT("SessionExpiredEvent"),
    SESSION_CLEARED_EVENT("SessionClearedEvent"),
    CONNECTION_CLOSED_EVENT("ConnectionClosedEvent"),
    LOGOUT_EVENT("LogoutEvent"),
    TOO_MANY_REQUESTS("TooManyRequestsErrorMessage"),
    GET_CONFIGURATION_RESPONSE("GetConfigurationResponse"),
    RESUME_TOKEN_RESPONSE("ResumeTokenResponse"),
    ERROR("Error"),
    STRING("string");

    private final String wire;

    ResponseClass(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<ResponseClass> fromWire(String value) {
        return WireEnum.parse(ResponseClass.class, value);
    }
}

package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The Web Messaging error codes carried in a frame's {@code code} (or a body's {@code errorCode}). */
public enum ErrorCode {
    FEATURE_UNAVAILABLE(4000),
    FILE_TYPE_INVALID(4001),
    FILE_SIZE_INVALID(4002),
    FILE_CONTENT_INVALID(4003),
    FILE_NAME_INVALID(4004),
    FILE_NAME_TOO_LONG(4005),
    SESSION_EXPIRED(4006),
    SESSION_NOT_FOUND(4007),
    ATTACHMENT_EXPIRED(4008),
    ATTACHMENT_NOT_FOUND(4009),
    ATTACHMENT_NOT_UPLOADED(4010),
    MESSAGE_TOO_LONG(4011),
    CUSTOM_ATTRIBUTES_TOO_LARGE(4013),
    CANNOT_DOWNGRADE(4017),
    MISSING_PARAMETER(4020),
    REQUEST_RATE_TOO_HIGH(4029),
    UNEXPECTED(5000);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error with this code, or empty for a code this version does not know (HTTP-like codes included). */
    public static Optional<ErrorCode> fromCode(int code) {
        for (ErrorCode error : values()) {
            if (error.code == code) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }
}

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.webmessaging.wire.ErrorCode;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.spi.ServiceDeskException;
import java.util.Optional;

/** Genesys answered a web messaging request with an error code. */
public final class WebMessagingException extends ServiceDeskException {
    private final int code;

    WebMessagingException(int code, String message, String messageToUser) {
        super(kindOf(code), message, messageToUser, null);
        this.code = code;
    }

    /** The exception for an error frame, with a sentence for the user where one helps. */
    static WebMessagingException of(String action, Frame frame) {
        int code = frame.code();
        String text = "Genesys refused " + action + " with code " + code + ": " + frame.errorText();
        return new WebMessagingException(code, text, userMessage(code));
    }

    /** The frame's code: a Web Messaging code (4xxx) or an HTTP-like status. */
    public int code() {
        return code;
    }

    /** The code as a known Web Messaging error, if it is one. */
    public Optional<ErrorCode> errorCode() {
        return ErrorCode.fromCode(code);
    }

    /** Whether the session no longer exists at Genesys (expired or not found): only a new chat helps. */
    public boolean isSessionGone() {
        return code == ErrorCode.SESSION_EXPIRED.code() || code == ErrorCode.SESSION_NOT_FOUND.code();
    }

    static String userMessage(int code) {
        return switch (code) {
            case 4011 -> "Your message is too long for this chat. Please shorten it and send it again.";
            case 4013 -> "The information sent with your message is too large for this chat.";
            case 4029, 429 -> "Messages are being sent too quickly. Please wait a moment and try again.";
            case 4006 -> "This chat session has expired. Please start a new chat.";
            case 4007 -> "This chat session no longer exists. Please start a new chat.";
            case 4001, 4002, 4003, 4004, 4005 -> "This file cannot be sent in this chat.";
            case 401, 403, 4017 -> "This chat could not confirm who you are. Please sign in again.";
            default -> "Your message could not be delivered. Please try again.";
        };
    }

    private static Kind kindOf(int code) {
        if (code == 4029 || code == 429 || code >= 500 && code < 600 || code == 5000) {
            return Kind.VENDOR_UNAVAILABLE;
        }
        return Kind.VENDOR_REJECTED;
    }
}

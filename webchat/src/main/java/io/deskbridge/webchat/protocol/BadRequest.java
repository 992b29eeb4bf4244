package io.deskbridge.webchat.protocol;

/**
 * Why a client frame was refused: the {@code code} of an {@code error {errorType: "BAD_REQUEST"}} frame. Codes are
 * part of the protocol: new ones may be added, none is renamed.
 */
public enum BadRequest {
    /** The frame is not JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** The frame's {@code type} is missing, not a string, or not a client frame type. */
    UNKNOWN_TYPE,
    /** A field is missing, has the wrong JSON type, or a value that is not allowed. */
    INVALID_FIELD,
    /** A message's text is longer than the server allows. */
    TEXT_TOO_LONG,
    /** The frame is larger than the server accepts. */
    FRAME_TOO_LARGE,
    /** The connection sent more frames per second than the server accepts; the frame was dropped. */
    RATE_LIMITED,
    /** A frame other than {@code hello} came before {@code hello}. */
    HELLO_REQUIRED,
    /** A second {@code hello} on one connection. */
    ALREADY_GREETED,
    /** {@code hello} lacked a valid user token while the server authenticates users. */
    NOT_AUTHENTICATED,
    /** The frame needs a chat and there is none in progress. */
    NO_CHAT,
    /** {@code startChat} while a chat is in progress. */
    CHAT_IN_PROGRESS,
    /**
     * {@code hello} asked for a new session while the server holds as many as it allows ({@code webchat.maxSessions}),
     * or named a session the server could not look up because its session store failed; the connection stays open
     * and may say {@code hello} again later, with the same resume token.
     */
    SERVER_BUSY
}

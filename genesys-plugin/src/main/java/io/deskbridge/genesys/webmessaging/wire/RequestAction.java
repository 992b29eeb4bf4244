package io.deskbridge.genesys.webmessaging.wire;

import java.util.Optional;

/** The {@code action} of a guest request. */
public enum RequestAction implements WireEnum {
    CONFIGURE_SESSION("configureSession"),
    CONFIGURE_AUTHENTICATED_SESSION("configureAuthenticatedSession"),
    ON_MESSAGE("onMessage"),
    ECHO("echo"),
    GET_JWT("getJwt"),
    ON_ATTACHMENT("onAttachment"),
    GET_ATTACHMENT("getAttachment"),
    DELETE_ATTACHMENT("deleteAttachment"),
    CLOSE_SESSION("closeSession"),
    GET_CONFIGURATION("getConfiguration");

    private final String wire;

    RequestAction(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The constant spelled {@code value}, or empty for a value this version does not know. */
    public static Optional<RequestAction> fromWire(String value) {
        return WireEnum.parse(RequestAction.class, value);
    }
}

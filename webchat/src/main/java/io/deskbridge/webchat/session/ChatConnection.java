package io.deskbridge.webchat.session;

import io.deskbridge.webchat.protocol.ServerFrame;

/**
 * One open chat socket of a browser tab, as a {@link WebSession} sees it. Implementations send without blocking and
 * never throw: a connection that cannot keep up closes itself.
 */
public interface ChatConnection {

    /** A short id for logs (never the resume token). */
    String id();

    /** Queues {@code frame} for the browser. */
    void send(ServerFrame frame);

    /** Closes the socket with a WebSocket status code and reason. */
    void close(int statusCode, String reason);
}

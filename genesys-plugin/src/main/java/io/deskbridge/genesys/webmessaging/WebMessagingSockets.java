package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpClient;

/**
 * The HTTP client that opens the chats' web messaging sockets: one per desk (one I/O thread for every chat), with the
 * shared client's proxy, authenticator, TLS settings and connect timeout, that runs socket events on its I/O thread
 * instead of handing them to an executor.
 *
 * <p>Why not the shared client: the JDK WebSocket client loses a connection that the server closes without a close
 * frame (a dropped connection, as Genesys's load balancers do) when the end of the stream arrives while the listener
 * of the frame before it has not returned yet. Its transport then fails internally instead of calling
 * {@code onClose}/{@code onError}, and the socket stays half-closed until the next health check notices. With a
 * listener that runs inline, every frame is handed over before the transport reads on, so the end of the stream is
 * always reported. The listener only hands frames to the chat's serial executor, so nothing slow runs on the I/O
 * thread.
 */
final class WebMessagingSockets {
    private WebMessagingSockets() {}

    /** A socket client configured like {@code shared}. */
    static HttpClient clientLike(HttpClient shared) {
        requireNonNull(shared, "shared is null");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .executor(Runnable::run)
                .sslContext(shared.sslContext())
                .sslParameters(shared.sslParameters())
                .followRedirects(HttpClient.Redirect.NEVER);
        shared.proxy().ifPresent(builder::proxy);
        shared.authenticator().ifPresent(builder::authenticator);
        shared.connectTimeout().ifPresent(builder::connectTimeout);
        shared.cookieHandler().ifPresent(builder::cookieHandler);
        return builder.build();
    }
}

package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP clients that open the chats' WebSockets (web messaging sockets, guest chat event streams): a few per desk (each one I/O thread, shared by the
 * chats it serves), with the shared client's proxy, authenticator, TLS settings and connect timeout, that run socket
 * events on their I/O thread instead of handing them to an executor. A chat always uses the same client.
 *
 * <p>Why not the shared client: the JDK WebSocket client loses a connection that the server closes without a close
 * frame (a dropped connection, as a load balancer or a crashed server leaves it) when the end of the stream arrives
 * while the listener is still being handed the frame before it. Its transport then fails internally instead of
 * calling {@code onClose} or {@code onError}, and the socket stays half-closed until the next health check notices.
 * With a listener that runs inline, every frame is handed over before the transport reads on, so the end of the
 * stream is always reported. The listener only passes frames to the chat's serial executor, so nothing slow runs on
 * an I/O thread. There are several clients, not one, so that TLS handshakes (which also run on the I/O thread) of
 * many chats reconnecting at once are spread over the processors.
 */
public final class GenesysSocketClients {
    private final List<HttpClient> clients;

    /**
     * @param shared the desk's shared client, whose settings the socket clients copy
     * @param count how many socket clients (I/O threads) to create, at least 1
     */
    public GenesysSocketClients(HttpClient shared, int count) {
        requireNonNull(shared, "shared is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        List<HttpClient> built = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            built.add(clientLike(shared));
        }
        this.clients = List.copyOf(built);
    }

    /** As many socket clients as processors, at most four. */
    public static GenesysSocketClients forProcessors(HttpClient shared) {
        return new GenesysSocketClients(shared, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** The client of {@code chatId}'s socket: always the same one for a chat. */
    public HttpClient clientFor(String chatId) {
        requireNonNull(chatId, "chatId is null");
        return clients.get(Math.floorMod(chatId.hashCode(), clients.size()));
    }

    /**
     * Whether a socket that could not be opened may open on another attempt: an I/O failure (a timeout, a refused or
     * reset connection), or a {@code 5xx} or {@code 429} answer to the handshake; not another {@code 4xx}, which
     * refuses the socket for good. A failure wrapped in a {@code ServiceDeskException} is judged by its cause.
     */
    public static boolean mayOpenOnRetry(Throwable failure) {
        requireNonNull(failure, "failure is null");
        Throwable cause = failure instanceof ServiceDeskException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse() == null ? 500 : handshake.getResponse().statusCode();
            return status >= 500 || status == 429;
        }
        return cause instanceof IOException;
    }

    /** A socket client configured like {@code shared}. */
    public static HttpClient clientLike(HttpClient shared) {
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

package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.genesys.simulator.HandshakeFaults;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest socket ({@code ws://127.0.0.1:PORT/v1?deploymentId=...}) on one selector and one decoder thread: accepts
 * or refuses handshakes (scripted failures, the deployment's allowed origins, the deployment id), hands each text
 * frame to the {@link SocketRequests}, sends frames to a session's sockets and ends sockets the ways networks and
 * servers end them. Counts pings and keeps each handshake's {@code Origin} for tests.
 */
final class GuestSocketServer extends WebSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(GuestSocketServer.class);

    private final ObjectMapper json;
    private final Supplier<MessengerDeployment> deployment;
    private final WebMessagingSessions sessions;
    private final HandshakeFaults handshakeFaults = new HandshakeFaults();
    private final List<Optional<String>> handshakeOrigins = new CopyOnWriteArrayList<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    /**
     * Java-WebSocket (1.6.0) can strand a frame: its selector thread, having written a connection's queue, sets the
     * connection back to read-only interest without looking at the queue again, so a frame queued from another thread
     * in between (answers are written from the decoder thread, a test's pushes from its own) waits for the next write
     * on that connection. A client waiting for that frame waits in vain (a guest's echo that never comes: a start or a
     * send that times out). So a connection that still holds unwritten frames is asked to write again every
     * {@link #FLUSH_INTERVAL_MS} ms: harmless while a write is under way, the end of a stranded frame otherwise.
     */
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "web-messaging-simulator-flusher");
        thread.setDaemon(true);
        return thread;
    });
    private static final long FLUSH_INTERVAL_MS = 20;
    // set once by serve(), before start(): the server's threads see it
    private SocketRequests requests;

    GuestSocketServer(InetSocketAddress address, ObjectMapper json, Supplier<MessengerDeployment> deployment,
            WebMessagingSessions sessions) {
        super(address, 1);
        this.json = json;
        this.deployment = deployment;
        this.sessions = sessions;
        setReuseAddr(true);
    }

    /** Starts serving {@code requests}; returns once the socket listens. */
    void serve(SocketRequests requests) throws IOException {
        this.requests = requests;
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the web messaging simulator did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the web messaging simulator", e);
        }
    }

    HandshakeFaults handshakeFaults() {
        return handshakeFaults;
    }

    List<Optional<String>> handshakeOrigins() {
        return List.copyOf(handshakeOrigins);
    }

    int pingsReceived() {
        return pings.get();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending and ending

    /** Sends the frame if the socket is open; a socket that closes meanwhile misses it. */
    void send(WebSocket connection, ObjectNode frame) {
        if (connection.isOpen()) {
            try {
                connection.send(json.writeValueAsString(frame));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a simulator frame", e);
            } catch (WebsocketNotConnectedException e) {
                LOG.debug("a simulator frame found its socket closed");
            }
        }
    }

    /** Sends the frame to every socket of the session. */
    void pushAll(SimulatedWebMessagingSession session, ObjectNode frame) {
        for (WebSocket connection : new ArrayList<>(session.connections())) {
            send(connection, frame);
        }
    }

    /** Sends the text as it is to every open socket of the session. */
    void pushRaw(SimulatedWebMessagingSession session, String text) {
        for (WebSocket connection : new ArrayList<>(session.connections())) {
            if (connection.isOpen()) {
                connection.send(text);
            }
        }
    }

    /**
     * Ends a guest socket as a network failure would: no close frame, the connection reset (TCP RST, {@code
     * SO_LINGER} 0), and the selector woken so that the close, which the channel defers while it is registered, takes
     * effect at once. A reset rather than an orderly shutdown because the JDK 17 WebSocket client loses an end of
     * stream that arrives while its listener is still handling a frame; it always reports a reset, as {@code onError}.
     */
    void dropAbnormally(WebSocket connection, String reason) {
        if (connection instanceof WebSocketImpl && ((WebSocketImpl) connection).getChannel() instanceof SocketChannel) {
            try {
                ((SocketChannel) ((WebSocketImpl) connection).getChannel()).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                LOG.debug("a dropped web messaging socket was already closed: {}", e.toString());
            }
        }
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        try {
            onWriteDemand(connection);
        } catch (RuntimeException e) {
            LOG.debug("web messaging selector not woken after a drop: {}", e.toString());
        }
    }

    /**
     * Ends a guest socket as a stopped server would: the TCP connection shut down in order (FIN), no close frame, and
     * the selector woken so that the deferred close takes effect.
     */
    void closeWithoutCloseFrame(WebSocket connection, String reason) {
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        try {
            onWriteDemand(connection);
        } catch (RuntimeException e) {
            LOG.debug("web messaging selector not woken after a close: {}", e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The server's callbacks

    @Override
    public void onWebsocketPing(WebSocket connection, Framedata frame) {
        pings.incrementAndGet();
        super.onWebsocketPing(connection, frame);
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket connection, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        handshakeFaults.check();
        Optional<String> origin = Optional.ofNullable(request.getFieldValue("Origin")).filter(o -> !o.isEmpty());
        handshakeOrigins.add(origin);
        Set<String> allowed = deployment.get().allowedOrigins();
        if (!allowed.isEmpty() && origin.filter(allowed::contains).isEmpty()) {
            // A deployment restricted to some domains refuses a socket from anywhere else.
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin not allowed");
        }
        return super.onWebsocketHandshakeReceivedAsServer(connection, draft, request);
    }

    @Override
    public void onOpen(WebSocket connection, ClientHandshake handshake) {
        String resource = handshake.getResourceDescriptor();
        String expected = "deploymentId=" + deployment.get().deploymentId();
        if (!resource.startsWith("/v1") || !resource.contains(expected)) {
            connection.close(4000 + 3, "unknown deployment");
        }
    }

    @Override
    public void onClose(WebSocket connection, int code, String reason, boolean remote) {
        sessions.unbind(connection);
    }

    @Override
    public void onMessage(WebSocket connection, String message) {
        try {
            requests.handle(connection, message);
        } catch (RuntimeException e) {
            LOG.warn("the web messaging simulator failed on a frame", e);
            send(connection, ErrorFrames.error(json, 400, "Request failed.", null));
        }
    }

    @Override
    public void onError(WebSocket connection, Exception ex) {
        LOG.debug("web messaging simulator socket error: {}", ex.toString());
    }

    @Override
    public void onStart() {
        flusher.scheduleWithFixedDelay(this::flushStranded, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
        started.countDown();
    }

    /** Asks every connection that holds unwritten frames to write them (see {@link #flusher}). */
    private void flushStranded() {
        try {
            for (WebSocket connection : getConnections()) {
                if (connection.isOpen() && connection.hasBufferedData()) {
                    onWriteDemand(connection);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("web messaging simulator flush skipped: {}", e.toString());
        }
    }

    @Override
    public void stop(int timeout, String closeMessage) throws InterruptedException {
        flusher.shutdownNow();
        super.stop(timeout, closeMessage);
    }
}

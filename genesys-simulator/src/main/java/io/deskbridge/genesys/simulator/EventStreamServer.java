package io.deskbridge.genesys.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream server (protocol reference §B): one WebSocket per conversation at {@code /v1/token/<jwt>}. The
 * handshake is refused (HTTP 404) for an unknown, expired or edited token and while the conversation's stream is
 * dropped. A fixed set of selector and decoder threads serves every socket.
 *
 * <p>Client frames are not part of the protocol; the server answers {@code {"message":"ping"}} with a {@code
 * channel.metadata} "pong" (simulator choice, after the platform notification service) and ignores anything else.
 */
final class EventStreamServer extends WebSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamServer.class);
    private final HandshakeFaults handshakeFaults = new HandshakeFaults();
    private static final String PATH_PREFIX = "/v1/token/";

    private final GuestChatConversations conversations;
    private final RequestLog requestLog;
    private final Wire wire;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    EventStreamServer(GuestChatConversations conversations, RequestLog requestLog, Wire wire, InetSocketAddress address,
            int decoders) {
        super(address, decoders);
        this.conversations = conversations;
        this.requestLog = requestLog;
        this.wire = wire;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setConnectionLostTimeout(0);
        setDaemon(true);
    }

    void startAndWait() {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event stream server did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the event stream server", e);
        }
        if (startFailure != null) {
            throw new IllegalStateException("the event stream server failed to start", startFailure);
        }
    }

    /**
     * Ends the socket as a stopped server or a load balancer would: the TCP connection shut down in order (FIN), no
     * close frame, and the selector woken so that the deferred close takes effect.
     */
    void closeWithoutCloseFrame(WebSocket socket) {
        socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "event stream closed by the simulator without a close frame");
        try {
            onWriteDemand(socket);
        } catch (RuntimeException e) {
            LOG.debug("event stream selector not woken after a close: {}", e.toString());
        }
    }

    /** The stream handshakes to fail with 500 (see {@link GenesysSimulator#failNextStreamHandshakes}). */
    HandshakeFaults handshakeFaults() {
        return handshakeFaults;
    }

    /**
     * Ends a socket without a close frame, as a network failure would: the connection is reset (TCP RST), so the
     * guest's next read fails with "connection reset" at once, whatever the guest's client is doing.
     *
     * <p>A reset rather than an orderly shutdown (FIN) because the JDK's {@code java.net.http} WebSocket client
     * (Java 17) loses an end of stream that arrives while its listener is still in {@code onText}: the listener then
     * hears nothing (or an {@code InternalError}), so a test of a drop would depend on timing. A reset reaches the
     * client as an I/O error, which it always reports through {@code onError}. The socket is closed with {@code
     * SO_LINGER} 0, and the selector is woken so that the close, which the channel defers while it is registered,
     * happens at once.
     */
    void dropAbnormally(WebSocket socket) {
        if (socket instanceof WebSocketImpl && ((WebSocketImpl) socket).getChannel() instanceof SocketChannel) {
            try {
                ((SocketChannel) ((WebSocketImpl) socket).getChannel()).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                LOG.debug("event stream socket was already closed: {}", e.toString());
            }
        }
        socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "event stream dropped by the simulator");
        try {
            onWriteDemand(socket);
        } catch (RuntimeException e) {
            LOG.debug("event stream selector not woken after a drop: {}", e.toString());
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        handshakeFaults.check();
        ServerHandshakeBuilder answer = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
        String resource = request.getResourceDescriptor();
        int queryStart = resource.indexOf('?');
        String path = queryStart < 0 ? resource : resource.substring(0, queryStart);
        String query = queryStart < 0 ? "" : resource.substring(queryStart + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
            String name = names.next();
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(request.getFieldValue(name));
        }
        Optional<SimulatedConversation> conversation = path.startsWith(PATH_PREFIX)
                ? conversations.forGuestToken(path.substring(PATH_PREFIX.length()))
                : Optional.empty();
        boolean accepted = conversation.isPresent() && conversation.get().acceptsStream();
        requestLog.record(new RecordedRequest(RecordedRequest.Server.EVENT_STREAM, "GET", path, query, headers, "",
                accepted ? 101 : 404));
        if (!accepted) {
            LOG.info("event stream handshake refused for {}", conversation.map(SimulatedConversation::id)
                    .orElse("an unknown token"));
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "event stream refused");
        }
        socket.setAttachment(conversation.get());
        return answer;
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
        SimulatedConversation conversation = socket.getAttachment();
        if (conversation == null) {
            socket.close(CloseFrame.POLICY_VALIDATION, "no conversation");
            return;
        }
        conversation.streamOpened(socket);
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        SimulatedConversation conversation = socket.getAttachment();
        if (conversation != null) {
            conversation.streamClosed(socket);
            LOG.debug("conversation {}: event stream socket closed ({} {}, by {})", conversation.id(), code, reason,
                    remote ? "the guest" : "the simulator");
        }
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
        SimulatedConversation conversation = socket.getAttachment();
        if (message.replace(" ", "").equals("{\"message\":\"ping\"}")) {
            socket.send(wire.pong());
        } else if (conversation != null) {
            LOG.debug("conversation {}: ignored a client frame of {} characters", conversation.id(), message.length());
        }
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
        if (socket == null) {
            startFailure = error;
            started.countDown();
            LOG.error("event stream server error", error);
            return;
        }
        SimulatedConversation conversation = socket.getAttachment();
        LOG.debug("conversation {}: event stream socket error: {}",
                conversation == null ? "(none)" : conversation.id(), error.toString());
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}

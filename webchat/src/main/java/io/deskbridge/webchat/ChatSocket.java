package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.auth.AuthenticationException;
import io.deskbridge.webchat.auth.UserAuthenticator;
import io.deskbridge.webchat.protocol.BadRequest;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.ClientFrameParser;
import io.deskbridge.webchat.protocol.ProtocolException;
import io.deskbridge.webchat.protocol.ServerFrame;
import io.deskbridge.webchat.session.ChatConnection;
import io.deskbridge.webchat.session.SessionRegistry;
import io.deskbridge.webchat.session.WebSession;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat socket: validates every frame (size, JSON, fields, rate), authenticates {@code hello}, and hands the
 * rest to the browser session. A refused frame gets {@code error {errorType: "BAD_REQUEST"}}; the socket stays open,
 * unless its {@link FrameGuard} finds it keeps sending more than it may, or it does not say hello in time (1008).
 * Jetty calls a socket's listener methods one at a time, on its shared pool. Public only because Jetty invokes
 * the listener methods through method handles; applications do not create it.
 */
public final class ChatSocket implements Session.Listener.AutoDemanding, ChatConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ChatSocket.class);

    private final String id;
    private final ClientFrameParser parser;
    private final FrameGuard guard;
    private final UserAuthenticator authenticator;
    private final SessionRegistry registry;
    private volatile Session socket;
    private volatile WebSession session;

    ChatSocket(String id, ClientFrameParser parser, FrameGuard guard, UserAuthenticator authenticator, SessionRegistry registry) {
        this.id = requireNonNull(id, "id is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.socket = opened;
        LOG.debug("connection={} opened from {}", id, opened.getRemoteSocketAddress());
        guard.awaitHello(() -> {
            if (session == null) {
                LOG.debug("connection={} closed: no hello within webchat.helloTimeout", id);
                close(1008, "Say hello first");
            }
        });
    }

    @Override
    public void onWebSocketText(String text) {
        if (guard.inbound(ClientFrameParser.utf8Length(text)) == FrameGuard.Verdict.DISCONNECT) {
            LOG.debug("connection={} closed: over webchat.maxInboundBytesPerSecond", id);
            close(1008, "Too much data");
            return;
        }
        ClientFrame frame;
        try {
            frame = parser.parse(text);
        } catch (ProtocolException e) {
            if (admit(false, Optional.empty())) {
                send(ServerFrame.badRequest(e));
            }
            return;
        }
        Optional<String> messageId = frame instanceof ClientFrame.Message message ? Optional.of(message.id()) : Optional.empty();
        if (!admit(messageId.isPresent(), messageId)) {
            return;
        }
        WebSession current = session;
        if (frame instanceof ClientFrame.Hello hello) {
            if (current != null) {
                send(ServerFrame.badRequest(BadRequest.ALREADY_GREETED, "This connection already said hello", Optional.empty()));
                return;
            }
            Optional<UserIdentity> identity;
            try {
                identity = authenticator.authenticate(hello.authToken());
            } catch (AuthenticationException e) {
                long suppressed = guard.refusedHelloLog();
                if (suppressed >= 0) {
                    LOG.info("connection={} hello refused: {} ({} similar refusals not logged)", id, e.getMessage(), suppressed);
                }
                send(ServerFrame.badRequest(BadRequest.NOT_AUTHENTICATED, e.getMessage(), Optional.empty()));
                guard.helloRefused();
                return;
            }
            Optional<WebSession> attached;
            try {
                attached = registry.attach(this, hello, identity, () -> guard.admitNewSession(identity.map(UserIdentity::id)));
            } catch (SessionRegistry.NewSessionRefusedException e) {
                send(ServerFrame.badRequest(BadRequest.SERVER_BUSY, "Too many new chats were opened from your network; please"
                        + " try again in a minute", Optional.empty()));
                guard.helloRefused();
                return;
            } catch (SessionRegistry.StoreUnavailableException e) {
                send(ServerFrame.badRequest(BadRequest.SERVER_BUSY, "Your chat cannot be looked up right now; please try again in"
                        + " a moment", Optional.empty()));
                guard.helloRefused();
                return;
            }
            if (attached.isEmpty()) {
                send(ServerFrame.badRequest(BadRequest.SERVER_BUSY, "The chat service is busy right now; please try again in a"
                        + " few minutes", Optional.empty()));
                guard.helloRefused();
                return;
            }
            session = attached.get();
            guard.greeted();
            return;
        }
        if (current == null) {
            send(ServerFrame.badRequest(BadRequest.HELLO_REQUIRED, "Send hello first, then " + frame.type(),
                    frame instanceof ClientFrame.Message message ? Optional.of(message.id()) : Optional.empty()));
            return;
        }
        current.handle(this, frame);
    }

    /** Counts a frame against the socket's rate; false when it was dropped (and answered, or the socket closed). */
    private boolean admit(boolean namesMessage, Optional<String> messageId) {
        switch (guard.frame(namesMessage)) {
            case ACCEPT:
                return true;
            case REFUSE:
                send(ServerFrame.badRequest(BadRequest.RATE_LIMITED,
                        "Too many frames: slow down (the frame was dropped; a message may be sent again with the same id)", messageId));
                return false;
            case DISCONNECT:
                LOG.debug("connection={} closed: kept sending over webchat.maxMessagesPerSecond", id);
                close(1008, "Too many frames");
                return false;
            default:
                return false;
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (guard.inbound(payload.remaining()) == FrameGuard.Verdict.DISCONNECT) {
            close(1008, "Too much data");
        } else if (admit(false, Optional.empty())) {
            send(ServerFrame.badRequest(BadRequest.MALFORMED_JSON, "Binary frames are not accepted: send JSON text frames", Optional.empty()));
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        LOG.debug("connection={} closed ({} {})", id, statusCode, reason);
        guard.closed();
        WebSession current = session;
        if (current != null) {
            registry.detach(current, this);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("connection={} failed: {}", id, cause.toString());
        guard.closed();
    }

    @Override
    public void send(ServerFrame frame) {
        Session open = socket;
        if (open == null || !open.isOpen()) {
            return;
        }
        open.sendText(frame.toJson(), Callback.from(() -> { }, failure -> {
            LOG.debug("connection={} could not send {}: {}", id, frame.type(), failure.toString());
            open.close(1011, "send failed", Callback.NOOP);
        }));
    }

    @Override
    public void close(int statusCode, String reason) {
        Session open = socket;
        if (open != null && open.isOpen()) {
            open.close(statusCode, reason, Callback.NOOP);
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingFailures.asServiceDeskException;
import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.ServiceDeskException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes one web messaging chat down each way it can end: stops its parts, closes its socket and says why where the application must hear it. */
final class WebMessagingShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingShutdown.class);

    private final String chatId;
    /** The application's callback; closed when the chat is detached. */
    private final CallbackGate gate;
    private final WebMessagingSocket socket;
    private final WebMessagingConversation conversation;
    private final WebMessagingReconnects reconnects;
    private final WebMessagingSession session;
    private final WebMessagingSender sender;

    WebMessagingShutdown(String chatId, CallbackGate gate, WebMessagingSocket socket, WebMessagingConversation conversation,
            WebMessagingReconnects reconnects, WebMessagingSession session, WebMessagingSender sender) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.conversation = requireNonNull(conversation, "conversation is null");
        this.reconnects = requireNonNull(reconnects, "reconnects is null");
        this.session = requireNonNull(session, "session is null");
        this.sender = requireNonNull(sender, "sender is null");
    }

    /** Stops every timer and fails every queued send: the chat ends. */
    void stop(String reasonForQueued) {
        socket.stopHealthChecks();
        conversation.stop();
        reconnects.stop();
        session.stopExpiry();
        sender.stop();
        sender.failAll(reasonForQueued);
    }

    /**
     * The socket went away while the chat was not open. While it starts or resumes ({@code connecting}), the requests
     * that waited on the socket failed, and the start or resume with them; but the sender keeps a message that lost its
     * socket for the next one, which only an open chat's reconnect brings: the first message of a start (or one sent
     * during a resume) would wait for ever, and the start with it. Such messages fail now.
     */
    void socketLostWhileNotOpen(boolean connecting, String reason) {
        if (connecting) {
            sender.failAll(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                    "The Genesys web messaging socket " + reason + " before the chat was connected",
                    "The chat could not be connected. Please try again.", null));
        }
    }

    /** Stops everything and closes the socket. */
    void close(String reasonForQueued) {
        stop(reasonForQueued);
        socket.close();
    }

    /** The chat moved to another process: everything stops and the callback and socket close, the session stays at Genesys. */
    void detach() {
        stop("The chat moved to another server.");
        gate.close();
        socket.close();
    }

    /** The agent or Genesys ended the conversation: everything stops, and the application hears it last. */
    void agentEnded() {
        close("The chat has ended.");
        gate.agentEndedChat();
    }

    /** What the application is told of a start that failed; logged here. */
    ServiceDeskException startFailure(Throwable failure) {
        ServiceDeskException e = asServiceDeskException(CompletionFailures.unwrap(failure), "start the chat");
        LOG.warn("chat={} the web messaging chat did not start: {}", chatId, e.getMessage());
        return e;
    }

    /** A chat that was starting could not: everything stops and the user is told it could not connect. */
    void startFailed(ServiceDeskException e) {
        close("The chat could not start.");
        gate.setErrorStatus(new ErrorInfo.Connecting(Optional.of(e.messageToUser()
                .orElse("The chat could not be connected to an agent. Please try again later."))));
    }

    /**
     * A resume that failed: closes the socket and gives the failure to report, or nothing when the session is gone at
     * Genesys (the chat cannot be resumed, which is no error).
     */
    Optional<ServiceDeskException> resumeFailed(Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        socket.close();
        if (cause instanceof WebMessagingException wme && wme.isSessionGone()) {
            LOG.info("chat={} the web messaging session is gone (code {})", chatId, wme.code());
            return Optional.empty();
        }
        LOG.warn("chat={} could not resume the web messaging session: {}", chatId, cause.toString());
        return Optional.of(asServiceDeskException(cause, "resume the chat"));
    }
}

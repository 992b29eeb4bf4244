package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.wire.PresenceType;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the user's end of a chat reaches Genesys.
 *
 * <p>Genesys lets a guest end a conversation in one way only, {@code Presence Clear}, and only where the deployment
 * enables {@code conversationClear} (off by default); {@code closeSession} merely closes the session's sockets and the
 * conversation stays with the queue or the agent. Genesys's own Messenger offers no "end" where Clear is off: the
 * conversation lives on until the agent disconnects it. So, as {@link WebMessagingSettings#endChatMode()} says:
 * <ul>
 *   <li>{@code auto} (default): {@code Presence Clear} where the deployment's configuration enables it; otherwise the
 *       closing message ({@code genesys.webMessagingClosingMessage}) goes to the agent as the user's last message,
 *       with the custom attribute {@code deskbridge.userEnded=true} for the flow, and the socket closes;</li>
 *   <li>{@code clear}: {@code Presence Clear} only (refused where the deployment does not enable it);</li>
 *   <li>{@code message}: the closing message, even where Clear is enabled (Clear wipes the guest's history).</li>
 * </ul>
 * The socket is closed in every case: nothing stays open at the desk.
 *
 * <p>Not thread-safe: every method runs on the chat's lane.
 */
final class WebMessagingEnding {
    /** The custom attribute that marks the closing message, for the deployment's flow. */
    static final String USER_ENDED_ATTRIBUTE = "deskbridge.userEnded";
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingEnding.class);
    /** How long past its budget the end is cut short if its requests did not give up themselves. */
    private static final java.time.Duration BACKSTOP_GRACE = java.time.Duration.ofSeconds(1);

    private final String chatId;
    private final WebMessagingSettings settings;
    private final WebMessagingSocket socket;
    private final Executor serial;
    /** Paces the end's requests as the user's messages, and sends them again when Genesys asks to slow down. */
    private final WebMessagingSender sender;
    private final Clock clock;
    private CompletableFuture<Void> waiter;

    WebMessagingEnding(String chatId, WebMessagingSettings settings, WebMessagingSocket socket, Executor serial, WebMessagingSender sender,
            Clock clock) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.serial = requireNonNull(serial, "serial is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Tells Genesys the user ended the chat, on a new socket if the chat has none, then closes the socket. Completes
     * normally once done, or after the send timeout: a failure is logged. The send timeout is the end's whole budget:
     * a {@code 4029} ({@code TooManyRequestsErrorMessage}) is waited out within it, not beyond.
     */
    CompletableFuture<Void> end(WebMessagingSession session, WebMessagingDeploymentConfig config) {
        Instant deadline = clock.instant().plus(settings.sendTimeout());
        CompletableFuture<Void> ready = socket.isOpen() ? CompletableFuture.completedFuture(null)
                : session.openAndConfigure(false).thenApply(response -> null);
        boolean clear = settings.endChatMode() == WebMessagingSettings.EndChatMode.CLEAR
                || settings.endChatMode() == WebMessagingSettings.EndChatMode.AUTO && config.clearEnabled();
        return ready.thenComposeAsync(ignored -> clear ? clear(session.token(), deadline) : closingMessage(session.token(), deadline), serial)
                // A backstop only: the requests give up at the deadline themselves, saying why.
                .orTimeout(settings.sendTimeout().plus(BACKSTOP_GRACE).toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warn("chat={} could not tell Genesys that the user ended the chat: {}", chatId,
                                CompletionFailures.unwrap(failure).toString());
                    }
                    socket.close();
                    return null;
                }, serial);
    }

    private CompletableFuture<Void> clear(String token, Instant deadline) {
        waiter = new CompletableFuture<>();
        CompletableFuture<Void> mine = waiter;
        StructuredMessage clear = StructuredMessage.guestEvent(StructuredMessage.Event.presence(PresenceType.CLEAR));
        // Genesys answers Clear with SessionClearedEvent, or refuses it with 403 "... Conversation Clear ...".
        WebMessagingSocket.Claim answer = frame -> frame.responseClass().filter(c -> c == ResponseClass.SESSION_CLEARED_EVENT).isPresent()
                || frame.code() == 403 && frame.errorText().toLowerCase(java.util.Locale.ROOT).contains("conversation clear");
        CompletableFuture<Frame> sent = sender.sendEnding("clear", tracingId -> Requests.OnMessage.of(token, clear, tracingId), answer, deadline);
        // Once confirmed another way (the socket closed, SessionClearedEvent pushed), the end stops sending: no retry follows.
        mine.whenComplete((ignored, failure) -> sent.cancel(false));
        sent.whenComplete((frame, failure) -> {
            if (failure != null) {
                // The socket closing in answer to Clear confirms the end; anything else (the budget spent) is a failure.
                if (CompletionFailures.unwrap(failure) instanceof WebMessagingSocket.ConnectionLost) {
                    mine.complete(null);
                } else {
                    mine.completeExceptionally(CompletionFailures.unwrap(failure));
                }
            } else if (frame.responseClass().filter(c -> c == ResponseClass.SESSION_CLEARED_EVENT).isPresent()) {
                mine.complete(null);
            } else if (!frame.isSuccess() && settings.endChatMode() == WebMessagingSettings.EndChatMode.AUTO) {
                LOG.info("chat={} the deployment refused clearing (code {}); sending the closing message instead", chatId, frame.code());
                WebMessagingFailures.propagate(closingMessage(token, deadline), mine);
            } else if (!frame.isSuccess()) {
                mine.completeExceptionally(WebMessagingException.of("Presence Clear", frame));
            }
        });
        return mine;
    }

    /** The closing message to the agent; completes when Genesys confirmed it (its echo) or refused it. */
    private CompletableFuture<Void> closingMessage(String token, Instant deadline) {
        String id = "closing-" + token;
        StructuredMessage message = StructuredMessage.guestText(settings.closingMessage(), Map.of("customMessageId", id),
                Map.of(USER_ENDED_ATTRIBUTE, "true"), List.of());
        return sender.sendEnding("closing", tracingId -> Requests.OnMessage.of(token, message, tracingId), WebMessagingSender::answersAText,
                        deadline)
                .thenAccept(frame -> {
                    if (!frame.isSuccess()) {
                        throw WebMessagingException.of("the closing message", frame);
                    }
                });
    }

    /** Genesys confirmed the end another way ({@code SessionClearedEvent} pushed, {@code ConnectionClosedEvent}) or the socket closed. */
    void confirmed() {
        if (waiter != null) {
            waiter.complete(null);
        }
    }
}

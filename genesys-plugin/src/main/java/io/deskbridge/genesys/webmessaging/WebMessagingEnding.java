package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.wire.PresenceType;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.core.CompletionFailures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the user's end of a chat reaches Genesys, as {@link WebMessagingSettings#endChatMode()} says.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingEnding {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingEnding.class);

    private final String chatId;
    private final WebMessagingSettings settings;
    private final WebMessagingSocket socket;
    private final Executor serial;
    private CompletableFuture<Void> waiter;

    WebMessagingEnding(String chatId, WebMessagingSettings settings, WebMessagingSocket socket, Executor serial) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.serial = requireNonNull(serial, "serial is null");
    }

    /**
     * Tells Genesys the user ended the chat, on a new socket if the chat has none, then closes the socket. Completes
     * normally once done, or after the send timeout: a failure is logged (the session then expires at Genesys).
     */
    CompletableFuture<Void> end(WebMessagingSession session) {
        CompletableFuture<Void> ready = socket.isOpen() ? CompletableFuture.completedFuture(null)
                : session.openAndConfigure(false).thenApply(response -> null);
        return ready.thenComposeAsync(ignored -> send(session.token()), serial)
                .orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((ignored, failure) -> {
                    if (failure != null) {
                        LOG.warn("[{}] could not tell Genesys that the user ended the chat; the session will expire: {}",
                                chatId, CompletionFailures.unwrap(failure).toString());
                    }
                    socket.close();
                    return null;
                }, serial);
    }

    private CompletableFuture<Void> send(String token) {
        waiter = new CompletableFuture<>();
        CompletableFuture<Void> mine = waiter;
        if (settings.endChatMode() == WebMessagingSettings.EndChatMode.CLOSE_SESSION) {
            closeSession(token);
        } else {
            String tracingId = WebMessagingSocket.nextTracingId("clear");
            StructuredMessage clear = StructuredMessage.guestEvent(StructuredMessage.Event.presence(PresenceType.CLEAR));
            socket.request(Requests.OnMessage.of(token, clear, tracingId), tracingId, settings.sendTimeout()).whenComplete((frame, failure) -> {
                if (failure != null) {
                    mine.complete(null);
                } else if (!frame.isSuccess()) {
                    if (settings.endChatMode() == WebMessagingSettings.EndChatMode.AUTO) {
                        LOG.info("[{}] the deployment does not allow clearing (code {}); closing the session instead", chatId, frame.code());
                        closeSession(token);
                    } else {
                        mine.completeExceptionally(WebMessagingException.of("Presence Clear", frame));
                    }
                } else if (frame.responseClass().filter(c -> c == ResponseClass.SESSION_CLEARED_EVENT).isPresent()) {
                    mine.complete(null);
                }
            });
        }
        return mine;
    }

    private void closeSession(String token) {
        CompletableFuture<Void> mine = waiter;
        String tracingId = WebMessagingSocket.nextTracingId("close");
        socket.request(Requests.CloseSession.all(token, tracingId), tracingId, settings.sendTimeout()).whenComplete((frame, failure) -> {
            if (failure == null && !frame.isSuccess()) {
                mine.completeExceptionally(WebMessagingException.of("closeSession", frame));
            } else {
                mine.complete(null);
            }
        });
    }

    /** Genesys confirmed the end another way ({@code SessionClearedEvent}, {@code ConnectionClosedEvent}) or the socket closed. */
    void confirmed() {
        if (waiter != null) {
            waiter.complete(null);
        }
    }
}

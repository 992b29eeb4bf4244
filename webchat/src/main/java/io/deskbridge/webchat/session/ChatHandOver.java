package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatSession;
import io.deskbridge.spi.Capability;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link WebSession}'s chat moves between web chat processes without ending at the desk: restored from the store
 * in the process a page comes back to (after a restart, or taking the session over from another process), and let go
 * of in the process that no longer holds the session (another process took it over, or a graceful shutdown hands it
 * over). Letting go detaches the desk's connection (its vendor socket) and saves nothing more, so that the process that
 * holds the session now is the only one that writes it.
 */
final class ChatHandOver {
    /** Logs as the session: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);

    private final WebSession session;

    ChatHandOver(WebSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    /**
     * Rebuilds this (new) session's chat from a stored record, reconnecting to the desk when the chat was live and
     * the desk can resume chats. Called before any tab is attached.
     */
    void restore(SessionRecord record) {
        session.serial().execute(() -> {
            if (record.chat().isEmpty()) {
                return;
            }
            SessionRegistry.Context context = session.context();
            SessionRecord.ChatRecord stored = record.chat().get();
            session.markChatStarted();
            SessionChat restored = new SessionChat(stored.chatId(),
                    new Transcript(context.transcriptSize(), context.transcriptBudget(), stored.transcript()), stored.agent());
            session.replaceChat(restored);
            boolean canResume = !stored.over() && stored.deskState().isPresent()
                    && context.deskbridge().capabilities().contains(Capability.RECONNECT);
            if (!canResume) {
                restored.openedAs(context.deskbridge().openChat(stored.chatId(), IgnoringCallback.INSTANCE));
                restored.end(stored.over() ? "ended" : "expired");
                return;
            }
            restored.openedAs(context.deskbridge().resumeChat(stored.chatId(), stored.deskState().get(), new ChatCallback(session, restored)));
            String sessionId = session.sessionId();
            LOG.info("session={} chat={} reconnecting to the desk (after a restart, or taken over from another process)", sessionId, stored.chatId());
            restored.desk().reconnect().whenComplete((resumed, failure) -> session.serial().execute(() -> {
                if (!session.isCurrent(restored) || restored.isOver()) {
                    return;
                }
                if (failure == null && Boolean.TRUE.equals(resumed)) {
                    LOG.info("session={} chat={} resumed", sessionId, restored.chatId());
                    session.broadcast(ServerFrame.chatStarted(restored.chatId()));
                } else {
                    LOG.info("session={} chat={} could not be resumed", sessionId, restored.chatId());
                    session.finish(restored, "expired");
                }
            }));
        });
    }

    /**
     * Another process took the session over (its lease moved): lets go of the chat here without ending it at the
     * desk, saves nothing more, and closes the tabs still attached with {@value WebSession#CLOSE_RECONNECT}, so that
     * they reconnect, through the load balancer, to wherever the chat is now.
     */
    void moveAway() {
        session.stopSaving();
        session.markClosed();
        session.serial().execute(() -> {
            LOG.info("session={} was taken over by another web chat process; letting go of its chat here", session.sessionId());
            detachDesk();
            session.closeConnections(WebSession.CLOSE_RECONNECT, "moved");
        });
    }

    /**
     * For a graceful shutdown that hands sessions over: saves the session's last state and lets go of its chat at
     * the desk without ending it; the tabs stay attached until {@link WebSession#closeTabs}. Completes when the desk
     * let go.
     */
    CompletionStage<Void> suspend() {
        session.markClosed();
        CompletableFuture<Void> done = new CompletableFuture<>();
        session.serial().execute(() -> {
            session.save();
            session.stopSaving(); // the state just saved is the last: what the desk still reports is not this process's
            detachDesk().whenComplete((ignored, failure) -> done.complete(null));
        });
        return done;
    }

    /** Lets go of the chat at the desk without ending it, when it is live there; never fails. */
    private CompletionStage<Void> detachDesk() {
        if (session.chat().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        SessionChat current = session.chat().get();
        if (!current.isOpenAtDesk() || current.isOver() || current.desk().isDetached()) {
            return CompletableFuture.completedFuture(null);
        }
        ChatSession desk = current.desk();
        return desk.detach().handle((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("session={} chat={} the desk could not let go of the chat: {}", session.sessionId(), current.chatId(),
                        WebSession.unwrap(failure).toString());
            }
            return null;
        });
    }
}

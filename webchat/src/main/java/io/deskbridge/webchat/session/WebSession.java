package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's session with the web chat: the tabs (sockets) that presented its resume token, and its current chat
 * on the desk with a bounded transcript. Every frame to the browser goes to every tab of the session.
 *
 * <p><b>Threads.</b> The session owns no thread. Its state is confined to a {@link SerialExecutor} over the shared
 * worker pool: client frames, desk callbacks and completions all hop onto it, so they are handled one at a time and
 * frames reach the tabs in the order the events happened. Only the connection count is kept outside it, under the
 * session's lock, so that idle expiry and a returning tab cannot race.
 *
 * <p><b>Parts.</b> This class holds the session's tabs, its life cycle (attach, detach, expiry, close) and its saving
 * to the store; the rest is done, on the same executor, by: {@link ClientFrameHandler} (the frames a tab sends),
 * {@link ChatCallback} (what the desk reports about a chat), {@link SessionChat} (a chat's transcript and what a page
 * is shown of it), {@link UploadStep} (files) and {@link ChatHandOver} (restoring a chat from the store, and letting it
 * go when another process takes the session over).
 */
public final class WebSession {
    private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);

    /** What a page is told when its chat could not be connected and the desk said nothing the user may read. */
    static final String FAILED_TO_CONNECT = "We could not connect you to an agent. Please try again later.";

    /**
     * The close code that tells a page to reconnect at once (WebSocket "service restart"): its chat goes on in the
     * process the load balancer sends it to (see docs/protocol.md).
     */
    public static final int CLOSE_RECONNECT = 1012;

    private final String sessionId;
    private final String resumeToken;
    private final String tokenHash;
    private final Optional<UserIdentity> identity;
    private final SessionRegistry.Context context;
    private final SerialExecutor serial;
    private final UploadStep uploadStep;
    private final ClientFrameHandler frames;
    private final ChatHandOver handOver;
    /** Set when another process took the session over: nothing of it is saved from here any more. */
    private volatile boolean movedAway;

    // Guarded by this.
    private int connectionCount;
    private Instant idleSince;
    private boolean closed;
    private boolean everStartedChat;

    // Confined to serial.
    private final List<ChatConnection> connections = new ArrayList<>();
    private Optional<ClientFrame.UserInfo> user = Optional.empty();
    /** The session's chat, the one in progress or the last one; null before the first. */
    private SessionChat chat;

    WebSession(String sessionId, String resumeToken, String tokenHash, Optional<UserIdentity> identity, SessionRegistry.Context context) {
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.resumeToken = requireNonNull(resumeToken, "resumeToken is null");
        this.tokenHash = requireNonNull(tokenHash, "tokenHash is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.context = requireNonNull(context, "context is null");
        this.serial = new SerialExecutor(context.workers());
        this.uploadStep = new UploadStep(sessionId, context.uploads(), context.deskbridge().capabilities(), serial);
        // The parts read the session's id, context and executor, all set above.
        this.frames = new ClientFrameHandler(this);
        this.handOver = new ChatHandOver(this);
        this.idleSince = context.clock().instant();
    }

    /** The session's id for logs. */
    public String sessionId() {
        return sessionId;
    }

    String tokenHash() {
        return tokenHash;
    }

    /** The verified user of the session, if the server authenticates users. */
    Optional<UserIdentity> identity() {
        return identity;
    }

    // --- Tabs and life cycle (the registry's side) ---

    /** Counts a connection in before it is attached; false when the session already expired. */
    synchronized boolean reserve() {
        if (closed) {
            return false;
        }
        connectionCount++;
        return true;
    }

    /** Marks the session closed if no tab is connected and it has been idle since {@code cutoff} or earlier. */
    synchronized boolean closeIfIdleSince(Instant cutoff) {
        return closeIfIdleSince(cutoff, cutoff);
    }

    /**
     * As {@link #closeIfIdleSince(Instant)}, with {@code unstartedCutoff} for a session that never had a chat (it
     * holds nothing a page could come back for, so it may go sooner).
     */
    synchronized boolean closeIfIdleSince(Instant cutoff, Instant unstartedCutoff) {
        Instant limit = everStartedChat ? cutoff : unstartedCutoff;
        if (!closed && connectionCount == 0 && !idleSince.isAfter(limit)) {
            closed = true;
            return true;
        }
        return false;
    }

    /** Whether the session ever had a chat (started here, or restored from the store). */
    synchronized boolean everStartedChat() {
        return everStartedChat;
    }

    synchronized void markChatStarted() {
        everStartedChat = true;
    }

    synchronized void markClosed() {
        closed = true;
    }

    synchronized int connectionCount() {
        return connectionCount;
    }

    /**
     * Attaches a tab that said {@code hello} (after {@link #reserve()}), and sends it {@code welcome} with the chat's
     * state and transcript.
     */
    void attach(ChatConnection connection, ClientFrame.Hello hello, boolean resumed) {
        serial.execute(() -> {
            connections.add(connection);
            hello.user().ifPresent(u -> user = Optional.of(u));
            connection.send(ServerFrame.welcome(resumeToken, context.deskbridge().deskName(), context.deskbridge().capabilities(),
                    resumed, chat().map(SessionChat::snapshot)));
            LOG.info("session={} connection={} attached ({}), {} tab(s)", sessionId, connection.id(),
                    resumed ? "resumed" : "new", connections.size());
            save();
        });
    }

    /** Detaches a tab whose socket closed. */
    void detach(ChatConnection connection) {
        synchronized (this) {
            connectionCount = Math.max(0, connectionCount - 1);
            if (connectionCount == 0) {
                idleSince = context.clock().instant();
            }
        }
        serial.execute(() -> {
            if (connections.remove(connection)) {
                LOG.debug("session={} connection={} detached, {} tab(s) left", sessionId, connection.id(), connections.size());
                save();
            }
        });
    }

    /** Handles a validated frame from one of the session's tabs. */
    public void handle(ChatConnection from, ClientFrame frame) {
        serial.execute(() -> {
            try {
                frames.handle(from, frame);
            } catch (RuntimeException e) {
                LOG.error("session={} could not handle a {} frame", sessionId, frame.type(), e);
            }
        });
    }

    /**
     * Ends the session: its chat is ended at the desk (reason {@code expired} or {@code shutdown}), its tabs are told
     * and closed. Completes when the desk acknowledged the end, or at once when there is no chat.
     *
     * @param endChat whether to end the chat at the desk (false when a durable store keeps it for a later process)
     */
    CompletionStage<Void> close(String reason, boolean endChat, int closeCode) {
        markClosed();
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ignored, failure) -> serial.execute(() -> {
            if (chat != null) {
                chat.transcript().release(); // the session is forgotten: its transcript no longer counts
            }
        }));
        serial.execute(() -> {
            uploadStep.release();
            SessionChat current = chat;
            if (current == null || current.isOver() || !endChat) {
                if (!endChat) {
                    save(); // a durable store keeps the session for the next process, active as of its last open tab
                }
                closeConnections(closeCode, reason);
                if (endChat) {
                    context.store().delete(tokenHash);
                }
                done.complete(null);
                return;
            }
            current.desk().endChat(EndChatInfo.none()).whenComplete((ignored, failure) -> serial.execute(() -> {
                if (!current.isOver()) {
                    LOG.info("session={} chat={} ended ({})", sessionId, current.chatId(), reason);
                    finish(current, reason);
                }
                closeConnections(closeCode, reason);
                context.store().delete(tokenHash);
                done.complete(null);
            }));
        });
        return done;
    }

    /** Another process took the session over; see {@link ChatHandOver#moveAway()}. */
    void moveAway() {
        handOver.moveAway();
    }

    /** For a graceful shutdown that hands sessions over; see {@link ChatHandOver#suspend()}. */
    CompletionStage<Void> suspend() {
        return handOver.suspend();
    }

    /** Rebuilds this (new) session's chat from a stored record; see {@link ChatHandOver#restore}. */
    void restore(SessionRecord record) {
        handOver.restore(record);
    }

    /** Closes every tab with {@code closeCode}; completes once the close frames are on their way. */
    CompletionStage<Void> closeTabs(int closeCode, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            closeConnections(closeCode, reason);
            done.complete(null);
        });
        return done;
    }

    // --- What the session's parts share; confined to the session's executor unless said otherwise ---

    SessionRegistry.Context context() {
        return context;
    }

    /** The session's executor, which every event of the session hops onto. Any thread. */
    Executor serial() {
        return serial;
    }

    UploadStep uploadStep() {
        return uploadStep;
    }

    /** What the page said about its user in its last {@code hello} that carried it. */
    Optional<ClientFrame.UserInfo> user() {
        return user;
    }

    /** The session's chat: the one in progress, or the last one. */
    Optional<SessionChat> chat() {
        return Optional.ofNullable(chat);
    }

    /** Whether {@code candidate} is still the session's chat (a completion may arrive after the next chat started). */
    boolean isCurrent(SessionChat candidate) {
        return candidate == chat;
    }

    /** Makes {@code next} the session's chat; the previous chat's transcript is released, as it is no longer shown. */
    void replaceChat(SessionChat next) {
        if (chat != null) {
            chat.transcript().release();
        }
        chat = requireNonNull(next, "next is null");
    }

    /** Sends {@code frame} to every tab of the session. */
    void broadcast(ServerFrame frame) {
        for (ChatConnection connection : List.copyOf(connections)) {
            connection.send(frame);
        }
    }

    /** Sends {@code frame} to every tab of the session but {@code from}, which knows already. */
    void sendToOtherTabs(ChatConnection from, ServerFrame frame) {
        for (ChatConnection other : List.copyOf(connections)) {
            if (other != from) {
                other.send(frame);
            }
        }
    }

    void closeConnections(int closeCode, String reason) {
        for (ChatConnection connection : List.copyOf(connections)) {
            connection.close(closeCode, reason);
        }
        connections.clear();
    }

    /** {@code ended} is over for the page, for {@code reason}: its files go, the tabs are told, the session is saved. */
    void finish(SessionChat ended, String reason) {
        uploadStep.release();
        ended.end(reason);
        broadcast(ServerFrame.chatEnded(reason));
        save();
    }

    /** Nothing of the session is saved from here on: the state last saved is the last this process writes. */
    void stopSaving() {
        movedAway = true;
    }

    /** Hands the session's state to the store (which writes it later): its chat, and when a tab was last open. */
    void save() {
        if (movedAway) {
            return;
        }
        Instant lastActive;
        synchronized (this) {
            if (closed && connectionCount == 0 && chat == null) {
                return;
            }
            lastActive = connectionCount > 0 ? context.clock().instant() : idleSince;
        }
        Optional<SessionRecord.ChatRecord> chatRecord = chat().map(SessionChat::record);
        try {
            context.store().save(new SessionRecord(tokenHash, sessionId, identity, chatRecord, lastActive));
        } catch (RuntimeException e) {
            LOG.error("session={} could not be saved to the session store", sessionId, e);
        }
    }

    /** Logs (at DEBUG) a failure of a desk call whose outcome does not matter to the page. Any thread. */
    void ignoreFailure(CompletionStage<?> stage, String what) {
        stage.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.debug("session={} {} failed: {}", sessionId, what, unwrap(failure).toString());
            }
        });
    }

    /** The failure of a desk call as the session reports it: unwrapped, and a timeout as the vendor being unavailable. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = CompletionFailures.unwrap(failure);
        return t instanceof TimeoutException ? new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "timed out", t) : t;
    }
}

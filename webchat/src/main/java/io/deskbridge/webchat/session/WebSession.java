package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.core.ChatSession;
import io.deskbridge.core.ChatStatus;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.webchat.protocol.BadRequest;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 */
public final class WebSession {
    private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);
    private static final ServiceDeskCallback IGNORE = new IgnoringCallback();
    private static final String FAILED_TO_CONNECT = "We could not connect you to an agent. Please try again later.";

    /**
     * The close code that tells a page to reconnect at once (WebSocket "service restart"): its chat goes on in the
     * process the load balancer sends it to (see docs/protocol.md).
     */
    public static final int CLOSE_RECONNECT = 1012;

    private final String sessionId;
    private final String resumeToken;
    private final String tokenHash;
    private final SessionRegistry.Context context;
    private final SerialExecutor serial;
    private final AtomicLong probes = new AtomicLong();
    /** Set when another process took the session over: nothing of it is saved from here any more. */
    private volatile boolean movedAway;
    private final UploadStep uploadStep;

    // Guarded by this.
    private int connectionCount;
    private Instant idleSince;
    private boolean closed;
    private boolean everStartedChat;

    // Confined to serial.
    private final List<ChatConnection> connections = new ArrayList<>();
    private Optional<UserIdentity> identity;
    private Optional<ClientFrame.UserInfo> user = Optional.empty();
    private Chat chat;

    WebSession(String sessionId, String resumeToken, String tokenHash, Optional<UserIdentity> identity, SessionRegistry.Context context) {
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.resumeToken = requireNonNull(resumeToken, "resumeToken is null");
        this.tokenHash = requireNonNull(tokenHash, "tokenHash is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.context = requireNonNull(context, "context is null");
        this.serial = new SerialExecutor(context.workers());
        this.uploadStep = new UploadStep(sessionId, context.uploads(), context.deskbridge().capabilities(), serial);
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

    private synchronized void markChatStarted() {
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
                    resumed, Optional.ofNullable(chat).map(Chat::snapshot)));
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
                dispatch(from, frame);
            } catch (RuntimeException e) {
                LOG.error("session={} could not handle a {} frame", sessionId, frame.type(), e);
            }
        });
    }

    private void dispatch(ChatConnection from, ClientFrame frame) {
        if (frame instanceof ClientFrame.AgentsOnline) {
            agentsOnline(from);
        } else if (frame instanceof ClientFrame.StartChat start) {
            startChat(from, start);
        } else if (frame instanceof ClientFrame.Message message) {
            message(from, message);
        } else if (frame instanceof ClientFrame.Typing typing) {
            activeChat().filter(c -> c.session.capabilities().contains(Capability.USER_TYPING))
                    .ifPresent(c -> ignoreFailure(c.session.userTyping(typing.isTyping()), "userTyping"));
        } else if (frame instanceof ClientFrame.Read) {
            activeChat().filter(c -> c.session.capabilities().contains(Capability.USER_READ_RECEIPTS))
                    .ifPresent(c -> ignoreFailure(c.session.userReadMessages(), "userReadMessages"));
        } else if (frame instanceof ClientFrame.EndChat) {
            endChat(from);
        } else if (frame instanceof ClientFrame.Upload upload) {
            Optional<Chat> current = activeChat();
            uploadStep.upload(from, upload, current.map(c -> c.session), () -> current.isPresent() && current.get() == chat && !current.get().over);
        } else {
            from.send(ServerFrame.badRequest(BadRequest.ALREADY_GREETED, "This connection already said hello", Optional.empty()));
        }
    }

    private void agentsOnline(ChatConnection from) {
        Deskbridge deskbridge = context.deskbridge();
        if (!deskbridge.capabilities().contains(Capability.AGENTS_ONLINE)) {
            from.send(ServerFrame.agentsOnline(AgentsOnline.UNKNOWN));
            return;
        }
        // The question goes to a fresh desk that is never started (the contract asks it before startChat).
        ChatSession probe = deskbridge.openChat(sessionId + "-probe-" + probes.incrementAndGet(), IGNORE);
        probe.areAnyAgentsOnline(ConnectRequest.empty()).toCompletableFuture()
                .orTimeout(context.agentsOnlineTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((status, failure) -> status != null && failure == null ? status : AgentsOnline.UNKNOWN)
                .thenAccept(status -> serial.execute(() -> from.send(ServerFrame.agentsOnline(status))));
    }

    private void startChat(ChatConnection from, ClientFrame.StartChat start) {
        if (chat != null && !chat.isOver()) {
            from.send(ServerFrame.badRequest(BadRequest.CHAT_IN_PROGRESS,
                    "A chat is already in progress; end it before starting another", Optional.empty()));
            return;
        }
        markChatStarted();
        String chatId = context.newChatId();
        Chat started = new Chat(chatId, new Transcript(context.transcriptSize(), context.transcriptBudget()));
        started.session = context.deskbridge().openChat(chatId, new ChatCallback(started));
        if (chat != null) {
            chat.transcript.release(); // the ended chat's transcript is no longer shown
        }
        chat = started;
        LOG.info("session={} chat={} starting on the {} desk{}", sessionId, chatId, context.deskbridge().deskName(),
                identity.isPresent() ? " for a verified user" : "");
        if (started.session.capabilities().contains(Capability.UPDATE_STATE)) {
            chatState().ifPresent(state -> ignoreFailure(started.session.updateState(state), "updateState"));
        }
        ConnectRequest request = new ConnectRequest(start.topic(), start.messageToAgent(), Map.of());
        StartChatOptions options = identity.map(StartChatOptions::forUser).orElse(StartChatOptions.none());
        started.session.startChat(request, options)
                .whenComplete((ignored, failure) -> serial.execute(() -> onStarted(started, failure)));
        save();
    }

    private void onStarted(Chat started, Throwable failure) {
        if (started != chat || started.over) {
            return;
        }
        if (failure == null) {
            LOG.info("session={} chat={} started", sessionId, started.chatId);
            broadcast(ServerFrame.chatStarted(started.chatId));
            return;
        }
        Throwable cause = unwrap(failure);
        LOG.warn("session={} chat={} could not start: {}", sessionId, started.chatId, cause.toString());
        if (!started.connectingReported) {
            Optional<String> text = cause instanceof ServiceDeskException sde ? sde.messageToUser() : Optional.empty();
            broadcast(ServerFrame.connectingError(Optional.of(text.orElse(FAILED_TO_CONNECT))));
        }
        finish(started, "failed");
    }

    private void message(ChatConnection from, ClientFrame.Message message) {
        Optional<String> id = Optional.of(message.id());
        if (chat == null || chat.isOver()) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT, "There is no chat in progress: start one first", id));
            return;
        }
        Chat current = chat;
        ChatStatus status = current.session.status();
        if (status == ChatStatus.NEW || status == ChatStatus.STARTING) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT,
                    "The chat is still connecting: send messages after chatStarted", id));
            return;
        }
        UploadStep.Named named = uploadStep.files(message.files());
        if (named.missing().isPresent()) {
            from.send(ServerFrame.badRequest(BadRequest.INVALID_FIELD, "message.files names " + named.missing().get()
                    + ", which was not uploaded in this chat (send upload, then the file's bytes, then the message)", id));
            return;
        }
        List<FileUpload> files = named.files();
        String transcriptText = UploadStep.transcriptText(message.text(), files);
        Optional<TranscriptEntry> known = current.transcript.findUserMessage(message.id());
        if (known.isPresent()) {
            TranscriptEntry entry = known.get();
            if (!entry.text().equals(transcriptText)) {
                from.send(ServerFrame.badRequest(BadRequest.INVALID_FIELD,
                        "message.id " + message.id() + " was already used for another message", id));
                return;
            }
            TranscriptEntry.Delivery delivery = entry.delivery().orElse(TranscriptEntry.Delivery.SENDING);
            if (delivery == TranscriptEntry.Delivery.SENT) {
                from.send(ServerFrame.messageStatus(message.id(), true, Optional.empty()));
                return;
            }
            if (delivery == TranscriptEntry.Delivery.SENDING) {
                return; // the outcome of the first attempt reaches every tab
            }
            current.transcript.replaceUserMessage(entry.withDelivery(TranscriptEntry.Delivery.SENDING));
        } else {
            current.transcript.add(TranscriptEntry.user(message.id(), transcriptText, context.clock().instant()));
            ServerFrame echo = ServerFrame.userMessage(message.id(), transcriptText);
            for (ChatConnection other : List.copyOf(connections)) {
                if (other != from) {
                    other.send(echo);
                }
            }
        }
        current.session.sendMessageToAgent(new UserMessage(message.id(), message.text(), files))
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure == null) {
                        uploadStep.delivered(message.files());
                    }
                    onDelivered(current, message.id(), failure);
                }));
    }

    private void onDelivered(Chat delivered, String messageId, Throwable failure) {
        if (delivered != chat) {
            return;
        }
        Optional<TranscriptEntry> entry = delivered.transcript.findUserMessage(messageId);
        if (failure == null) {
            entry.ifPresent(e -> delivered.transcript.replaceUserMessage(e.withDelivery(TranscriptEntry.Delivery.SENT)));
            broadcast(ServerFrame.messageStatus(messageId, true, Optional.empty()));
        } else {
            Throwable cause = unwrap(failure);
            LOG.info("session={} chat={} a user message was not delivered: {}", sessionId, delivered.chatId, cause.getClass().getSimpleName());
            entry.ifPresent(e -> delivered.transcript.replaceUserMessage(e.withDelivery(TranscriptEntry.Delivery.FAILED)));
            String reason = cause instanceof ServiceDeskException sde ? sde.messageToUser().orElse("The message could not be delivered")
                    : "The message could not be delivered";
            broadcast(ServerFrame.messageStatus(messageId, false, Optional.of(reason)));
        }
        save();
    }

    private void endChat(ChatConnection from) {
        if (chat == null) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT, "There is no chat to end", Optional.empty()));
            return;
        }
        if (chat.isOver()) {
            from.send(ServerFrame.chatEnded(chat.endReason));
            return;
        }
        Chat ending = chat;
        ending.endRequested = true;
        ending.session.endChat(EndChatInfo.none())
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure != null) {
                        LOG.warn("session={} chat={} the desk failed to end the chat: {}", sessionId, ending.chatId, unwrap(failure).toString());
                    }
                    if (!ending.over) {
                        LOG.info("session={} chat={} ended by the user", sessionId, ending.chatId);
                        finish(ending, "user");
                    }
                }));
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
                chat.transcript.release(); // the session is forgotten: its transcript no longer counts
            }
        }));
        serial.execute(() -> {
            uploadStep.release();
            Chat current = chat;
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
            current.endRequested = true;
            current.session.endChat(EndChatInfo.none()).whenComplete((ignored, failure) -> serial.execute(() -> {
                if (!current.over) {
                    LOG.info("session={} chat={} ended ({})", sessionId, current.chatId, reason);
                    finish(current, reason);
                }
                closeConnections(closeCode, reason);
                context.store().delete(tokenHash);
                done.complete(null);
            }));
        });
        return done;
    }

    /**
     * Another process took the session over (its lease moved): lets go of the chat here without ending it at the
     * desk, saves nothing more, and closes the tabs still attached with {@value #CLOSE_RECONNECT}, so that they
     * reconnect, through the load balancer, to wherever the chat is now.
     */
    void moveAway() {
        movedAway = true;
        markClosed();
        serial.execute(() -> {
            LOG.info("session={} was taken over by another web chat process; letting go of its chat here", sessionId);
            detachDesk();
            closeConnections(CLOSE_RECONNECT, "moved");
        });
    }

    /**
     * For a graceful shutdown that hands sessions over: saves the session's last state and lets go of its chat at
     * the desk without ending it; the tabs stay attached until {@link #closeTabs}. Completes when the desk let go.
     */
    CompletionStage<Void> suspend() {
        markClosed();
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            save();
            movedAway = true; // the state just saved is the last: what the desk still reports is not this process's
            detachDesk().whenComplete((ignored, failure) -> done.complete(null));
        });
        return done;
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

    private CompletionStage<Void> detachDesk() {
        Chat current = chat;
        if (current == null || current.session == null || current.over || current.session.isDetached()) {
            return CompletableFuture.completedFuture(null);
        }
        return current.session.detach().handle((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("session={} chat={} the desk could not let go of the chat: {}", sessionId, current.chatId, unwrap(failure).toString());
            }
            return null;
        });
    }

    private void closeConnections(int closeCode, String reason) {
        for (ChatConnection connection : List.copyOf(connections)) {
            connection.close(closeCode, reason);
        }
        connections.clear();
    }

    private Optional<Chat> activeChat() {
        if (chat == null || chat.isOver()) {
            return Optional.empty();
        }
        ChatStatus status = chat.session.status();
        return status == ChatStatus.NEW || status == ChatStatus.STARTING ? Optional.empty() : Optional.of(chat);
    }

    private Optional<ChatState> chatState() {
        ChatState state = new ChatState(identity.map(UserIdentity::id).or(() -> user.flatMap(ClientFrame.UserInfo::id)),
                identity.flatMap(UserIdentity::name).or(() -> user.flatMap(ClientFrame.UserInfo::name)),
                Optional.of(sessionId), user.flatMap(ClientFrame.UserInfo::locale));
        return Optional.of(state);
    }

    private void finish(Chat ended, String reason) {
        uploadStep.release();
        ended.over = true;
        ended.endReason = reason;
        ended.agentTyping = false;
        broadcast(ServerFrame.chatEnded(reason));
        save();
    }

    private void broadcast(ServerFrame frame) {
        for (ChatConnection connection : List.copyOf(connections)) {
            connection.send(frame);
        }
    }

    private void save() {
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
        Optional<SessionRecord.ChatRecord> chatRecord = Optional.ofNullable(chat)
                .map(c -> new SessionRecord.ChatRecord(c.chatId, c.over, c.session.persistedState(), c.agent(), c.transcript.entries()));
        try {
            context.store().save(new SessionRecord(tokenHash, sessionId, identity, chatRecord, lastActive));
        } catch (RuntimeException e) {
            LOG.error("session={} could not be saved to the session store", sessionId, e);
        }
    }

    /**
     * Rebuilds this (new) session's chat from a stored record, reconnecting to the desk when the chat was live and
     * the desk can resume chats. Called before any tab is attached.
     */
    void restore(SessionRecord record) {
        serial.execute(() -> {
            if (record.chat().isEmpty()) {
                return;
            }
            SessionRecord.ChatRecord stored = record.chat().get();
            markChatStarted();
            Chat restored = new Chat(stored.chatId(), new Transcript(context.transcriptSize(), context.transcriptBudget(), stored.transcript()));
            restored.restoredAgent = stored.agent();
            stored.agent().ifPresent(a -> restored.agentNames.put(a.id(), a.nickname()));
            chat = restored;
            boolean canResume = !stored.over() && stored.deskState().isPresent()
                    && context.deskbridge().capabilities().contains(Capability.RECONNECT);
            if (!canResume) {
                restored.session = context.deskbridge().openChat(stored.chatId(), IGNORE);
                restored.over = true;
                restored.endReason = stored.over() ? "ended" : "expired";
                return;
            }
            restored.session = context.deskbridge().resumeChat(stored.chatId(), stored.deskState().get(), new ChatCallback(restored));
            LOG.info("session={} chat={} reconnecting to the desk (after a restart, or taken over from another process)", sessionId, stored.chatId());
            restored.session.reconnect().whenComplete((resumed, failure) -> serial.execute(() -> {
                if (restored != chat || restored.over) {
                    return;
                }
                if (failure == null && Boolean.TRUE.equals(resumed)) {
                    LOG.info("session={} chat={} resumed", sessionId, restored.chatId);
                    broadcast(ServerFrame.chatStarted(restored.chatId));
                } else {
                    LOG.info("session={} chat={} could not be resumed", sessionId, restored.chatId);
                    finish(restored, "expired");
                }
            }));
        });
    }

    private void ignoreFailure(CompletionStage<?> stage, String what) {
        stage.whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.debug("session={} {} failed: {}", sessionId, what, unwrap(failure).toString());
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = CompletionFailures.unwrap(failure);
        return t instanceof TimeoutException ? new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "timed out", t) : t;
    }

    /** The session's chat: one ChatSession, from startChat to its end. Confined to the session's executor. */
    private final class Chat {
        final String chatId;
        final Transcript transcript;
        ChatSession session;
        final Map<String, String> agentNames = new java.util.HashMap<>();
        Optional<AgentAvailability> availability = Optional.empty();
        /** The agent a chat restored from the store had; the resumed desk does not announce it again. */
        Optional<AgentProfile> restoredAgent = Optional.empty();
        boolean agentTyping;
        boolean disconnected;
        boolean connectingReported;
        boolean endRequested;
        boolean over;
        String endReason = "";

        Chat(String chatId, Transcript transcript) {
            this.chatId = chatId;
            this.transcript = transcript;
        }

        boolean isOver() {
            return over;
        }

        Optional<AgentProfile> agent() {
            return session.agent().or(() -> restoredAgent);
        }

        ObjectNode snapshot() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("chatId", chatId);
            node.put("status", over ? "ended" : statusName(session.status()));
            if (over) {
                node.put("endReason", endReason);
            }
            agent().ifPresent(a -> node.set("agent", ServerFrame.agent(a)));
            availability.ifPresent(a -> node.set("availability", ServerFrame.availabilityFields(JsonNodeFactory.instance.objectNode(), a)));
            node.put("agentTyping", agentTyping);
            node.put("disconnected", disconnected);
            ArrayNode entries = node.putArray("transcript");
            for (TranscriptEntry entry : transcript.entries()) {
                ObjectNode e = entries.addObject();
                e.put("from", entry.from().name().toLowerCase(Locale.ROOT));
                e.put("id", entry.id());
                e.put("text", entry.text());
                entry.agentId().ifPresent(a -> e.put("agentId", a));
                entry.agentName().ifPresent(a -> e.put("agentName", a));
                entry.delivery().ifPresent(d -> e.put("status", d == TranscriptEntry.Delivery.SENDING ? "sending"
                        : d == TranscriptEntry.Delivery.SENT ? "sent" : "failed"));
                e.put("at", entry.at().toString());
            }
            return node;
        }
    }

    private static String statusName(ChatStatus status) {
        return switch (status) {
            case NEW, STARTING -> "starting";
            case WAITING -> "waiting";
            case JOINED -> "joined";
            case TRANSFERRING -> "transferring";
            case AGENT_LEFT -> "agentLeft";
            case FAILED, ENDED_BY_AGENT, ENDED_BY_USER -> "ended";
        };
    }

    /** Turns one chat's desk callbacks into frames for the session's tabs. */
    private final class ChatCallback implements ServiceDeskCallback {
        private final Chat owner;

        ChatCallback(Chat owner) {
            this.owner = owner;
        }

        private void onSession(Runnable action) {
            serial.execute(() -> {
                if (owner == chat && !owner.over) {
                    action.run();
                }
            });
        }

        @Override
        public void updateAgentAvailability(AgentAvailability availability) {
            onSession(() -> {
                owner.availability = Optional.of(availability);
                broadcast(ServerFrame.availability(availability));
            });
        }

        @Override
        public void agentJoined(AgentProfile agent) {
            onSession(() -> {
                if (owner.restoredAgent.map(AgentProfile::id).equals(Optional.of(agent.id()))) {
                    // A resumed desk that announces the agent already in the chat (guest chat does): not news for the page.
                    owner.restoredAgent = Optional.of(agent);
                    return;
                }
                LOG.info("session={} chat={} agent {} joined", sessionId, owner.chatId, agent.id());
                owner.availability = Optional.empty();
                owner.restoredAgent = Optional.empty();
                owner.agentNames.put(agent.id(), agent.nickname());
                broadcast(ServerFrame.agentJoined(agent));
            });
        }

        @Override
        public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {
            onSession(() -> {
                LOG.info("session={} chat={} transfer started", sessionId, owner.chatId);
                owner.agentTyping = false;
                newAgent.ifPresent(a -> owner.agentNames.put(a.id(), a.nickname()));
                broadcast(ServerFrame.transferStarted(newAgent));
            });
        }

        @Override
        public void agentLeftChat() {
            onSession(() -> {
                owner.agentTyping = false;
                owner.restoredAgent = Optional.empty();
                broadcast(ServerFrame.agentLeft());
            });
        }

        @Override
        public void agentEndedChat() {
            Optional<ChatLeases> leases = context.store().leases();
            if (leases.isEmpty()) {
                onSession(this::endedByAgent);
                return;
            }
            // A vendor may close a process's connection when the chat opens in another process (for Genesys web
            // messaging, ConnectionClosedEvent), which the desk reports as the end. When another process took the
            // session over, that is a hand-over: holds() reports the session lost, and it moves away instead. The lease
            // is taken before the new owner reconnects, so the database already says so when the vendor's signal comes.
            context.workers().execute(() -> {
                boolean mine;
                try {
                    mine = leases.get().holds(tokenHash);
                } catch (RuntimeException e) {
                    mine = true; // cannot tell: the desk said the chat ended, and it is this process's
                }
                if (mine) {
                    onSession(this::endedByAgent);
                }
            });
        }

        private void endedByAgent() {
            LOG.info("session={} chat={} ended by the agent", sessionId, owner.chatId);
            broadcast(ServerFrame.agentEnded());
            finish(owner, "agent");
        }

        @Override
        public void agentTyping(boolean isTyping) {
            onSession(() -> {
                owner.agentTyping = isTyping;
                broadcast(ServerFrame.agentTyping(isTyping));
            });
        }

        @Override
        public void agentReadMessages() {
            onSession(() -> broadcast(ServerFrame.agentRead()));
        }

        @Override
        public void sendMessageToUser(AgentMessage message) {
            onSession(() -> {
                if (owner.transcript.containsDeskMessage(message.id())) {
                    // A chat taken over from another process: its desk catches up from the state last saved, and the
                    // transcript saved with it may already hold this message (the page has it).
                    LOG.debug("session={} chat={} a message already in the transcript is not delivered again", sessionId, owner.chatId);
                    return;
                }
                owner.agentTyping = false;
                TranscriptEntry.From from = message.origin() == MessageOrigin.AGENT ? TranscriptEntry.From.AGENT
                        : message.origin() == MessageOrigin.BOT ? TranscriptEntry.From.BOT : TranscriptEntry.From.SYSTEM;
                Optional<String> agentName = message.agentId().map(owner.agentNames::get);
                owner.transcript.add(new TranscriptEntry(from, message.id(), message.text(), message.agentId(), agentName,
                        Optional.empty(), context.clock().instant()));
                broadcast(ServerFrame.agentMessage(message, agentName));
                save();
            });
        }

        @Override
        public void setErrorStatus(ErrorInfo error) {
            onSession(() -> {
                if (error instanceof ErrorInfo.Connecting connecting) {
                    owner.connectingReported = true;
                    broadcast(ServerFrame.connectingError(Optional.of(connecting.messageToUser().orElse(FAILED_TO_CONNECT))));
                    ChatStatus status = owner.session.status();
                    if (status != ChatStatus.NEW && status != ChatStatus.STARTING) {
                        // Queued, then refused: the chat is over for the user; release the desk.
                        LOG.info("session={} chat={} could not be connected to an agent", sessionId, owner.chatId);
                        finish(owner, "failed");
                        ignoreFailure(owner.session.endChat(EndChatInfo.none()), "endChat");
                    }
                } else if (error instanceof ErrorInfo.Disconnected disconnected) {
                    owner.disconnected = disconnected.isDisconnected();
                    broadcast(ServerFrame.disconnectedError(disconnected.isDisconnected()));
                } else if (error instanceof ErrorInfo.UserMessage failed) {
                    owner.transcript.findUserMessage(failed.messageId())
                            .ifPresent(e -> owner.transcript.replaceUserMessage(e.withDelivery(TranscriptEntry.Delivery.FAILED)));
                    broadcast(ServerFrame.userMessageError(failed.messageId(), failed.reason()));
                }
            });
        }

        @Override
        public void setFileUploadStatus(FileUploadStatus status) {
            onSession(() -> {
                if (!uploadStep.absorb(status)) {
                    broadcast(ServerFrame.fileStatus(status.fileId(), status.errorMessage()));
                }
            });
        }

        @Override
        public void updateCapabilities(Set<Capability> capabilities) {
            // ChatSession keeps the desk's capabilities; the page learns them at its next welcome.
        }

        @Override
        public void updatePersistedState(PersistedState state) {
            onSession(WebSession.this::save);
        }
    }

    /** The callback of a desk that is only asked a question, never started. */
    private static final class IgnoringCallback implements ServiceDeskCallback {
        @Override public void updateAgentAvailability(AgentAvailability availability) {}
        @Override public void agentJoined(AgentProfile agent) {}
        @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {}
        @Override public void agentLeftChat() {}
        @Override public void agentEndedChat() {}
        @Override public void agentTyping(boolean isTyping) {}
        @Override public void agentReadMessages() {}
        @Override public void sendMessageToUser(AgentMessage message) {}
        @Override public void setErrorStatus(ErrorInfo error) {}
        @Override public void setFileUploadStatus(FileUploadStatus status) {}
        @Override public void updateCapabilities(Set<Capability> capabilities) {}
        @Override public void updatePersistedState(PersistedState state) {}
    }
}

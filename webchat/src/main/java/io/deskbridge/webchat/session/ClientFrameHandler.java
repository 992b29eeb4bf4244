package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.webchat.protocol.BadRequest;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link WebSession} does with each frame a tab sends after {@code hello}: it asks whether agents are online,
 * starts a chat, sends the user's messages (once each, however often a page resends one), passes typing and read
 * receipts on, ends the chat, and hands uploads to the {@link UploadStep}. A frame the session cannot act on now is
 * answered with {@code badRequest} to that tab alone; outcomes that concern the chat go to every tab. Confined to the
 * session's executor: the desk's completions hop back onto it.
 */
final class ClientFrameHandler {
    /** Logs as the session: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(WebSession.class);

    private final WebSession session;
    private final String sessionId;
    private final SessionRegistry.Context context;
    private final Executor serial;
    private final AtomicLong probes = new AtomicLong();

    ClientFrameHandler(WebSession session) {
        this.session = requireNonNull(session, "session is null");
        this.sessionId = session.sessionId();
        this.context = session.context();
        this.serial = session.serial();
    }

    /** Handles a validated frame from the tab {@code from}. */
    void handle(ChatConnection from, ClientFrame frame) {
        if (frame instanceof ClientFrame.AgentsOnline) {
            agentsOnline(from);
        } else if (frame instanceof ClientFrame.StartChat start) {
            startChat(from, start);
        } else if (frame instanceof ClientFrame.Message message) {
            message(from, message);
        } else if (frame instanceof ClientFrame.Typing typing) {
            activeChat().map(SessionChat::desk).filter(desk -> desk.capabilities().contains(Capability.USER_TYPING))
                    .ifPresent(desk -> session.ignoreFailure(desk.userTyping(typing.isTyping()), "userTyping"));
        } else if (frame instanceof ClientFrame.Read) {
            activeChat().map(SessionChat::desk).filter(desk -> desk.capabilities().contains(Capability.USER_READ_RECEIPTS))
                    .ifPresent(desk -> session.ignoreFailure(desk.userReadMessages(), "userReadMessages"));
        } else if (frame instanceof ClientFrame.EndChat) {
            endChat(from);
        } else if (frame instanceof ClientFrame.Upload upload) {
            Optional<SessionChat> current = activeChat();
            session.uploadStep().upload(from, upload, current.map(SessionChat::desk),
                    () -> current.isPresent() && session.isCurrent(current.get()) && !current.get().isOver());
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
        ChatSession probe = deskbridge.openChat(sessionId + "-probe-" + probes.incrementAndGet(), IgnoringCallback.INSTANCE);
        probe.areAnyAgentsOnline(ConnectRequest.empty()).toCompletableFuture()
                .orTimeout(context.agentsOnlineTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((status, failure) -> status != null && failure == null ? status : AgentsOnline.UNKNOWN)
                .thenAccept(status -> serial.execute(() -> from.send(ServerFrame.agentsOnline(status))));
    }

    private void startChat(ChatConnection from, ClientFrame.StartChat start) {
        if (session.chat().filter(c -> !c.isOver()).isPresent()) {
            from.send(ServerFrame.badRequest(BadRequest.CHAT_IN_PROGRESS,
                    "A chat is already in progress; end it before starting another", Optional.empty()));
            return;
        }
        session.markChatStarted();
        String chatId = context.newChatId();
        SessionChat started = new SessionChat(chatId, new Transcript(context.transcriptSize(), context.transcriptBudget()), Optional.empty());
        started.openedAs(context.deskbridge().openChat(chatId, new ChatCallback(session, started)));
        session.replaceChat(started);
        Optional<UserIdentity> identity = session.identity();
        LOG.info("session={} chat={} starting on the {} desk{}", sessionId, chatId, context.deskbridge().deskName(),
                identity.isPresent() ? " for a verified user" : "");
        ChatSession desk = started.desk();
        if (desk.capabilities().contains(Capability.UPDATE_STATE)) {
            session.ignoreFailure(desk.updateState(chatState()), "updateState");
        }
        ConnectRequest request = new ConnectRequest(start.topic(), start.messageToAgent(), Map.of());
        StartChatOptions options = identity.map(StartChatOptions::forUser).orElse(StartChatOptions.none());
        desk.startChat(request, options)
                .whenComplete((ignored, failure) -> serial.execute(() -> onStarted(started, failure)));
        session.save();
    }

    private void onStarted(SessionChat started, Throwable failure) {
        if (!session.isCurrent(started) || started.isOver()) {
            return;
        }
        if (failure == null) {
            LOG.info("session={} chat={} started", sessionId, started.chatId());
            session.broadcast(ServerFrame.chatStarted(started.chatId()));
            return;
        }
        Throwable cause = WebSession.unwrap(failure);
        LOG.warn("session={} chat={} could not start: {}", sessionId, started.chatId(), cause.toString());
        if (!started.connectingReported()) {
            Optional<String> text = cause instanceof ServiceDeskException sde ? sde.messageToUser() : Optional.empty();
            session.broadcast(ServerFrame.connectingError(Optional.of(text.orElse(WebSession.FAILED_TO_CONNECT))));
        }
        session.finish(started, "failed");
    }

    private void message(ChatConnection from, ClientFrame.Message message) {
        Optional<String> id = Optional.of(message.id());
        Optional<SessionChat> inProgress = session.chat().filter(c -> !c.isOver());
        if (inProgress.isEmpty()) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT, "There is no chat in progress: start one first", id));
            return;
        }
        SessionChat current = inProgress.get();
        if (current.isConnecting()) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT,
                    "The chat is still connecting: send messages after chatStarted", id));
            return;
        }
        UploadStep.Named named = session.uploadStep().files(message.files());
        if (named.missing().isPresent()) {
            from.send(ServerFrame.badRequest(BadRequest.INVALID_FIELD, "message.files names " + named.missing().get()
                    + ", which was not uploaded in this chat (send upload, then the file's bytes, then the message)", id));
            return;
        }
        List<FileUpload> files = named.files();
        String transcriptText = UploadStep.transcriptText(message.text(), files);
        Transcript transcript = current.transcript();
        Optional<TranscriptEntry> known = transcript.findUserMessage(message.id());
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
            transcript.replaceUserMessage(entry.withDelivery(TranscriptEntry.Delivery.SENDING));
        } else {
            transcript.add(TranscriptEntry.user(message.id(), transcriptText, context.clock().instant()));
            session.sendToOtherTabs(from, ServerFrame.userMessage(message.id(), transcriptText));
        }
        current.desk().sendMessageToAgent(new UserMessage(message.id(), message.text(), files))
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure == null) {
                        session.uploadStep().delivered(message.files());
                    }
                    onDelivered(current, message.id(), failure);
                }));
    }

    private void onDelivered(SessionChat delivered, String messageId, Throwable failure) {
        if (!session.isCurrent(delivered)) {
            return;
        }
        if (failure == null) {
            delivered.delivery(messageId, TranscriptEntry.Delivery.SENT);
            session.broadcast(ServerFrame.messageStatus(messageId, true, Optional.empty()));
        } else {
            Throwable cause = WebSession.unwrap(failure);
            LOG.info("session={} chat={} a user message was not delivered: {}", sessionId, delivered.chatId(), cause.getClass().getSimpleName());
            delivered.delivery(messageId, TranscriptEntry.Delivery.FAILED);
            String reason = cause instanceof ServiceDeskException sde ? sde.messageToUser().orElse("The message could not be delivered")
                    : "The message could not be delivered";
            session.broadcast(ServerFrame.messageStatus(messageId, false, Optional.of(reason)));
        }
        session.save();
    }

    private void endChat(ChatConnection from) {
        Optional<SessionChat> last = session.chat();
        if (last.isEmpty()) {
            from.send(ServerFrame.badRequest(BadRequest.NO_CHAT, "There is no chat to end", Optional.empty()));
            return;
        }
        SessionChat ending = last.get();
        if (ending.isOver()) {
            from.send(ServerFrame.chatEnded(ending.endReason()));
            return;
        }
        ending.desk().endChat(EndChatInfo.none())
                .whenComplete((ignored, failure) -> serial.execute(() -> {
                    if (failure != null) {
                        LOG.warn("session={} chat={} the desk failed to end the chat: {}", sessionId, ending.chatId(),
                                WebSession.unwrap(failure).toString());
                    }
                    if (!ending.isOver()) {
                        LOG.info("session={} chat={} ended by the user", sessionId, ending.chatId());
                        session.finish(ending, "user");
                    }
                }));
    }

    /** The session's chat when it is in progress and started (past connecting): the one typing, reads and files go to. */
    private Optional<SessionChat> activeChat() {
        return session.chat().filter(c -> !c.isOver() && !c.isConnecting());
    }

    /** What the desk is told about the user: the verified identity first, else what the page said in hello. */
    private ChatState chatState() {
        Optional<ClientFrame.UserInfo> user = session.user();
        Optional<UserIdentity> identity = session.identity();
        return new ChatState(identity.map(UserIdentity::id).or(() -> user.flatMap(ClientFrame.UserInfo::id)),
                identity.flatMap(UserIdentity::name).or(() -> user.flatMap(ClientFrame.UserInfo::name)),
                Optional.of(sessionId), user.flatMap(ClientFrame.UserInfo::locale));
    }
}

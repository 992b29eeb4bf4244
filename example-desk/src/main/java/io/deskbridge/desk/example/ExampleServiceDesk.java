package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.desk.example.ExampleContactCenter.CloseReason;
import io.deskbridge.desk.example.ExampleContactCenter.Opened;
import io.deskbridge.desk.example.ExampleContactCenter.RequestRefused;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example desk: one chat at the {@link ExampleContactCenter}, written the way a desk for a real vendor is.
 *
 * <p><b>How it works.</b> {@link #startChat} opens the chat at the contact center together with a connection to the
 * chat's event stream; {@link #reconnect()} connects a new instance to the stream of a chat an earlier instance
 * opened, from the last event that instance reported in its {@link PersistedState}. Each contact center event is
 * turned into callbacks, after the checks the contract asks of every desk:
 * <ul>
 *   <li>agent messages are de-duplicated by the contact center's message id, and durable events already seen are
 *       skipped by their sequence number (rule 8);</li>
 *   <li>an agent typing indicator is turned off before the next message, join, transfer, leave or end, and after
 *       {@link ExampleSettings#typingTimeout()} without news (rule 9);</li>
 *   <li>a dropped connection is reported as {@code Disconnected(true)}; the desk reconnects every
 *       {@link ExampleSettings#connectionRetryInterval()}, reports {@code Disconnected(false)} and delivers the
 *       messages it missed, once (rule 10);</li>
 *   <li>after {@code agentEndedChat}, and once {@link #endChat} ran, no callback is called (rules 6 and 7);</li>
 *   <li>files are checked against the contact center's rules (media type, size) when selected and again, on their
 *       actual bytes, when sent; a refused file is reported with {@code setFileUploadStatus} and fails its message
 *       (rule 11);</li>
 *   <li>{@code updatePersistedState} follows every durable event: the state holds the contact center's chat id
 *       ({@value #STATE_CHAT_ID}) and the sequence number of the last event delivered ({@value #STATE_LAST_EVENT})
 *       (rule 13).</li>
 * </ul>
 *
 * <p><b>Threads.</b> Every callback, and every completion of a stage this desk returns, runs on the chat's lane: a
 * {@link SerialExecutor} over the shared scheduler. So callbacks are never concurrent and never run inside the
 * application's call (rule 12), and a failure is reported ({@code Connecting}, {@code UserMessage}) before the
 * stage that failed completes. The desk owns no thread.
 */
final class ExampleServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleServiceDesk.class);

    /** The desk's name for people. */
    static final String NAME = "example";

    /** Everything the example desk supports. */
    static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.UPDATE_STATE,
            Capability.USER_TYPING,
            Capability.USER_READ_RECEIPTS,
            Capability.AGENTS_ONLINE,
            Capability.FILE_UPLOADS,
            Capability.RECONNECT,
            Capability.AGENT_TYPING,
            Capability.AGENT_READ_RECEIPTS,
            Capability.QUEUE_STATUS,
            Capability.TRANSFER,
            Capability.CONNECTION_RECOVERY));

    /** Persisted state key: the contact center's id of the chat. */
    static final String STATE_CHAT_ID = "chatId";
    /** Persisted state key: the sequence number of the last durable event delivered. */
    static final String STATE_LAST_EVENT = "lastEvent";

    private static final int REMEMBERED_MESSAGE_IDS = 10_000;

    private enum Phase { NEW, STARTING, OPEN, OVER }

    private enum Purpose { START, RESUME, RETRY }

    private final ExampleContactCenter center;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final ExampleSettings settings;
    private final String chat;
    private final ServiceDeskCallback callback;
    private final Optional<PersistedState> persistedState;
    private final SerialExecutor lane;

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
    /** The contact center's chat id, once the chat is open; fails if it never opens. */
    private final CompletableFuture<String> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Boolean> resumed = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Void>> ending = new AtomicReference<>();
    private final Map<String, CompletableFuture<Void>> sends = new ConcurrentHashMap<>();
    private volatile Optional<String> userName = Optional.empty();

    // Confined to the lane.
    private String chatId;
    private long lastEvent;
    private Link link;
    private boolean silent;
    private boolean connectionLost;
    private ScheduledFuture<?> retry;
    private boolean agentTyping;
    private long typingGeneration;
    private ScheduledFuture<?> typingTimer;
    private Optional<String> agentId = Optional.empty();
    private boolean agentJoined;
    private final LinkedHashSet<String> deliveredMessageIds = new LinkedHashSet<>();

    ExampleServiceDesk(ExampleContactCenter center, ScheduledExecutorService scheduler, Executor workers, ExampleSettings settings,
            DeskContext context) {
        this.center = requireNonNull(center, "center is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.settings = requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        this.chat = context.chatId();
        this.callback = context.callback();
        this.persistedState = context.persistedState();
        this.lane = new SerialExecutor(scheduler);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // ------------------------------------------------------------------ the application's calls

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        if (!phase.compareAndSet(Phase.NEW, Phase.STARTING)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "This desk already served a chat (" + phase.get() + "); create a new desk for a new chat (rule 1)"));
        }
        Map<String, String> attributes = new LinkedHashMap<>(request.routingAttributes());
        attributes.putAll(options.preStartPayload());
        options.sessionHistoryKey().ifPresent(key -> attributes.put("sessionHistoryKey", key));
        options.verifiedUser().ifPresent(user -> attributes.put("verifiedUserId", user.id()));
        Optional<String> name = userName.or(() -> options.verifiedUser().flatMap(u -> u.name()));
        Link first = new Link(Purpose.START);
        lane.execute(() -> link = first);
        // The contact center records the chat at once and answers on its lane, like a remote request.
        center.openChat(new ExampleContactCenter.ChatRequest(request.connectSummary(), name, attributes), first);
        LOG.info("chat={} asked the example contact center for an agent", chat);
        return started.copy();
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        if (persistedState.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "This desk was created without persisted state: reconnect() resumes the chat of an earlier desk "
                            + "from the state that desk reported through updatePersistedState"));
        }
        PersistedState state = persistedState.get();
        Optional<String> id = state.get(STATE_CHAT_ID);
        Optional<Long> last = state.get(STATE_LAST_EVENT).flatMap(ExampleServiceDesk::parseSequence);
        if (id.isEmpty() || last.isEmpty()) {
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.INTERNAL,
                    "The persisted state " + state + " is not the example desk's: it needs " + STATE_CHAT_ID + " and a numeric "
                            + STATE_LAST_EVENT));
        }
        if (!phase.compareAndSet(Phase.NEW, Phase.STARTING)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "This desk already served a chat (" + phase.get() + "); create a new desk to reconnect (rule 1)"));
        }
        Link resume = new Link(Purpose.RESUME);
        lane.execute(() -> {
            chatId = id.get();
            lastEvent = last.get();
            link = resume;
        });
        center.connect(id.get(), last.get(), resume);
        LOG.info("chat={} reconnecting to {} after event {}", chat, id.get(), last.get());
        return resumed.copy();
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!ending.compareAndSet(null, done)) {
            return ending.get().copy();
        }
        lane.execute(() -> {
            boolean waitingForOpen = phase.get() == Phase.STARTING && chatId == null;
            boolean agentEnded = phase.get() == Phase.OVER;
            finish();
            if (waitingForOpen) {
                // The contact center has not answered startChat yet: end the chat when it does (see connectionOpened).
                return;
            }
            if (chatId == null || agentEnded) {
                done.complete(null);
                return;
            }
            endAtContactCenter(done);
        });
        return done.copy();
    }

    @Override
    public CompletionStage<Void> detach() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Leaves the contact center's chat open: only this desk's link and timers go, for a desk elsewhere to reconnect.
        lane.execute(() -> {
            if (phase.get() != Phase.OVER) {
                LOG.info("chat={} detached: the chat stays open at the contact center", chat);
            }
            finish();
            done.complete(null);
        });
        return done.copy();
    }

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> current = sends.compute(message.id(),
                (id, earlier) -> earlier == null || earlier.isCompletedExceptionally() ? mine : earlier);
        if (current != mine) {
            // A retry of a message sent before: never posted twice.
            return current.copy();
        }
        Optional<ServiceDeskException> notOpen = notOpen();
        if (notOpen.isPresent()) {
            mine.completeExceptionally(notOpen.get());
            return mine.copy();
        }
        List<FileUpload> files = message.files();
        // Files are read on the worker pool (they may be on disk), never on the scheduler.
        CompletableFuture<List<ExampleContactCenter.Attachment>> attachments = files.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> read(files), workers);
        attachments.thenCompose(read -> opened.thenCompose(id -> center.postUserMessage(id, message.id(), message.text(), read)))
                .whenComplete((vendorId, failure) -> lane.execute(() -> {
                    if (failure == null) {
                        files.forEach(file -> emit(cb -> cb.setFileUploadStatus(FileUploadStatus.accepted(file.id()))));
                        mine.complete(null);
                        return;
                    }
                    ServiceDeskException error = translate(failure, "The message could not be sent.");
                    LOG.info("chat={} message {} refused: {}", chat, message.id(), error.getMessage());
                    if (CompletionFailures.unwrap(failure) instanceof FileProblem problem) {
                        emit(cb -> cb.setFileUploadStatus(FileUploadStatus.failed(problem.fileId, problem.getMessage())));
                    }
                    emit(cb -> cb.setErrorStatus(new ErrorInfo.UserMessage(message.id(),
                            error.messageToUser().orElse("The message could not be sent."))));
                    mine.completeExceptionally(error);
                }));
        return mine.copy();
    }

    /**
     * Checks the files against the contact center's rules before they are sent, reporting each refused one with
     * {@code setFileUploadStatus}. The files are read only when a message carries them.
     */
    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        List<FileUpload> files = List.copyOf(requireNonNull(uploads, "uploads is null"));
        CompletableFuture<Void> checked = new CompletableFuture<>();
        lane.execute(() -> {
            for (FileUpload file : files) {
                center.acceptsFile(file.fileName(), file.contentType(), file.sizeBytes())
                        .ifPresent(reason -> emit(cb -> cb.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason))));
            }
            checked.complete(null);
        });
        return checked;
    }

    /** Reads the files for the contact center, refusing one it will not take before reading more than it allows. */
    private List<ExampleContactCenter.Attachment> read(List<FileUpload> files) {
        List<ExampleContactCenter.Attachment> read = new ArrayList<>();
        for (FileUpload file : files) {
            center.acceptsFile(file.fileName(), file.contentType(), file.sizeBytes()).ifPresent(reason -> {
                throw new FileProblem(file.id(), reason, ServiceDeskException.Kind.VENDOR_REJECTED);
            });
            byte[] bytes;
            try (InputStream in = file.content().open()) {
                bytes = in.readNBytes(settings.maxFileSize() + 1);
            } catch (IOException | RuntimeException e) {
                LOG.warn("chat={} cannot read file {}", chat, file.id(), e);
                throw new FileProblem(file.id(), file.fileName() + " could not be read.", ServiceDeskException.Kind.INTERNAL);
            }
            Optional<String> refusal = center.acceptsFile(file.fileName(), file.contentType(), bytes.length);
            if (refusal.isPresent()) {
                throw new FileProblem(file.id(), refusal.get(), ServiceDeskException.Kind.VENDOR_REJECTED);
            }
            read.add(new ExampleContactCenter.Attachment(file.fileName(), file.contentType(), bytes));
        }
        return read;
    }

    /** A file of a message cannot be sent. */
    private static final class FileProblem extends RuntimeException {
        private final String fileId;
        private final ServiceDeskException.Kind kind;

        FileProblem(String fileId, String messageToUser, ServiceDeskException.Kind kind) {
            super(messageToUser, null, false, false);
            this.fileId = fileId;
            this.kind = kind;
        }
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        userName = state.displayName().or(() -> userName);
        if (phase.get() == Phase.NEW || state.displayName().isEmpty()) {
            // Sent with startChat, or nothing the contact center shows.
            return CompletableFuture.completedFuture(null);
        }
        String name = state.displayName().get();
        return whenOpen(id -> center.updateUserName(id, name));
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        return whenOpen(id -> center.userTyping(id, isTyping));
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        return whenOpen(center::userRead);
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        return CompletableFuture.completedFuture(center.agentsOnline() ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE);
    }

    // ------------------------------------------------------------------ the contact center's answers (on the lane)

    /** One connection attempt to the contact center; events of a replaced attempt are ignored. */
    private final class Link implements ExampleContactCenter.Listener {
        private final Purpose purpose;
        private boolean open;

        Link(Purpose purpose) {
            this.purpose = purpose;
        }

        @Override
        public void onOpened(Opened opened) {
            lane.execute(() -> connectionOpened(this, opened));
        }

        @Override
        public void onEvent(ContactCenterEvent event) {
            lane.execute(() -> {
                if (link == this) {
                    handle(event);
                }
            });
        }

        @Override
        public void onClosed(CloseReason reason, String detail) {
            lane.execute(() -> connectionClosed(this, reason, detail));
        }
    }

    private void connectionOpened(Link source, Opened snapshot) {
        if (source.purpose == Purpose.START) {
            chatId = snapshot.chatId();
            this.opened.complete(chatId);
            CompletableFuture<Void> end = ending.get();
            if (end != null) {
                // endChat came first: the chat is ended at the contact center now that it exists.
                started.complete(null);
                center.disconnect(chatId, source);
                endAtContactCenter(end);
                return;
            }
            source.open = true;
            phase.set(Phase.OPEN);
            LOG.info("chat={} opened as {} at the example contact center", chat, chatId);
            persist();
            started.complete(null);
            snapshot.missed().forEach(this::handle);
            return;
        }
        if (source != link || silent) {
            center.disconnect(snapshot.chatId(), source);
            return;
        }
        source.open = true;
        if (source.purpose == Purpose.RESUME) {
            agentId = snapshot.agent().map(ExampleContactCenter.Agent::id);
            agentJoined = snapshot.agentJoined();
            if (snapshot.ended() && snapshot.missed().isEmpty()) {
                LOG.info("chat={} cannot be resumed: {} is over", chat, chatId);
                finish();
                this.opened.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "Chat " + chatId + " is over at the example contact center; start a new chat to reach an agent"));
                resumed.complete(false);
                return;
            }
            phase.set(Phase.OPEN);
            this.opened.complete(chatId);
            LOG.info("chat={} resumed {} ({} missed events)", chat, chatId, snapshot.missed().size());
            resumed.complete(true);
            // Deliver what was missed in a later turn of the scheduler, after the application has heard that the
            // chat is resumed.
            scheduler.execute(() -> lane.execute(() -> {
                if (link == source) {
                    snapshot.missed().forEach(this::handle);
                }
            }));
            return;
        }
        connectionLost = false;
        LOG.info("chat={} connection to {} is back ({} missed events)", chat, chatId, snapshot.missed().size());
        emit(cb -> cb.setErrorStatus(new ErrorInfo.Disconnected(false)));
        snapshot.missed().forEach(this::handle);
    }

    private void connectionClosed(Link source, CloseReason reason, String detail) {
        if (source.purpose == Purpose.START && !source.open) {
            // Only REFUSED closes an attempt to open a chat.
            ServiceDeskException error = new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                    "The example contact center refused the chat: " + detail, detail, null);
            LOG.info("chat={} refused by the example contact center: {}", chat, detail);
            emit(cb -> cb.setErrorStatus(ErrorInfo.Connecting.of(detail)));
            finish();
            opened.completeExceptionally(error);
            started.completeExceptionally(error);
            CompletableFuture<Void> end = ending.get();
            if (end != null) {
                end.complete(null);
            }
            return;
        }
        if (source != link) {
            return;
        }
        if (source.purpose == Purpose.RESUME && !source.open) {
            finish();
            opened.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, detail));
            if (reason == CloseReason.UNAVAILABLE) {
                LOG.info("chat={} cannot reconnect now: {}", chat, detail);
                resumed.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                        "The example contact center cannot be reached: " + detail + " Try again later.", detail, null));
            } else {
                LOG.info("chat={} cannot be resumed: {}", chat, detail);
                resumed.complete(false);
            }
            return;
        }
        switch (reason) {
            case DROPPED -> connectionLost();
            case UNAVAILABLE -> scheduleRetry();
            case SUPERSEDED -> {
                // Another desk instance resumed this chat: it now speaks for it, this one goes quiet.
                LOG.info("chat={} was taken over by another desk instance", chat);
                finish();
            }
            default -> {
                // The chat ended while the connection was down, and its history is gone.
                LOG.info("chat={} is over at the contact center: {}", chat, detail);
                stopTyping();
                emit(cb -> cb.agentEndedChat());
                finish();
            }
        }
    }

    private void handle(ContactCenterEvent event) {
        if (silent || (event.durable() && event.sequence() <= lastEvent)) {
            return;
        }
        if (event instanceof ContactCenterEvent.QueueStatus status) {
            if (agentId.isEmpty()) {
                emit(cb -> cb.updateAgentAvailability(new AgentAvailability(status.position(), status.estimatedWait(), Optional.empty())));
            }
        } else if (event instanceof ContactCenterEvent.AgentJoined joined) {
            ExampleContactCenter.Agent agent = joined.agent();
            if (!agentId.equals(Optional.of(agent.id()))) {
                stopTyping();
                agentId = Optional.of(agent.id());
                agentJoined = true;
                LOG.info("chat={} agent {} joined", chat, agent.id());
                emit(cb -> cb.agentJoined(profile(agent)));
            }
        } else if (event instanceof ContactCenterEvent.TransferStarted transfer) {
            if (agentJoined) {
                stopTyping();
                LOG.info("chat={} transfer started", chat);
                emit(cb -> cb.beginTransferToAnotherAgent(transfer.to().map(ExampleServiceDesk::profile)));
            } else {
                LOG.warn("chat={} ignored a transfer before any agent joined", chat);
            }
        } else if (event instanceof ContactCenterEvent.AgentLeft) {
            if (agentId.isPresent()) {
                stopTyping();
                agentId = Optional.empty();
                LOG.info("chat={} agent left", chat);
                emit(cb -> cb.agentLeftChat());
            }
        } else if (event instanceof ContactCenterEvent.AgentTyping typing) {
            if (typing.typing()) {
                startTyping();
            } else {
                stopTyping();
            }
        } else if (event instanceof ContactCenterEvent.AgentRead) {
            emit(cb -> cb.agentReadMessages());
        } else if (event instanceof ContactCenterEvent.Message message) {
            if (remember(message.messageId())) {
                stopTyping();
                AgentMessage toUser = new AgentMessage(message.messageId(), message.agentId(), message.text(),
                        message.agentId().isPresent() ? MessageOrigin.AGENT : MessageOrigin.SYSTEM, Optional.of(message.sentAt()));
                emit(cb -> cb.sendMessageToUser(toUser));
            }
        } else if (event instanceof ContactCenterEvent.ChatEnded) {
            stopTyping();
            // Persisted before the end, the last callback: a later reconnect() then answers false.
            lastEvent = event.sequence();
            persist();
            LOG.info("chat={} ended by the agent", chat);
            emit(cb -> cb.agentEndedChat());
            finish();
            return;
        }
        if (event.durable()) {
            lastEvent = event.sequence();
            persist();
        }
    }

    // ------------------------------------------------------------------ internals (on the lane unless said)

    private void connectionLost() {
        if (connectionLost || silent) {
            return;
        }
        connectionLost = true;
        link = null;
        LOG.info("chat={} lost the connection to {}", chat, chatId);
        emit(cb -> cb.setErrorStatus(new ErrorInfo.Disconnected(true)));
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (silent) {
            return;
        }
        retry = scheduler.schedule(() -> lane.execute(this::retryConnection),
                settings.connectionRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void retryConnection() {
        if (silent) {
            return;
        }
        Link attempt = new Link(Purpose.RETRY);
        link = attempt;
        LOG.debug("chat={} reconnecting to {} after event {}", chat, chatId, lastEvent);
        center.connect(chatId, lastEvent, attempt);
    }

    private void startTyping() {
        long generation = ++typingGeneration;
        if (typingTimer != null) {
            typingTimer.cancel(false);
        }
        typingTimer = scheduler.schedule(() -> lane.execute(() -> {
            if (generation == typingGeneration && agentTyping) {
                LOG.debug("chat={} agent typing timed out", chat);
                stopTyping();
            }
        }), settings.typingTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!agentTyping) {
            agentTyping = true;
            emit(cb -> cb.agentTyping(true));
        }
    }

    /** Turns the agent typing indicator off if it is on (rule 9). */
    private void stopTyping() {
        if (!agentTyping) {
            return;
        }
        agentTyping = false;
        typingGeneration++;
        if (typingTimer != null) {
            typingTimer.cancel(false);
            typingTimer = null;
        }
        emit(cb -> cb.agentTyping(false));
    }

    private void persist() {
        emit(cb -> cb.updatePersistedState(new PersistedState(Map.of(STATE_CHAT_ID, chatId, STATE_LAST_EVENT, Long.toString(lastEvent)))));
    }

    private boolean remember(String messageId) {
        if (!deliveredMessageIds.add(messageId)) {
            return false;
        }
        if (deliveredMessageIds.size() > REMEMBERED_MESSAGE_IDS) {
            var oldest = deliveredMessageIds.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** The chat is over for this desk: no callback any more, no timer, no connection. */
    private void finish() {
        silent = true;
        phase.set(Phase.OVER);
        agentTyping = false;
        if (typingTimer != null) {
            typingTimer.cancel(false);
        }
        if (retry != null) {
            retry.cancel(false);
        }
        if (link != null && chatId != null) {
            center.disconnect(chatId, link);
        }
        link = null;
    }

    private void endAtContactCenter(CompletableFuture<Void> done) {
        String id = chatId;
        center.endChatByUser(id).whenComplete((ignored, failure) -> lane.execute(() -> {
            if (failure != null) {
                LOG.warn("chat={} the contact center did not confirm the end of {}: {}", chat, id, CompletionFailures.unwrap(failure).getMessage());
            } else {
                LOG.info("chat={} ended by the user", chat);
            }
            done.complete(null);
        }));
    }

    /** Calls the application's callback unless the chat is over for it. Only on the lane. */
    private void emit(Consumer<ServiceDeskCallback> call) {
        if (silent) {
            return;
        }
        try {
            call.accept(callback);
        } catch (RuntimeException e) {
            LOG.warn("chat={} the application's callback failed", chat, e);
        }
    }

    /** Why a request cannot go to the contact center now, if it cannot. Any thread. */
    private Optional<ServiceDeskException> notOpen() {
        Phase now = phase.get();
        if (now == Phase.NEW) {
            return Optional.of(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "The chat has not started: call startChat (or reconnect) first"));
        }
        if (now == Phase.OVER || ending.get() != null) {
            return Optional.of(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "The chat is over; start a new chat to reach an agent", "The chat is over.", null));
        }
        return Optional.empty();
    }

    /** Sends a request once the chat is open, completing the returned stage on the lane. Any thread. */
    private CompletionStage<Void> whenOpen(Function<String, CompletionStage<Void>> request) {
        Optional<ServiceDeskException> notOpen = notOpen();
        if (notOpen.isPresent()) {
            return CompletableFuture.failedFuture(notOpen.get());
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        opened.thenCompose(request).whenComplete((ignored, failure) -> lane.execute(() -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(translate(failure, "The service desk could not be reached."));
            }
        }));
        return result;
    }

    private static ServiceDeskException translate(Throwable failure, String fallbackForUser) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof ServiceDeskException e) {
            return e;
        }
        if (cause instanceof FileProblem problem) {
            return new ServiceDeskException(problem.kind, "The file " + problem.fileId + " cannot be sent: " + problem.getMessage(),
                    problem.getMessage(), null);
        }
        if (cause instanceof RequestRefused refused) {
            ServiceDeskException.Kind kind = refused.reason() == RequestRefused.Reason.UNAVAILABLE
                    ? ServiceDeskException.Kind.VENDOR_UNAVAILABLE
                    : ServiceDeskException.Kind.VENDOR_REJECTED;
            return new ServiceDeskException(kind, "The example contact center refused the request: " + refused.getMessage(),
                    refused.getMessage(), refused);
        }
        return new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "The request failed: " + cause, fallbackForUser, cause);
    }


    private static AgentProfile profile(ExampleContactCenter.Agent agent) {
        return new AgentProfile(agent.id(), agent.name(), agent.avatar());
    }

    private static Optional<Long> parseSequence(String text) {
        try {
            long value = Long.parseLong(text);
            return value < 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

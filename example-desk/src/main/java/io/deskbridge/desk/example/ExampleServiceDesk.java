package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.example.ContactCenterTypes.CloseReason;
import io.deskbridge.desk.example.ContactCenterTypes.Opened;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example desk: one chat at the {@link ExampleContactCenter}, written the way a desk for a real vendor is.
 * {@link #startChat} opens the chat together with a connection to its event stream; {@link #reconnect()} connects a
 * new instance to the stream of a chat an earlier instance opened, from the last event that instance reported in its
 * {@link PersistedState} ({@value #STATE_CHAT_ID} and {@value #STATE_LAST_EVENT}, rule 13). {@link ExampleChatEvents}
 * turns the events into callbacks. A dropped connection is reported as {@code Disconnected(true)}; the desk reconnects
 * every {@link ExampleSettings#connectionRetryInterval()}, reports {@code Disconnected(false)} and delivers what it
 * missed, once (rule 10). Files are checked when selected and again, on their bytes, when sent (rule 11).
 *
 * <p><b>Threads.</b> Every callback, and every completion of a stage this desk returns, runs on the chat's
 * {@link ChatLane} over the shared scheduler, through the chat's {@link CallbackGate}: callbacks are never concurrent,
 * never inside the application's call, never after the end (rules 6, 7, 12), and a failure is reported
 * ({@code Connecting}, {@code UserMessage}) before the stage that failed completes. The desk owns no thread.
 */
final class ExampleServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleServiceDesk.class);

    /** The desk's name for people. */
    static final String NAME = "example";

    /** What the example desk supports: every capability, the one list its provider and factory declare too. */
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    /** Persisted state key: the contact center's id of the chat. */
    static final String STATE_CHAT_ID = "chatId";
    /** Persisted state key: the sequence number of the last durable event delivered. */
    static final String STATE_LAST_EVENT = "lastEvent";

    private enum Phase { NEW, STARTING, OPEN, OVER }

    private enum Purpose { START, RESUME, RETRY }

    private final ExampleContactCenter center;
    private final ExampleSettings settings;
    private final String chat;
    private final Optional<PersistedState> persistedState;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final ExampleChatEvents events;
    private final ExampleOutbox outbox;

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
    /** The contact center's chat id, once the chat is open; fails if it never opens. */
    private final CompletableFuture<String> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Boolean> resumed = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Void>> ending = new AtomicReference<>();
    private volatile Optional<String> userName = Optional.empty();

    // Confined to the lane.
    private String chatId;
    private Link link;
    private boolean silent;
    private boolean connectionLost;
    private ChatLane.Timer retry;

    ExampleServiceDesk(ExampleContactCenter center, ScheduledExecutorService scheduler, Executor workers, ExampleSettings settings,
            DeskContext context) {
        this.center = requireNonNull(center, "center is null");
        requireNonNull(workers, "workers is null");
        this.settings = requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        this.chat = context.chatId();
        this.persistedState = context.persistedState();
        // On the scheduler's threads, as the contact center's own work (a remote vendor's desk uses the workers).
        this.lane = new ChatLane(chat, requireNonNull(scheduler, "scheduler is null"), scheduler);
        this.callback = new CallbackGate(chat, context.callback(), lane);
        this.events = new ExampleChatEvents(chat, callback, lane, settings.typingTimeout(), this::finish);
        this.outbox = new ExampleOutbox(center, workers, settings.maxFileSize(), chat, callback, lane, opened);
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
        Optional<Long> last = state.get(STATE_LAST_EVENT).flatMap(ExampleChatEvents::sequence);
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
            events.at(chatId, last.get());
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
        return outbox.send(message, this::notOpen);
    }

    /**
     * Checks the files against the contact center's rules before they are sent, reporting each refused one with
     * {@code setFileUploadStatus}. The files are read only when a message carries them.
     */
    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        return outbox.check(uploads);
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
                    events.handle(event);
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
            events.at(chatId, 0);
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
            events.persist();
            started.complete(null);
            snapshot.missed().forEach(events::handle);
            return;
        }
        if (source != link || silent) {
            center.disconnect(snapshot.chatId(), source);
            return;
        }
        source.open = true;
        if (source.purpose == Purpose.RESUME) {
            events.resumedWith(snapshot.agent().map(ExampleContactCenter.Agent::id), snapshot.agentJoined());
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
            // What was missed comes in a later turn, after the application heard that the chat is resumed.
            lane.schedule(Duration.ZERO, () -> {
                if (link == source) {
                    snapshot.missed().forEach(events::handle);
                }
            });
            return;
        }
        connectionLost = false;
        LOG.info("chat={} connection to {} is back ({} missed events)", chat, chatId, snapshot.missed().size());
        callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        snapshot.missed().forEach(events::handle);
    }

    private void connectionClosed(Link source, CloseReason reason, String detail) {
        if (source.purpose == Purpose.START && !source.open) {
            // Only REFUSED closes an attempt to open a chat.
            ServiceDeskException error = new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                    "The example contact center refused the chat: " + detail, detail, null);
            LOG.info("chat={} refused by the example contact center: {}", chat, detail);
            callback.setErrorStatus(ErrorInfo.Connecting.of(detail));
            finish();
            opened.completeExceptionally(error);
            started.completeExceptionally(error);
            Optional.ofNullable(ending.get()).ifPresent(end -> end.complete(null));
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
                events.stopTyping();
                callback.agentEndedChat();
                finish();
            }
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
        callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (silent) {
            return;
        }
        retry = lane.schedule(settings.connectionRetryInterval(), this::retryConnection);
    }

    private void retryConnection() {
        if (silent) {
            return;
        }
        Link attempt = new Link(Purpose.RETRY);
        link = attempt;
        LOG.debug("chat={} reconnecting to {} after event {}", chat, chatId, events.lastEvent());
        center.connect(chatId, events.lastEvent(), attempt);
    }

    /** The chat is over for this desk: no callback any more, no timer, no connection. */
    private void finish() {
        silent = true;
        callback.close();
        phase.set(Phase.OVER);
        events.release();
        if (retry != null) {
            retry.cancel();
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
        return lane.onLane(opened.thenCompose(request).handle((ok, failure) -> {
            if (failure != null) {
                throw ExampleFailures.translate(failure, "The service desk could not be reached.");
            }
            return ok;
        }));
    }
}

package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.guestchat.wire.CreateConversationRequest;
import io.deskbridge.genesys.guestchat.wire.CreateConversationResponse;
import io.deskbridge.genesys.guestchat.wire.CreateMessageRequest;
import io.deskbridge.genesys.guestchat.wire.GuestMemberInfo;
import io.deskbridge.genesys.guestchat.wire.MemberRole;
import io.deskbridge.genesys.guestchat.wire.MemberState;
import io.deskbridge.genesys.guestchat.wire.RoutingTarget;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import io.deskbridge.genesys.guestchat.wire.WebChatMessage;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
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
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat over Genesys Cloud's guest chat API.
 *
 * <p><b>Start.</b> Creates the conversation ({@code POST /api/v2/webchat/guest/conversations}) with the queue as
 * routing target, the guest's display name (the verified user's name, else {@link ChatState#displayName()}, else
 * {@link ChatState#userId()}, else "Guest") and custom fields carrying the topic and session references; opens the
 * event stream at once (Genesys routes the chat only then) and sends the connect summary as the first message. With
 * {@code genesys.authenticatedChat=true}, the verified user is vouched for with a signed-data JWT
 * ({@code memberAuthToken}); without a verified user the chat does not start.
 *
 * <p><b>Events.</b> {@link GuestChatConversation} turns the stream into callbacks. A lost stream is reported as
 * {@link ErrorInfo.Disconnected}, reopened with backoff and caught up through {@code GET messages} after the last
 * message seen (the frames of the new stream wait until the catch-up is done, so order is kept and nothing is
 * doubled); then {@code Disconnected(false)}. A stream silent for longer than {@code genesys.streamIdleTimeout}
 * (no heartbeat) counts as lost.
 *
 * <p><b>Threads.</b> Everything a chat does runs on its {@link SerialExecutor} over the shared workers; callbacks
 * are made from there, one at a time and never inside the application's call. Timers use the shared scheduler.
 */
final class GuestChatServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatServiceDesk.class);
    static final String NAME = "Genesys Cloud guest chat";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    static final String DEFAULT_DISPLAY_NAME = "Guest";
    private static final int REMEMBERED_SENDS = 1_000;

    private enum Phase { NEW, STARTING, ACTIVE, ENDING, ENDED }

    private final String chatId;
    private final ServiceDeskCallback application;
    private final Optional<PersistedState> resumeFrom;
    private final GuestChatRuntime runtime;
    private final GenesysSettings settings;
    private final GuestChatApi api;
    private final SerialExecutor serial;
    private final Set<Capability> capabilities;
    private final GatedCallback callback = new GatedCallback();
    private final Map<String, CompletableFuture<WebChatMember>> memberCache = new ConcurrentHashMap<>();

    // Confined to the serial executor.
    private Phase phase = Phase.NEW;
    private ChatState chatState = ChatState.empty();
    private GuestSession session;
    private GuestChatConversation conversation;
    private PersistedState persisted = PersistedState.empty();
    private CompletableFuture<Void> startResult;
    private CompletableFuture<Void> endResult;
    private CompletableFuture<Void> events = CompletableFuture.completedFuture(null);
    private GuestChatEventStream stream;
    private int streamGeneration;
    private int reconnectAttempts;
    private boolean disconnectedReported;
    private boolean holdFrames;
    private final List<String> heldFrames = new ArrayList<>();
    private long lastFrameNanos;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> idleCheck;
    private QueueAvailabilityClient.QueueWatch availabilityWatch;
    private long lastTypingPostNanos;
    private boolean typingPosted;
    private final Map<String, CompletableFuture<Void>> sends = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
            return size() > REMEMBERED_SENDS && eldest.getValue().isDone();
        }
    };

    GuestChatServiceDesk(DeskContext context, GuestChatRuntime runtime, Set<Capability> capabilities) {
        this.chatId = context.chatId();
        this.application = context.callback();
        this.resumeFrom = context.persistedState();
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.settings = runtime.settings();
        this.api = runtime.api();
        this.serial = new SerialExecutor(runtime.workers());
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (phase != Phase.NEW) {
                result.completeExceptionally(new IllegalStateException("chat " + chatId + " already started: a new chat needs a new desk"));
                return;
            }
            phase = Phase.STARTING;
            startResult = result;
            LOG.info("chat={} starting a Genesys guest chat in queue '{}'", chatId, settings.queueName());
            memberAuthToken(options)
                    .thenCompose(token -> api.createConversation(createRequest(request, options, token)))
                    .thenComposeAsync(created -> {
                        sessionCreated(created);
                        return openStreamForStart(0);
                    }, serial)
                    .thenComposeAsync(opened -> sendConnectSummary(request), serial)
                    .whenCompleteAsync((ignored, failure) -> startSettled(result, failure), serial);
        });
        return result;
    }

    private CompletableFuture<Optional<String>> memberAuthToken(StartChatOptions options) {
        if (!settings.authenticatedChat()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (options.verifiedUser().isEmpty()) {
            return CompletableFuture.failedFuture(new ServiceDeskException(Kind.VENDOR_REJECTED,
                    "genesys.authenticatedChat=true: a chat starts only for a verified user (StartChatOptions.verifiedUser)",
                    GuestChatErrors.USER_SIGN_IN, null));
        }
        UserIdentity user = options.verifiedUser().get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("authorized", true);
        data.put("userId", user.id());
        user.name().ifPresent(name -> data.put("displayName", name));
        user.email().ifPresent(email -> data.put("email", email));
        return runtime.platform().signedData(data).thenApply(Optional::of);
    }

    CreateConversationRequest createRequest(ConnectRequest request, StartChatOptions options, Optional<String> memberAuthToken) {
        Optional<UserIdentity> user = options.verifiedUser();
        String displayName = user.flatMap(UserIdentity::name)
                .or(chatState::displayName)
                .or(chatState::userId)
                .filter(name -> !name.isBlank())
                .orElse(DEFAULT_DISPLAY_NAME);
        Map<String, String> customFields = new LinkedHashMap<>(request.routingAttributes());
        request.topic().ifPresent(topic -> customFields.put("topic", topic));
        options.sessionHistoryKey().ifPresent(key -> customFields.put("sessionHistoryKey", key));
        chatState.sessionId().ifPresent(id -> customFields.put("sessionId", id));
        chatState.locale().ifPresent(locale -> customFields.put("locale", locale));
        customFields.put("deskbridgeChatId", chatId);
        RoutingTarget target = RoutingTarget.queue(settings.queueName(), settings.skills(), settings.language(),
                settings.priority().isPresent() ? Optional.of(settings.priority().getAsInt()) : Optional.empty());
        GuestMemberInfo member = new GuestMemberInfo(displayName, Optional.empty(), Optional.empty(),
                user.flatMap(UserIdentity::email), Optional.empty(), customFields);
        return new CreateConversationRequest(settings.organizationId(), settings.deploymentId(), target, member, memberAuthToken);
    }

    private void sessionCreated(CreateConversationResponse created) {
        java.net.URI streamUri;
        try {
            streamUri = new java.net.URI(created.eventStreamUri());
        } catch (java.net.URISyntaxException e) {
            throw new ServiceDeskException(Kind.VENDOR_REJECTED, "Genesys returned an unusable eventStreamUri: " + e.getMessage(), e);
        }
        session = new GuestSession(created.id(), created.member().id(), created.jwt(), streamUri);
        conversation = newConversation(Optional.empty());
        LOG.info("chat={} Genesys conversation {} created (guest member {})", chatId, session.conversationId(), session.memberId());
        persisted = session.writeTo(PersistedState.empty());
        callback.updatePersistedState(persisted);
    }

    private CompletableFuture<Void> sendConnectSummary(ConnectRequest request) {
        Optional<String> summary = request.connectSummary().filter(s -> !s.isBlank());
        if (summary.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String text = summary.get();
        if (text.codePointCount(0, text.length()) > CreateMessageRequest.MAX_BODY_CHARACTERS) {
            text = text.substring(0, text.offsetByCodePoints(0, CreateMessageRequest.MAX_BODY_CHARACTERS - 1)) + "…";
        }
        return api.send(session, CreateMessageRequest.standard(text)).thenApply(sent -> null);
    }

    private void startSettled(CompletableFuture<Void> result, Throwable failure) {
        if (failure == null) {
            if (phase == Phase.STARTING) {
                phase = Phase.ACTIVE;
            }
            if (phase == Phase.ACTIVE && !conversation.anyAgentJoined() && !conversation.isEnded()) {
                startAvailability();
            }
            LOG.info("chat={} queued at Genesys", chatId);
            result.complete(null);
            return;
        }
        ServiceDeskException error = GuestChatErrors.startFailure(failure, settings.queueName());
        LOG.warn("chat={} could not start: {}", chatId, error.getMessage());
        if (conversation == null || !conversation.anyAgentJoined()) {
            callback.setErrorStatus(new ErrorInfo.Connecting(error.messageToUser()));
        }
        callback.close();
        GuestSession created = session;
        release();
        phase = Phase.ENDED;
        if (created != null) {
            // Do not leave a conversation nobody will answer in the queue.
            api.leave(created).whenComplete((ok, leaveFailure) -> {
                if (leaveFailure != null) {
                    LOG.debug("chat={} could not remove the failed chat's guest: {}", chatId, leaveFailure.getMessage());
                }
            });
        }
        result.completeExceptionally(error);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resume

    @Override
    public CompletionStage<Boolean> reconnect() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (phase != Phase.NEW) {
                result.completeExceptionally(new IllegalStateException("chat " + chatId + " already started: a new chat needs a new desk"));
                return;
            }
            Optional<GuestSession> saved = resumeFrom.flatMap(GuestSession::readFrom);
            if (saved.isEmpty()) {
                LOG.info("chat={} has no Genesys guest chat to resume", chatId);
                phase = Phase.ENDED;
                callback.close();
                result.complete(false);
                return;
            }
            phase = Phase.STARTING;
            session = saved.get();
            persisted = resumeFrom.get();
            conversation = newConversation(persisted.get(LAST_MESSAGE_ID));
            api.member(session, session.memberId()).handleAsync((guest, failure) -> {
                if (failure != null && !GuestChatErrors.isChatOver(failure) && !isUnauthorized(failure)) {
                    throw new java.util.concurrent.CompletionException(CompletionFailures.unwrap(failure));
                }
                return failure == null && guest.state() != MemberState.DISCONNECTED;
            }, serial).thenComposeAsync(alive -> {
                if (!alive) {
                    return CompletableFuture.completedFuture(false);
                }
                holdFrames = true;
                return openStream().thenComposeAsync(opened -> catchUp(), serial).thenApply(caughtUp -> true);
            }, serial).whenCompleteAsync((alive, failure) -> {
                if (failure != null) {
                    ServiceDeskException error = GuestChatErrors.startFailure(failure, settings.queueName());
                    LOG.warn("chat={} could not resume: {}", chatId, error.getMessage());
                    callback.close();
                    release();
                    phase = Phase.ENDED;
                    result.completeExceptionally(error);
                } else if (!alive || conversation.isEnded()) {
                    LOG.info("chat={} Genesys conversation {} is over; nothing to resume", chatId, session.conversationId());
                    callback.close();
                    release();
                    phase = Phase.ENDED;
                    result.complete(false);
                } else {
                    phase = Phase.ACTIVE;
                    LOG.info("chat={} resumed Genesys conversation {}", chatId, session.conversationId());
                    if (!conversation.anyAgentJoined()) {
                        startAvailability();
                    }
                    result.complete(true);
                }
            }, serial);
        });
        return result;
    }

    private static boolean isUnauthorized(Throwable failure) {
        return CompletionFailures.unwrap(failure) instanceof io.deskbridge.genesys.platform.GenesysApiException api && api.status() == 401;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The event stream

    private GuestChatConversation newConversation(Optional<String> lastMessageId) {
        return new GuestChatConversation(chatId, session.memberId(), lastMessageId, callback, new Members(), new ConversationEffects(),
                runtime.json(), serial, runtime.scheduler(), settings.typingTimeout());
    }

    /** Opens the event stream; completes on the serial executor once it is open. */
    private CompletableFuture<Void> openStream() {
        int generation = ++streamGeneration;
        GuestChatEventStream.Listener listener = new GuestChatEventStream.Listener() {
            @Override
            public void onFrame(String text) {
                serial.execute(() -> frameArrived(generation, text));
            }

            @Override
            public void onClosed(int statusCode, String reason, Throwable error) {
                serial.execute(() -> streamLost(generation, statusCode + (reason == null || reason.isBlank() ? "" : " " + reason), error));
            }
        };
        return GuestChatEventStream.open(runtime.sockets().clientFor(chatId), session.eventStreamUri(), settings.requestTimeout(), listener)
                .thenApplyAsync(opened -> {
                    if (generation != streamGeneration || phase == Phase.ENDING || phase == Phase.ENDED || conversation.isEnded()) {
                        opened.close();
                        return null;
                    }
                    stream = opened;
                    lastFrameNanos = System.nanoTime();
                    scheduleIdleCheck();
                    LOG.debug("chat={} event stream open", chatId);
                    return null;
                }, serial);
    }

    private void frameArrived(int generation, String text) {
        if (generation != streamGeneration) {
            return;
        }
        lastFrameNanos = System.nanoTime();
        if (holdFrames) {
            heldFrames.add(text);
        } else {
            enqueue(() -> conversation.handleFrame(text));
        }
    }

    /** Runs {@code step} after every event queued before it; a failing step is logged and does not stop the queue. */
    private CompletableFuture<Void> enqueue(Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> next = events.thenComposeAsync(ignored -> {
            try {
                return step.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, serial);
        events = next.exceptionally(failure -> {
            LOG.error("chat={} failed to handle a Genesys event", chatId, CompletionFailures.unwrap(failure));
            return null;
        });
        return next;
    }

    private void streamLost(int generation, String why, Throwable error) {
        if (generation != streamGeneration) {
            return;
        }
        stream = null;
        cancel(idleCheck);
        if (phase != Phase.ACTIVE && phase != Phase.STARTING || conversation == null || conversation.isEnded()) {
            return;
        }
        LOG.warn("chat={} Genesys event stream lost ({}){}", chatId, why, error == null ? "" : ": " + GuestChatErrors.describe(error));
        reportDisconnected();
        scheduleStreamReconnect();
    }

    private void reportDisconnected() {
        if (!disconnectedReported && phase == Phase.ACTIVE) {
            disconnectedReported = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    private void scheduleStreamReconnect() {
        int attempt = ++reconnectAttempts;
        if (attempt > settings.streamReconnect().maxRetries()) {
            giveUp();
            return;
        }
        Duration delay = settings.streamReconnect().backoff(attempt);
        LOG.info("chat={} reopening the event stream in {} ms (attempt {} of {})", chatId, delay.toMillis(), attempt,
                settings.streamReconnect().maxRetries());
        cancel(reconnectTask);
        reconnectTask = runtime.scheduler().schedule(() -> serial.execute(this::reopenStream), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reopenStream() {
        if (phase != Phase.ACTIVE && phase != Phase.STARTING || conversation.isEnded()) {
            return;
        }
        holdFrames = true;
        heldFrames.clear();
        openStream().thenComposeAsync(opened -> catchUp(), serial).whenCompleteAsync((ignored, failure) -> {
            if (phase != Phase.ACTIVE && phase != Phase.STARTING || conversation.isEnded()) {
                return;
            }
            if (failure == null) {
                reconnectAttempts = 0;
                LOG.info("chat={} event stream back, caught up after message {}", chatId, conversation.lastMessageId().orElse("(none)"));
                if (disconnectedReported) {
                    disconnectedReported = false;
                    callback.setErrorStatus(new ErrorInfo.Disconnected(false));
                }
                return;
            }
            Throwable cause = CompletionFailures.unwrap(failure);
            LOG.warn("chat={} could not reopen the event stream: {}", chatId, GuestChatErrors.describe(cause));
            if (stream != null) {
                stream.abort();
                stream = null;
            }
            holdFrames = false;
            heldFrames.clear();
            if (GuestChatErrors.isChatOver(cause) || isRefusedHandshake(cause)) {
                checkChatStillThere();
            } else {
                scheduleStreamReconnect();
            }
        }, serial);
    }

    /**
     * Attaches the new chat's event stream, trying again after a failure that may pass (an I/O failure, a 5xx or 429
     * answer to the handshake) up to {@code genesys.maxRetries} times with the REST backoff: routing starts only once
     * the stream is attached, so nothing is lost or doubled by another attempt. On the chat's serial executor.
     */
    private CompletableFuture<Void> openStreamForStart(int retried) {
        return openStream().handleAsync((opened, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = CompletionFailures.unwrap(failure);
            int retry = retried + 1;
            if (retry > settings.restRetry().maxRetries() || phase != Phase.STARTING || !GenesysSocketClients.mayOpenOnRetry(cause)) {
                return CompletableFuture.<Void>failedFuture(cause);
            }
            Duration wait = settings.restRetry().backoff(retry);
            LOG.info("chat={} could not attach the event stream ({}), trying again in {} ms (retry {} of {})", chatId,
                    GuestChatErrors.describe(cause), wait.toMillis(), retry, settings.restRetry().maxRetries());
            CompletableFuture<Void> next = new CompletableFuture<>();
            runtime.scheduler().schedule(() -> serial.execute(() -> {
                if (phase != Phase.STARTING) {
                    next.completeExceptionally(cause);
                    return;
                }
                openStreamForStart(retry).whenComplete((ok, again) -> {
                    if (again == null) {
                        next.complete(null);
                    } else {
                        next.completeExceptionally(CompletionFailures.unwrap(again));
                    }
                });
            }), wait.toMillis(), TimeUnit.MILLISECONDS);
            return next;
        }, serial).thenCompose(f -> f);
    }

    private static boolean isRefusedHandshake(Throwable cause) {
        return cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null
                && handshake.getResponse().statusCode() >= 400 && handshake.getResponse().statusCode() < 500;
    }

    /** The stream or the catch-up was refused: the chat may be over at Genesys. */
    private void checkChatStillThere() {
        api.member(session, session.memberId()).whenCompleteAsync((guest, failure) -> {
            if (phase != Phase.ACTIVE && phase != Phase.STARTING || conversation.isEnded()) {
                return;
            }
            boolean over = failure == null ? guest.state() == MemberState.DISCONNECTED
                    : GuestChatErrors.isChatOver(failure) || isUnauthorized(failure);
            if (over) {
                conversation.reconcile(List.of(new WebChatMember(session.memberId(), Optional.empty(), Optional.empty(),
                        MemberRole.CUSTOMER, MemberState.DISCONNECTED)));
            } else {
                scheduleStreamReconnect();
            }
        }, serial);
    }

    /**
     * Reads what was missed while the stream was down: the members (joins, departures, the end) and every message
     * after the last one seen, handled in order; then the frames the new stream delivered meanwhile.
     */
    private CompletableFuture<Void> catchUp() {
        return enqueue(() -> api.members(session)
                .thenComposeAsync(list -> conversation.reconcile(list), serial)
                .thenComposeAsync(ignored -> api.messagesAfter(session, conversation.lastMessageId()), serial)
                .thenComposeAsync(messages -> {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (WebChatMessage message : messages) {
                        chain = chain.thenComposeAsync(ignored -> conversation.handleMessage(message), serial);
                    }
                    return chain;
                }, serial)
                .thenApplyAsync(ignored -> {
                    holdFrames = false;
                    List<String> frames = List.copyOf(heldFrames);
                    heldFrames.clear();
                    for (String frame : frames) {
                        enqueue(() -> conversation.handleFrame(frame));
                    }
                    return null;
                }, serial));
    }

    private void giveUp() {
        LOG.error("chat={} Genesys event stream could not be reopened after {} attempts; ending the chat", chatId,
                settings.streamReconnect().maxRetries());
        if (conversation.anyAgentJoined()) {
            callback.sendMessageToUser(AgentMessage.notice("deskbridge-connection-lost-" + chatId,
                    "The connection to the contact center was lost, so this chat has ended."));
            callback.agentEndedChat();
        } else {
            callback.setErrorStatus(ErrorInfo.Connecting.of("The connection to the contact center was lost. Please try again later."));
        }
        callback.close();
        GuestSession lost = session;
        release();
        phase = Phase.ENDED;
        api.leave(lost).whenComplete((ok, failure) -> { });
    }

    private void scheduleIdleCheck() {
        cancel(idleCheck);
        Duration timeout = settings.streamIdleTimeout();
        if (timeout.isZero()) {
            return;
        }
        long period = Math.max(50, timeout.toMillis() / 3);
        int generation = streamGeneration;
        idleCheck = runtime.scheduler().scheduleWithFixedDelay(() -> serial.execute(() -> {
            if (generation != streamGeneration || stream == null) {
                return;
            }
            if (System.nanoTime() - lastFrameNanos > timeout.toNanos()) {
                stream.abort();
                streamLost(generation, "no frame or heartbeat for " + timeout.toMillis() + " ms", null);
            }
        }), period, period, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Messages, typing, state

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            CompletableFuture<Void> earlier = sends.get(message.id());
            if (earlier != null) {
                earlier.whenComplete((ok, failure) -> complete(result, failure));
                return;
            }
            Optional<ServiceDeskException> refused = refuse(message);
            if (refused.isPresent()) {
                ServiceDeskException error = refused.get();
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(error.getMessage())));
                result.completeExceptionally(error);
                return;
            }
            CompletableFuture<Void> send = api.send(session, CreateMessageRequest.standard(message.text())).thenApply(sent -> null);
            sends.put(message.id(), send);
            send.whenCompleteAsync((ok, failure) -> {
                if (failure == null) {
                    result.complete(null);
                    return;
                }
                sends.remove(message.id(), send);
                ServiceDeskException error = GuestChatErrors.sendFailure(failure);
                LOG.warn("chat={} message {} not delivered: {}", chatId, message.id(), error.getMessage());
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(GuestChatErrors.USER_NOT_SENT)));
                result.completeExceptionally(error);
            }, serial);
        });
        return result;
    }

    private Optional<ServiceDeskException> refuse(UserMessage message) {
        if (!message.files().isEmpty()) {
            return Optional.of(new UnsupportedCapabilityException(NAME, Capability.FILE_UPLOADS));
        }
        int length = message.text().codePointCount(0, message.text().length());
        if (length > CreateMessageRequest.MAX_BODY_CHARACTERS) {
            return Optional.of(new ServiceDeskException(Kind.VENDOR_REJECTED, "Message " + message.id() + " has " + length
                    + " characters; Genesys accepts at most " + CreateMessageRequest.MAX_BODY_CHARACTERS,
                    "Your message is too long: please keep it under " + String.format("%,d", CreateMessageRequest.MAX_BODY_CHARACTERS)
                            + " characters.", null));
        }
        if (session == null || phase == Phase.NEW) {
            return Optional.of(new ServiceDeskException(Kind.INTERNAL, "Chat " + chatId + " has not started: start it before sending messages",
                    GuestChatErrors.USER_NOT_SENT, null));
        }
        if (phase == Phase.ENDING || phase == Phase.ENDED || conversation.isEnded()) {
            return Optional.of(new ServiceDeskException(Kind.VENDOR_REJECTED, "Chat " + chatId + " has ended", GuestChatErrors.USER_ENDED, null));
        }
        return Optional.empty();
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            chatState = state;
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            // Genesys has no "stopped typing": the agent's indicator fades by itself.
            if (!isTyping || session == null || phase != Phase.ACTIVE || conversation.isEnded()) {
                result.complete(null);
                return;
            }
            long now = System.nanoTime();
            if (typingPosted && now - lastTypingPostNanos < settings.userTypingInterval().toNanos()) {
                result.complete(null);
                return;
            }
            typingPosted = true;
            lastTypingPostNanos = now;
            api.typing(session).whenComplete((ok, failure) -> complete(result, failure == null ? null
                    : new ServiceDeskException(Kind.VENDOR_UNAVAILABLE, "Could not send the typing indicator: "
                            + GuestChatErrors.describe(CompletionFailures.unwrap(failure)), CompletionFailures.unwrap(failure))));
        });
        return result;
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        if (!capabilities.contains(Capability.AGENTS_ONLINE)) {
            return unsupported(Capability.AGENTS_ONLINE);
        }
        return runtime.queue().agentsOnline(chatId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Availability while waiting

    private void startAvailability() {
        if (availabilityWatch != null || !capabilities.contains(Capability.QUEUE_STATUS) || phase == Phase.ENDING || phase == Phase.ENDED) {
            return;
        }
        Optional<String> conversationId = Optional.of(session.conversationId());
        availabilityWatch = runtime.queue().watchWhileWaiting(chatId, serial, () -> conversationId,
                () -> (phase == Phase.ACTIVE || phase == Phase.STARTING) && conversation != null
                        && !conversation.anyAgentJoined() && !conversation.isEnded(),
                callback::updateAgentAvailability);
    }

    private void stopAvailability() {
        if (availabilityWatch != null) {
            availabilityWatch.stop();
            availabilityWatch = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // End

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (endResult != null) {
                endResult.whenComplete((ok, failure) -> complete(result, failure));
                return;
            }
            endResult = result;
            callback.close(); // rule 7: nothing reaches the application once the user ends the chat
            if (phase == Phase.STARTING && startResult != null) {
                // End once the start settled: a conversation may be being created.
                startResult.handleAsync((ok, failure) -> {
                    leave(result);
                    return null;
                }, serial);
                return;
            }
            leave(result);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> detach() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            // The guest stays in the conversation at Genesys (no leave): another process reconnects to it.
            if (phase != Phase.ENDED && phase != Phase.ENDING && endResult == null) {
                LOG.info("chat={} detached: the conversation stays open at Genesys for another process", chatId);
                callback.close();
                release();
                phase = Phase.ENDED;
            }
            result.complete(null);
        });
        return result;
    }

    private void leave(CompletableFuture<Void> result) {
        if (phase == Phase.ENDED || session == null || conversation == null || conversation.isEnded()) {
            release();
            phase = Phase.ENDED;
            result.complete(null);
            return;
        }
        phase = Phase.ENDING;
        LOG.info("chat={} the user ends the chat", chatId);
        GuestSession ending = session;
        api.leave(ending).whenCompleteAsync((ok, failure) -> {
            release();
            phase = Phase.ENDED;
            if (failure == null || GuestChatErrors.isChatOver(failure)) {
                result.complete(null);
            } else {
                ServiceDeskException error = GuestChatErrors.sendFailure(failure);
                LOG.warn("chat={} Genesys did not confirm the end of the chat: {}", chatId, error.getMessage());
                result.completeExceptionally(new ServiceDeskException(error.kind(), "Could not end the chat at Genesys: " + error.getMessage(), error));
            }
        }, serial);
    }

    /** Closes the stream and stops every timer of the chat. */
    private void release() {
        streamGeneration++;
        if (stream != null) {
            stream.close();
            stream = null;
        }
        if (conversation != null) {
            conversation.close();
        }
        cancel(reconnectTask);
        cancel(idleCheck);
        stopAvailability();
        holdFrames = false;
        heldFrames.clear();
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static void complete(CompletableFuture<Void> result, Throwable failure) {
        if (failure == null) {
            result.complete(null);
        } else {
            result.completeExceptionally(CompletionFailures.unwrap(failure));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Collaborators of the conversation

    /** The conversation's members, read with the guest JWT and cached per member id. */
    private final class Members implements GuestChatConversation.MemberDirectory {
        @Override
        public CompletableFuture<WebChatMember> member(String memberId) {
            CompletableFuture<WebChatMember> cached = memberCache.get(memberId);
            if (cached != null) {
                return cached;
            }
            CompletableFuture<WebChatMember> read = api.member(session, memberId);
            memberCache.put(memberId, read);
            read.whenComplete((member, failure) -> {
                if (failure != null) {
                    memberCache.remove(memberId, read);
                }
            });
            return read;
        }

        @Override
        public CompletableFuture<WebChatMember> refresh(String memberId) {
            return api.member(session, memberId);
        }

        @Override
        public void remember(WebChatMember member) {
            if (member.role() != MemberRole.UNKNOWN) {
                memberCache.put(member.id(), CompletableFuture.completedFuture(member));
            }
        }
    }

    private final class ConversationEffects implements GuestChatConversation.Effects {
        @Override
        public void waiting() {
            if (phase == Phase.ACTIVE) {
                startAvailability();
            }
        }

        @Override
        public void agentJoined(AgentProfile agent) {
            stopAvailability();
        }

        @Override
        public void ended() {
            callback.close();
            release();
            phase = Phase.ENDED;
        }

        @Override
        public void lastMessageIdChanged(String messageId) {
            persisted = persisted.with(LAST_MESSAGE_ID, messageId);
            callback.updatePersistedState(persisted);
        }
    }

    /**
     * The application's callback, closed for good once the chat is over for it (rule 6, rule 7). Used on the serial
     * executor only.
     */
    private final class GatedCallback implements ServiceDeskCallback {
        private boolean closed;

        void close() {
            closed = true;
        }

        /** Calls the application; a callback that throws is logged and does not disturb the chat. */
        private void deliver(String method, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.error("chat={} the application's {} callback failed", chatId, method, e);
            }
        }

        @Override
        public void updateAgentAvailability(AgentAvailability availability) {
            if (!closed) {
                deliver("updateAgentAvailability", () -> application.updateAgentAvailability(availability));
            }
        }

        @Override
        public void agentJoined(AgentProfile agent) {
            if (!closed) {
                deliver("agentJoined", () -> application.agentJoined(agent));
            }
        }

        @Override
        public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {
            if (!closed) {
                deliver("beginTransferToAnotherAgent", () -> application.beginTransferToAnotherAgent(newAgent));
            }
        }

        @Override
        public void agentLeftChat() {
            if (!closed) {
                deliver("agentLeftChat", () -> application.agentLeftChat());
            }
        }

        @Override
        public void agentEndedChat() {
            if (!closed) {
                deliver("agentEndedChat", () -> application.agentEndedChat());
                closed = true;
            }
        }

        @Override
        public void agentTyping(boolean isTyping) {
            if (!closed) {
                deliver("agentTyping", () -> application.agentTyping(isTyping));
            }
        }

        @Override
        public void agentReadMessages() {
            if (!closed) {
                deliver("agentReadMessages", () -> application.agentReadMessages());
            }
        }

        @Override
        public void sendMessageToUser(AgentMessage message) {
            if (!closed) {
                deliver("sendMessageToUser", () -> application.sendMessageToUser(message));
            }
        }

        @Override
        public void setErrorStatus(ErrorInfo error) {
            if (!closed) {
                deliver("setErrorStatus", () -> application.setErrorStatus(error));
            }
        }

        @Override
        public void setFileUploadStatus(FileUploadStatus status) {
            if (!closed) {
                deliver("setFileUploadStatus", () -> application.setFileUploadStatus(status));
            }
        }

        @Override
        public void updateCapabilities(Set<Capability> updated) {
            if (!closed) {
                deliver("updateCapabilities", () -> application.updateCapabilities(updated));
            }
        }

        @Override
        public void updatePersistedState(PersistedState state) {
            if (!closed) {
                deliver("updatePersistedState", () -> application.updatePersistedState(state));
            }
        }
    }
}

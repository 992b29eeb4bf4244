package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.genesys.webmessaging.wire.Bodies;
import io.deskbridge.genesys.webmessaging.wire.Direction;
import io.deskbridge.genesys.webmessaging.wire.ErrorCode;
import io.deskbridge.genesys.webmessaging.wire.EventType;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.MessageType;
import io.deskbridge.genesys.webmessaging.wire.OriginatingEntity;
import io.deskbridge.genesys.webmessaging.wire.PresenceType;
import io.deskbridge.genesys.webmessaging.wire.ReceiptStatus;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.SessionResponse;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.genesys.webmessaging.wire.TypingType;
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
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat over Genesys Cloud Web Messaging: a guest session on one WebSocket.
 *
 * <p><b>Session.</b> {@code startChat} opens the socket, sends {@code configureSession} (or
 * {@code configureAuthenticatedSession} with a code from the {@link WebMessagingAuthCodeSource}) with a random
 * session token, reads the {@code SessionResponse} (a read-only session is restarted with {@code startNew}), and
 * sends the connect summary as the first {@code Text} message with the routing hints as custom attributes. The token
 * is in the persisted state: {@link #reconnect()} resumes the same conversation from it.
 *
 * <p><b>Agent side.</b> Outbound messages become {@code sendMessageToUser}; bot and flow messages keep
 * {@link MessageOrigin#BOT} and never count as an agent. The agent is known from {@code channel.from} (humanize on)
 * or shown with {@link WebMessagingSettings#agentFallbackName()}; the first human gives {@code agentJoined}, another
 * one a transfer. {@code Typing} events show typing for their duration, {@code Presence Disconnect} ends the chat,
 * {@code Receipt Read} gives {@code agentReadMessages}. Live outbound messages pass through an {@link OutboundOrder}:
 * Genesys's order ({@code channel.time}, then id), each held at most {@link WebMessagingSettings#reorderWindow()}.
 *
 * <p><b>Queue.</b> With OAuth client credentials, {@code areAnyAgentsOnline} and the queue status while no human
 * agent has joined come from the {@link QueueAvailabilityClient} that guest chats use too.
 *
 * <p><b>Sending.</b> Messages go through a per-chat queue paced by a {@link TokenBucket}; each text waits for its
 * echo ({@code direction: Inbound}) before the next, so the order holds and a {@code 4029} is retried after its
 * {@code retryAfter}. Sends are idempotent by message id.
 *
 * <p><b>Resilience.</b> An unanswered {@code echo} or a dropped socket gives {@code Disconnected(true)}; the desk
 * reconnects with backoff and the same token, reads what it missed from the history endpoint (newest-first pages,
 * de-duplicated by message id), confirms sends whose echo was lost, and reports {@code Disconnected(false)}.
 *
 * <p><b>Threads.</b> Everything runs on a per-chat {@link SerialExecutor} over the shared workers; the socket is the
 * desk's socket clients' ({@link GenesysSocketClients}: a few I/O threads for every chat), REST the shared
 * {@link HttpClient}'s, timers the shared scheduler's. No thread belongs to a chat.
 */
public final class WebMessagingServiceDesk implements ServiceDesk {
    /** What every web messaging chat supports, whatever the configuration. */
    public static final Set<Capability> BASE_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.UPDATE_STATE, Capability.USER_TYPING, Capability.FILE_UPLOADS, Capability.RECONNECT,
            Capability.AGENT_TYPING, Capability.AGENT_READ_RECEIPTS, Capability.TRANSFER, Capability.CONNECTION_RECOVERY));

    /** What OAuth client credentials add ({@code genesys.clientId}, {@code genesys.clientSecret}): the queue's agents and wait. */
    public static final Set<Capability> PLATFORM_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS));

    /** The capabilities of a web messaging chat with or without OAuth client credentials. */
    public static Set<Capability> capabilitiesFor(boolean clientCredentials) {
        EnumSet<Capability> all = EnumSet.copyOf(BASE_CAPABILITIES);
        if (clientCredentials) {
            all.addAll(PLATFORM_CAPABILITIES);
        }
        return Collections.unmodifiableSet(all);
    }

    /** Persisted-state keys. */
    static final String KEY_TRANSPORT = "transport";
    static final String KEY_TOKEN = "webMessagingToken";
    static final String KEY_LAST_MESSAGE = "lastMessageId";
    static final String KEY_AGENT_ID = "agentId";
    static final String KEY_AGENT_NAME = "agentName";
    static final String KEY_AGENT_IMAGE = "agentImage";
    static final String KEY_USER_ID = "verifiedUserId";
    static final String TRANSPORT = "web-messaging";

    /** The agent id used when the deployment does not humanize agents. */
    static final String FALLBACK_AGENT_ID = "genesys-agent";
    private static final Duration USER_TYPING_INTERVAL = Duration.ofSeconds(5);
    private static final int REMEMBERED_IDS = 2000;
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingServiceDesk.class);
    private static final AtomicLong TRACING = new AtomicLong();

    private enum State { NEW, CONNECTING, OPEN, RECONNECTING, CLOSING, CLOSED, ENDED, FAILED }

    private enum Kind { TEXT, EVENT }

    /** A message waiting to be sent. */
    private static final class Outgoing {
        final Kind kind;
        final Optional<String> messageId;
        final StructuredMessage message;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        String tracingId;

        Outgoing(Kind kind, Optional<String> messageId, StructuredMessage message) {
            this.kind = kind;
            this.messageId = messageId;
            this.message = message;
        }
    }

    /** A resumed session and the outbound messages it missed, oldest first. */
    private record Resumed(SessionResponse session, List<StructuredMessage> missed) {}

    /** The socket went away while a request waited for its answer. */
    private static final class ConnectionLost extends RuntimeException {
        ConnectionLost(String reason) {
            super("the web messaging socket closed: " + reason, null, false, false);
        }
    }

    private final String chatId;
    private final ServiceDeskCallback callback;
    private final Optional<PersistedState> persisted;
    private final WebMessagingSettings settings;
    private final Set<Capability> capabilities;
    private final QueueAvailabilityClient queueStatus;
    private final HttpClient http;
    private final HttpClient sockets;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final WebMessagingAuthCodeSource authCodes;
    private final List<String> skills;
    private final Optional<String> language;
    private final SerialExecutor serial;
    private final WebMessagingHistory history;
    private final TokenBucket bucket;
    private final OutboundOrder order;

    // Everything below is touched on the serial executor only.
    private State state = State.NEW;
    private String token;
    private Optional<UserIdentity> verifiedUser = Optional.empty();
    private ChatState chatState = ChatState.empty();
    private Map<String, String> pendingStateAttributes = Map.of();
    private WebSocket socket;
    private int generation;
    private CompletableFuture<Void> sendChain = CompletableFuture.completedFuture(null);
    private final Map<String, CompletableFuture<Frame>> pending = new HashMap<>();
    private final Map<String, CompletableFuture<Frame>> uploads = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> sends = new HashMap<>();
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private Outgoing inFlight;
    private ScheduledFuture<?> drainTimer;
    private final Set<String> delivered = new LinkedHashSet<>();
    private Optional<String> lastMessageId = Optional.empty();
    private Optional<AgentProfile> agent = Optional.empty();
    private boolean agentTyping;
    private ScheduledFuture<?> typingTimer;
    private Instant lastUserTyping;
    private FileRules fileRules = new FileRules(List.of(), java.util.OptionalLong.empty(), List.of());
    private boolean sessionKnown;
    /** Whether Genesys may hold this chat's session: a configureSession went out, or the chat is resumed. */
    private boolean sessionMayExist;
    private int maxCustomDataBytes = CustomAttributes.DEFAULT_MAX_BYTES;
    private ScheduledFuture<?> healthTimer;
    private String echoPending;
    private ScheduledFuture<?> reconnectTimer;
    private int reconnectAttempts;
    private Instant disconnectedSince;
    private boolean catchingUp;
    private final List<StructuredMessage> liveBuffer = new ArrayList<>();
    private CompletableFuture<Void> endWaiter;
    private PersistedState lastPersisted;
    private ScheduledFuture<?> orderTimer;
    private Instant orderTimerAt;
    private QueueAvailabilityClient.QueueWatch queueWatch;

    WebMessagingServiceDesk(DeskContext context, WebMessagingRuntime runtime) {
        requireNonNull(context, "context is null");
        requireNonNull(runtime, "runtime is null");
        this.chatId = context.chatId();
        this.callback = context.callback();
        this.persisted = context.persistedState();
        this.settings = runtime.settings();
        this.capabilities = runtime.capabilities();
        this.queueStatus = runtime.queue();
        this.http = runtime.http();
        this.sockets = runtime.sockets().clientFor(chatId);
        this.json = runtime.json();
        this.scheduler = runtime.scheduler();
        this.clock = runtime.clock();
        this.authCodes = runtime.authCodes();
        this.skills = settings.skills();
        this.language = settings.language();
        this.serial = new SerialExecutor(runtime.workers());
        this.history = new WebMessagingHistory(http, json, settings);
        this.bucket = new TokenBucket(clock, settings.outboundRate());
        this.order = new OutboundOrder(settings.reorderWindow());
    }

    @Override
    public String name() {
        return "Genesys Cloud web messaging";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    // ---------------------------------------------------------------- start, reconnect, end

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (state != State.NEW) {
                result.completeExceptionally(new IllegalStateException("startChat called on a desk whose chat is " + state));
                return;
            }
            state = State.CONNECTING;
            verifiedUser = options.verifiedUser();
            if (settings.authenticated() && verifiedUser.isEmpty()) {
                failStart(result, new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The Genesys deployment requires authenticated chats (genesys.authenticatedChat=true) and startChat "
                                + "was called without StartChatOptions.verifiedUser",
                        "Please sign in to chat with an agent.", null));
                return;
            }
            token = UUID.randomUUID().toString();
            LOG.info("[{}] starting a web messaging session", chatId);
            openForStart(1)
                    .thenComposeAsync(ignored -> configure(false), serial)
                    .thenComposeAsync(session -> session.readOnly() ? configure(true) : CompletableFuture.completedFuture(session), serial)
                    .thenComposeAsync(session -> {
                        applySession(session);
                        persist();
                        return sendFirstMessage(request, options);
                    }, serial)
                    .whenCompleteAsync((ignored, failure) -> {
                        if (failure != null) {
                            failStart(result, failure);
                            return;
                        }
                        if (state != State.CONNECTING) {
                            result.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                                    "The web messaging session ended while the chat started"));
                            return;
                        }
                        state = State.OPEN;
                        startHealthChecks();
                        drain();
                        LOG.info("[{}] web messaging chat started", chatId);
                        result.complete(null);
                        watchQueueWhileWaiting();
                    }, serial);
        });
        return result;
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (state != State.NEW) {
                result.completeExceptionally(new IllegalStateException("reconnect called on a desk whose chat is " + state));
                return;
            }
            Optional<PersistedState> saved = persisted.filter(p -> p.get(KEY_TOKEN).isPresent());
            if (saved.isEmpty()) {
                LOG.info("[{}] no web messaging session to resume", chatId);
                state = State.FAILED;
                result.complete(false);
                return;
            }
            PersistedState p = saved.get();
            token = p.get(KEY_TOKEN).get();
            lastMessageId = p.get(KEY_LAST_MESSAGE);
            lastMessageId.ifPresent(delivered::add);
            verifiedUser = p.get(KEY_USER_ID).map(UserIdentity::new);
            agent = p.get(KEY_AGENT_ID).map(id -> new AgentProfile(id, p.get(KEY_AGENT_NAME).orElse(settings.agentFallbackName()),
                    p.get(KEY_AGENT_IMAGE).flatMap(WireValues::absoluteUri)));
            state = State.CONNECTING;
            sessionMayExist = true;
            LOG.info("[{}] resuming a web messaging session", chatId);
            resumeSession(false).whenCompleteAsync((resumed, failure) -> {
                if (state != State.CONNECTING) {
                    result.complete(false);
                    return;
                }
                if (failure != null) {
                    Throwable cause = CompletionFailures.unwrap(failure);
                    closeSocket();
                    state = State.FAILED;
                    if (cause instanceof WebMessagingException wme && wme.isSessionGone()) {
                        LOG.info("[{}] the web messaging session is gone (code {})", chatId, wme.code());
                        result.complete(false);
                    } else {
                        LOG.warn("[{}] could not resume the web messaging session: {}", chatId, cause.toString());
                        result.completeExceptionally(asServiceDeskException(cause, "resume the chat"));
                    }
                    return;
                }
                if (resumed.session().readOnly()) {
                    LOG.info("[{}] the web messaging conversation ended while the chat was away", chatId);
                    closeSocket();
                    state = State.FAILED;
                    result.complete(false);
                    return;
                }
                state = State.OPEN;
                result.complete(true);
                // After the application learnt the chat is back: what was missed, then live traffic.
                finishCatchUp(resumed);
                if (state == State.OPEN) {
                    startHealthChecks();
                    drain();
                    watchQueueWhileWaiting();
                }
            }, serial);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (state == State.CLOSED || state == State.CLOSING || state == State.NEW || state == State.FAILED) {
                result.complete(null);
                return;
            }
            if (state == State.ENDED) {
                closeSocket();
                state = State.CLOSED;
                result.complete(null);
                return;
            }
            LOG.info("[{}] the user ends the web messaging chat", chatId);
            cancelTimers();
            failQueued("The chat has ended.");
            if (socket == null && !sessionMayExist) {
                // A new chat still opening its first socket (a start that is trying again): Genesys has no session to end.
                state = State.CLOSED;
                result.complete(null);
                return;
            }
            state = State.CLOSING;
            CompletableFuture<Void> ready = socket != null ? CompletableFuture.completedFuture(null)
                    : openAndConfigure(false).thenApply(session -> null);
            ready.thenComposeAsync(ignored -> sendEnd(), serial)
                    .orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((ignored, failure) -> {
                        if (failure != null) {
                            LOG.warn("[{}] could not tell Genesys that the user ended the chat; the session will expire: {}",
                                    chatId, CompletionFailures.unwrap(failure).toString());
                        }
                        closeSocket();
                        state = State.CLOSED;
                        result.complete(null);
                    }, serial);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> detach() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            // No closeSession: the conversation stays open at Genesys for the process that reconnects to it.
            if (!isTerminal() && state != State.CLOSING) {
                LOG.info("[{}] detached: the web messaging session stays open at Genesys for another process", chatId);
                state = State.CLOSED;
                cancelTimers();
                failQueued("The chat moved to another server.");
                closeSocket();
            }
            result.complete(null);
        });
        return result;
    }

    // ---------------------------------------------------------------- user actions

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            CompletableFuture<Void> existing = sends.get(message.id());
            if (existing != null) {
                propagate(existing, result);
                return;
            }
            if (state == State.NEW || state == State.CONNECTING && !sessionKnown) {
                result.completeExceptionally(new IllegalStateException("sendMessageToAgent called before startChat"));
                return;
            }
            if (isTerminal()) {
                result.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The web messaging chat has ended; message " + message.id() + " was not sent", "The chat has ended.", null));
                return;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            sends.put(message.id(), done);
            propagate(done, result);
            uploadAll(message.files()).whenCompleteAsync((attachmentIds, failure) -> {
                if (failure != null) {
                    failSend(message.id(), done, CompletionFailures.unwrap(failure));
                    return;
                }
                Map<String, String> metadata = Map.of("customMessageId", message.id());
                List<StructuredMessage.Content> content = attachmentIds.stream().map(StructuredMessage.Content::attachmentReference).toList();
                Map<String, String> attributes = pendingStateAttributes;
                pendingStateAttributes = Map.of();
                Outgoing outgoing = new Outgoing(Kind.TEXT, Optional.of(message.id()),
                        StructuredMessage.guestText(message.text(), metadata, attributes, content));
                outgoing.done.whenCompleteAsync((ok, error) -> {
                    if (error == null) {
                        done.complete(null);
                    } else {
                        failSend(message.id(), done, CompletionFailures.unwrap(error));
                    }
                }, serial);
                enqueue(outgoing);
            }, serial);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            ChatState before = chatState;
            chatState = state;
            if (this.state != State.NEW) {
                // Web messaging has no participant update: changed details travel with the user's next message.
                Map<String, String> changed = new LinkedHashMap<>(pendingStateAttributes);
                state.displayName().filter(n -> !state.displayName().equals(before.displayName())).ifPresent(n -> changed.put("displayName", n));
                state.locale().filter(l -> !state.locale().equals(before.locale())).ifPresent(l -> changed.put("locale", l));
                pendingStateAttributes = CustomAttributes.fit(json, changed, maxCustomDataBytes).attributes();
            }
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            Instant now = clock.instant();
            if (isTyping && state == State.OPEN && (lastUserTyping == null || !now.isBefore(lastUserTyping.plus(USER_TYPING_INTERVAL)))) {
                lastUserTyping = now;
                enqueue(new Outgoing(Kind.EVENT, Optional.empty(), StructuredMessage.guestEvent(StructuredMessage.Event.typingOn())));
            }
            // Web messaging has no "stopped typing" from a guest: the agent's indicator times out by itself.
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        if (!capabilities.contains(Capability.AGENTS_ONLINE)) {
            return unsupported(Capability.AGENTS_ONLINE);
        }
        return queueStatus.agentsOnline(chatId);
    }

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> files) {
        requireNonNull(files, "files is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (sessionKnown && !isTerminal()) {
                for (FileUpload file : files) {
                    fileRules.refusal(file).ifPresent(reason -> {
                        LOG.info("[{}] refused file {} early: {}", chatId, file.id(), reason);
                        callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason));
                    });
                }
            }
            result.complete(null);
        });
        return result;
    }

    // ---------------------------------------------------------------- session

    /**
     * Opens the socket of a new chat, trying again after a failure that may pass (the socket could not be opened: a
     * timeout, a refused connection, a 5xx or 429 answer to the handshake) up to {@code genesys.webMessagingStartAttempts}
     * times, waiting the reconnect backoff, doubled, between attempts. Nothing was sent before the socket opened, so
     * another attempt cannot double anything. Runs on the chat's serial executor.
     */
    private CompletableFuture<Void> openForStart(int attempt) {
        return openSocket().handleAsync((opened, failure) -> {
            if (failure == null && state != State.CONNECTING) {
                closeSocket(); // the user ended the chat while its socket opened: no session is configured
                return CompletableFuture.<Void>failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                        "The chat ended while its socket was being opened"));
            }
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = CompletionFailures.unwrap(failure);
            if (attempt >= settings.startAttempts() || state != State.CONNECTING || !GenesysSocketClients.mayOpenOnRetry(cause)) {
                return CompletableFuture.<Void>failedFuture(cause);
            }
            Duration wait = reconnectBackoff(attempt - 1);
            LOG.info("[{}] could not open the web messaging socket (attempt {} of {}), trying again in {} ms: {}", chatId, attempt,
                    settings.startAttempts(), wait.toMillis(), cause.getMessage());
            CompletableFuture<Void> next = new CompletableFuture<>();
            schedule(wait, () -> {
                if (state != State.CONNECTING) {
                    next.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                            "The chat ended while its socket was being opened"));
                    return;
                }
                propagate(openForStart(attempt + 1), next);
            });
            return next;
        }, serial).thenCompose(f -> f);
    }

    private static String describeOpenFailure(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "the handshake was answered HTTP " + handshake.getResponse().statusCode();
        }
        return cause.toString();
    }

    private CompletableFuture<SessionResponse> openAndConfigure(boolean startNew) {
        return openSocket().thenComposeAsync(ignored -> configure(startNew), serial);
    }

    private CompletableFuture<Void> openSocket() {
        closeSocket();
        int gen = ++generation;
        WebSocket.Builder builder = sockets.newWebSocketBuilder().connectTimeout(settings.sendTimeout());
        settings.origin().ifPresent(origin -> builder.header("Origin", origin));
        return builder.buildAsync(settings.socketUri(), new Listener(gen))
                .thenAcceptAsync(ws -> {
                    if (gen != generation) {
                        ws.abort();
                        throw new ConnectionLost("replaced while opening");
                    }
                    socket = ws;
                    sendChain = CompletableFuture.completedFuture(null);
                }, serial)
                .exceptionallyCompose(failure -> {
                    Throwable cause = CompletionFailures.unwrap(failure);
                    return CompletableFuture.failedFuture(cause instanceof ConnectionLost ? cause
                            : new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                                    "Cannot open the Genesys web messaging socket " + settings.webMessagingUrl() + ": "
                                            + describeOpenFailure(cause),
                                    "The chat service cannot be reached right now. Please try again later.", cause));
                });
    }

    private CompletableFuture<SessionResponse> configure(boolean startNew) {
        CompletableFuture<Optional<String>> code = settings.authenticated()
                ? verifiedUser.map(user -> authCodes.codeFor(user, chatId).toCompletableFuture().thenApply(Optional::of))
                        .orElseGet(() -> CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                                "The chat is authenticated but no verified user is known to vouch for", "Please sign in to chat with an agent.", null)))
                : CompletableFuture.completedFuture(Optional.empty());
        return code.thenComposeAsync(authCode -> {
            sessionMayExist = true;
            String tracingId = nextTracingId("configure");
            Object request = authCode.isPresent()
                    ? Requests.ConfigureSession.authenticated(token, settings.deploymentId(), startNew, authCode.get(), tracingId)
                    : Requests.ConfigureSession.anonymous(token, settings.deploymentId(), startNew, tracingId);
            return request(request, tracingId, settings.sendTimeout());
        }, serial).thenApplyAsync(frame -> {
            if (!frame.isSuccess() || frame.responseClass().filter(c -> c == ResponseClass.SESSION_RESPONSE).isEmpty()) {
                throw WebMessagingException.of(settings.authenticated() ? "configureAuthenticatedSession" : "configureSession", frame);
            }
            return read(frame, SessionResponse.class);
        }, serial);
    }

    private void applySession(SessionResponse session) {
        sessionKnown = true;
        fileRules = FileRules.of(session);
        maxCustomDataBytes = session.maxCustomDataBytes().orElse(CustomAttributes.DEFAULT_MAX_BYTES);
        LOG.debug("[{}] session connected={} new={} readOnly={} files={} maxCustomDataBytes={} expires={}", chatId, session.connected(),
                session.newSession(), session.readOnly(), fileRules.acceptsFiles(), maxCustomDataBytes, session.expirationDate());
        if (!fileRules.acceptsFiles()) {
            Set<Capability> reduced = EnumSet.copyOf(capabilities);
            reduced.remove(Capability.FILE_UPLOADS);
            callback.updateCapabilities(Collections.unmodifiableSet(reduced));
        }
    }

    private CompletableFuture<Void> sendFirstMessage(ConnectRequest request, StartChatOptions options) {
        CustomAttributes.Fitted fitted = CustomAttributes.build(json, request, options, chatState, skills, language, maxCustomDataBytes);
        if (!fitted.dropped().isEmpty()) {
            LOG.warn("[{}] custom attributes {} do not fit in the session's {} bytes and were not sent", chatId, fitted.dropped(),
                    maxCustomDataBytes);
        }
        Outgoing first;
        if (request.connectSummary().isPresent()) {
            first = new Outgoing(Kind.TEXT, Optional.of("connect-summary-" + token),
                    StructuredMessage.guestText(request.connectSummary().get(), Map.of("customMessageId", "connect-summary-" + token),
                            fitted.attributes(), List.of()));
        } else {
            StructuredMessage join = StructuredMessage.guestEvent(StructuredMessage.Event.presence(PresenceType.JOIN));
            if (!fitted.attributes().isEmpty()) {
                join = new StructuredMessage(Optional.empty(), join.type(), Optional.empty(), Optional.empty(),
                        Optional.of(new StructuredMessage.Channel(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                                Optional.empty(), Optional.of(new StructuredMessage.ChannelMetadata(fitted.attributes())))),
                        List.of(), Map.of(), join.events(), Optional.empty(), Optional.empty());
            }
            first = new Outgoing(Kind.EVENT, Optional.empty(), join);
        }
        enqueue(first);
        return first.done;
    }

    /** Opens a socket with the persisted token and reads what the chat missed. */
    /**
     * @param lookBehind whether the catch-up also reads the reorder window before the newest delivered message (only
     *     this process knows every message it delivered; a desk resumed from persisted state knows the last one)
     */
    private CompletableFuture<Resumed> resumeSession(boolean lookBehind) {
        catchingUp = true;
        liveBuffer.clear();
        return openAndConfigure(false).thenComposeAsync(session -> {
            applySession(session);
            return fetchMissed(lookBehind).thenApply(missed -> new Resumed(session, missed));
        }, serial).whenCompleteAsync((r, failure) -> {
            if (failure != null) {
                catchingUp = false;
                liveBuffer.clear();
            }
        }, serial);
    }

    /** Delivers what a resumed session missed, then what arrived live meanwhile, and confirms lost echoes. */
    private void finishCatchUp(Resumed resumed) {
        catchingUp = false;
        List<StructuredMessage> live = new ArrayList<>(liveBuffer);
        liveBuffer.clear();
        for (StructuredMessage message : resumed.missed()) {
            if (isTerminal()) {
                return;
            }
            if (message.messageDirection().orElse(null) == Direction.INBOUND) {
                Optional.ofNullable(message.metadata().get("customMessageId")).ifPresent(this::confirmedByHistory);
            } else {
                onOutbound(message, true);
            }
        }
        for (StructuredMessage message : live) {
            if (isTerminal()) {
                return;
            }
            arrived(message);
        }
    }

    private CompletableFuture<List<StructuredMessage>> fetchMissed(boolean lookBehind) {
        String tracingId = nextTracingId("jwt");
        return request(Requests.GetJwt.of(token, tracingId), tracingId, settings.sendTimeout()).thenComposeAsync(frame -> {
            if (!frame.isSuccess() || frame.responseClass().filter(c -> c == ResponseClass.JWT_RESPONSE).isEmpty()) {
                throw WebMessagingException.of("getJwt", frame);
            }
            Bodies.JwtResponse jwt = read(frame, Bodies.JwtResponse.class);
            return fetchPages(jwt.jwt(), 1, new ArrayList<>(), lookBehind ? settings.reorderWindow() : Duration.ZERO);
        }, serial).thenApply(newestFirst -> {
            List<StructuredMessage> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            return oldestFirst;
        });
    }

    /**
     * Reads history pages, newest first, until the messages are older than what the user has: past the newest message
     * already delivered, by {@code lookBehind} more (Genesys may have sent a message just before it that never arrived
     * live). Messages already delivered are skipped there, never collected twice.
     */
    private CompletableFuture<List<StructuredMessage>> fetchPages(String jwt, int pageNumber, List<StructuredMessage> collected,
            Duration lookBehind) {
        return fetchPages(jwt, pageNumber, collected, lookBehind, Optional.empty());
    }

    private CompletableFuture<List<StructuredMessage>> fetchPages(String jwt, int pageNumber, List<StructuredMessage> collected,
            Duration lookBehind, Optional<Instant> knownHorizon) {
        return history.page(jwt, pageNumber).toCompletableFuture().thenComposeAsync(page -> {
            Optional<Instant> horizon = knownHorizon;
            boolean done = false;
            for (StructuredMessage message : page.entities()) {
                Optional<String> id = idOf(message);
                Optional<Instant> time = message.channel().flatMap(StructuredMessage.Channel::time).flatMap(WireValues::instant);
                if (horizon.isPresent() && (time.isEmpty() || time.get().isBefore(horizon.get()))) {
                    done = true;
                    break;
                }
                boolean outbound = message.messageDirection().orElse(null) == Direction.OUTBOUND;
                if (outbound && id.isPresent() && delivered.contains(id.get())) {
                    if (horizon.isEmpty()) {
                        if (time.isEmpty() || lookBehind.isZero()) {
                            done = true;
                            break;
                        }
                        horizon = Optional.of(time.get().minus(lookBehind));
                    }
                    continue;
                }
                collected.add(message);
            }
            if (done || page.entities().isEmpty() || pageNumber >= page.pageCount() || pageNumber >= settings.historyMaxPages()) {
                LOG.debug("[{}] history catch-up read {} page(s), {} message(s) the chat had not seen", chatId, pageNumber, collected.size());
                return CompletableFuture.completedFuture(collected);
            }
            return fetchPages(jwt, pageNumber + 1, collected, lookBehind, horizon);
        }, serial);
    }

    // ---------------------------------------------------------------- socket

    /** Receives one socket's frames; a listener of an older socket is ignored by its generation. */
    private final class Listener implements WebSocket.Listener {
        private final int gen;
        private final StringBuilder partial = new StringBuilder();

        Listener(int gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                serial.execute(() -> onFrame(gen, text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            serial.execute(() -> onSocketClosed(gen, "closed by Genesys with " + statusCode));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            serial.execute(() -> onSocketClosed(gen, "failed: " + error));
        }
    }

    private CompletableFuture<Frame> request(Object request, String tracingId, Duration timeout) {
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        pending.put(tracingId, answer);
        sendRaw(request).whenCompleteAsync((ignored, failure) -> {
            if (failure != null && pending.remove(tracingId) != null) {
                Throwable cause = CompletionFailures.unwrap(failure);
                answer.completeExceptionally(cause instanceof ConnectionLost ? cause : new ConnectionLost(cause.toString()));
            }
        }, serial);
        ScheduledFuture<?> timer = schedule(timeout, () -> {
            if (pending.remove(tracingId) != null) {
                answer.completeExceptionally(new TimeoutException("Genesys did not answer " + tracingId + " within " + timeout.toMillis() + " ms"));
            }
        });
        answer.whenComplete((f, e) -> timer.cancel(false));
        return answer;
    }

    private CompletableFuture<Void> sendRaw(Object request) {
        WebSocket ws = socket;
        if (ws == null) {
            return CompletableFuture.failedFuture(new ConnectionLost("no socket"));
        }
        String text;
        try {
            text = json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot write a web messaging request", e));
        }
        int gen = generation;
        CompletableFuture<Void> sent = sendChain.handle((r, e) -> null)
                .thenCompose(ignored -> ws.sendText(text, true))
                .thenApply(w -> (Void) null);
        sendChain = sent;
        sent.whenCompleteAsync((ignored, failure) -> {
            if (failure != null && gen == generation && socket == ws) {
                // A socket that cannot be written to is gone, whether or not its end was reported.
                ws.abort();
                onSocketClosed(gen, "could not be written to: " + CompletionFailures.unwrap(failure));
            }
        }, serial);
        return sent;
    }

    private void onFrame(int gen, String text) {
        if (gen != generation) {
            return;
        }
        Frame frame;
        try {
            frame = json.readValue(text, Frame.class);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("[{}] ignored a web messaging frame that is not a valid envelope ({} characters): {}", chatId, text.length(),
                    e.getClass().getSimpleName());
            return;
        }
        if (frame.tracingId().isPresent()) {
            CompletableFuture<Frame> waiting = pending.remove(frame.tracingId().get());
            if (waiting != null) {
                waiting.complete(frame);
                return;
            }
        }
        Optional<ResponseClass> kind = frame.responseClass();
        if (kind.isEmpty()) {
            LOG.debug("[{}] ignored a frame of unknown class {}", chatId, frame.className());
            return;
        }
        try {
            switch (kind.get()) {
                case STRUCTURED_MESSAGE -> onStructuredMessage(read(frame, StructuredMessage.class));
                case SESSION_EXPIRED_EVENT -> sessionGone("the session expired");
                case SESSION_CLEARED_EVENT -> {
                    if (state == State.CLOSING) {
                        completeEndWaiter();
                    } else {
                        conversationEnded("the conversation was cleared");
                    }
                }
                case CONNECTION_CLOSED_EVENT -> {
                    if (state == State.CLOSING) {
                        completeEndWaiter();
                    } else {
                        Bodies.ConnectionClosed closed = read(frame, Bodies.ConnectionClosed.class);
                        conversationEnded("Genesys closed this connection (" + closed.reason().orElse("session opened elsewhere") + ")");
                    }
                }
                case LOGOUT_EVENT -> conversationEnded("the user was logged out");
                case UPLOAD_SUCCESS_EVENT -> completeUpload(read(frame, Bodies.UploadSuccess.class).attachmentId(), frame);
                case UPLOAD_FAILURE_EVENT -> completeUpload(read(frame, Bodies.UploadFailure.class).attachmentId(), frame);
                case STRING, ERROR, TOO_MANY_REQUESTS, GENERATE_URL_ERROR -> onUncorrelatedError(frame);
                default -> LOG.debug("[{}] ignored a {} frame", chatId, frame.className());
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] ignored a {} frame that could not be read: {}", chatId, frame.className(), e.toString());
        }
    }

    private void onUncorrelatedError(Frame frame) {
        if (frame.code() == ErrorCode.SESSION_EXPIRED.code() || frame.code() == ErrorCode.SESSION_NOT_FOUND.code()) {
            sessionGone("Genesys answered code " + frame.code());
            return;
        }
        if (inFlight != null && inFlight.tracingId != null) {
            CompletableFuture<Frame> waiting = pending.remove(inFlight.tracingId);
            if (waiting != null) {
                waiting.complete(frame);
                return;
            }
        }
        LOG.warn("[{}] Genesys reported error {} outside any request", chatId, frame.code());
    }

    private void onStructuredMessage(StructuredMessage message) {
        Optional<Direction> direction = message.messageDirection();
        if (direction.isEmpty()) {
            LOG.debug("[{}] ignored a message with unknown direction {}", chatId, message.direction());
            return;
        }
        if (direction.get() == Direction.INBOUND) {
            // The echo of the guest's own message: the confirmation of a send.
            String customId = message.metadata().get("customMessageId");
            if (customId != null && inFlight != null && inFlight.messageId.filter(customId::equals).isPresent() && inFlight.tracingId != null) {
                CompletableFuture<Frame> waiting = pending.remove(inFlight.tracingId);
                if (waiting != null) {
                    waiting.complete(new Frame("message", ResponseClass.STRUCTURED_MESSAGE.wire(), 200, json.valueToTree(message), Optional.empty()));
                }
            }
            return;
        }
        if (catchingUp) {
            liveBuffer.add(message);
            return;
        }
        arrived(message);
    }

    // ---------------------------------------------------------------- Genesys's order

    /** A live outbound message: delivered in Genesys's order, after at most the reorder window. */
    private void arrived(StructuredMessage message) {
        deliverInOrder(order.add(message, clock.instant()));
    }

    private void deliverInOrder(List<StructuredMessage> due) {
        for (StructuredMessage message : due) {
            if (isTerminal() || state == State.CLOSING) {
                order.clear();
                return;
            }
            onOutbound(message, false);
        }
        scheduleOrderRelease();
    }

    private void scheduleOrderRelease() {
        Optional<Instant> next = order.nextRelease();
        if (next.isEmpty() || isTerminal() || state == State.CLOSING) {
            return;
        }
        if (orderTimer != null && orderTimerAt != null && !orderTimerAt.isAfter(next.get())) {
            return;
        }
        if (orderTimer != null) {
            orderTimer.cancel(false);
        }
        orderTimerAt = next.get();
        orderTimer = schedule(Duration.between(clock.instant(), next.get()), () -> {
            orderTimer = null;
            orderTimerAt = null;
            deliverInOrder(order.releaseDue(clock.instant()));
        });
    }

    /** Delivers every held message now (the socket they came on is gone). */
    private void releaseHeldMessages() {
        if (orderTimer != null) {
            orderTimer.cancel(false);
            orderTimer = null;
            orderTimerAt = null;
        }
        for (StructuredMessage message : order.releaseAll()) {
            if (isTerminal() || state == State.CLOSING) {
                order.clear();
                return;
            }
            onOutbound(message, false);
        }
    }

    private void onSocketClosed(int gen, String reason) {
        if (gen != generation) {
            return;
        }
        generation++;
        socket = null;
        failPending(new ConnectionLost(reason));
        stopHealthChecks();
        completeEndWaiter();
        if (state == State.OPEN) {
            releaseHeldMessages();
        }
        if (state == State.OPEN) {
            LOG.info("[{}] the web messaging socket {}; reconnecting", chatId, reason);
            state = State.RECONNECTING;
            disconnectedSince = clock.instant();
            reconnectAttempts = 0;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
            scheduleReconnect();
        } else {
            LOG.debug("[{}] the web messaging socket {} while {}", chatId, reason, state);
        }
    }

    private void dropSocket(String reason) {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        onSocketClosed(generation, reason);
    }

    private void closeSocket() {
        WebSocket ws = socket;
        socket = null;
        generation++;
        failPending(new ConnectionLost("closed by the desk"));
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((w, e) -> ws.abort());
        }
    }

    private void failPending(RuntimeException reason) {
        if (pending.isEmpty()) {
            return;
        }
        List<CompletableFuture<Frame>> waiting = new ArrayList<>(pending.values());
        pending.clear();
        waiting.forEach(f -> f.completeExceptionally(reason));
    }

    // ---------------------------------------------------------------- reconnecting

    private void scheduleReconnect() {
        Duration wait = reconnectBackoff(reconnectAttempts);
        reconnectAttempts++;
        reconnectTimer = schedule(wait, this::reconnectAttempt);
    }

    /** {@code genesys.webMessagingReconnectBackoff} doubled {@code doublings} times, at most the maximum backoff. */
    private Duration reconnectBackoff(int doublings) {
        Duration wait = settings.reconnectBackoff().multipliedBy(1L << Math.min(doublings, 20));
        return wait.compareTo(settings.reconnectBackoffMax()) > 0 ? settings.reconnectBackoffMax() : wait;
    }

    private void reconnectAttempt() {
        if (state != State.RECONNECTING) {
            return;
        }
        if (Duration.between(disconnectedSince, clock.instant()).compareTo(settings.reconnectTimeout()) > 0) {
            LOG.warn("[{}] gave up reconnecting the web messaging socket after {}", chatId, settings.reconnectTimeout());
            conversationEnded("the connection could not be restored");
            return;
        }
        LOG.debug("[{}] reconnect attempt {}", chatId, reconnectAttempts);
        resumeSession(true).whenCompleteAsync((resumed, failure) -> {
            if (state != State.RECONNECTING) {
                return;
            }
            if (failure != null) {
                Throwable cause = CompletionFailures.unwrap(failure);
                if (cause instanceof WebMessagingException wme && wme.isSessionGone()) {
                    sessionGone("Genesys answered code " + wme.code() + " on reconnect");
                    return;
                }
                LOG.info("[{}] reconnect attempt {} failed: {}", chatId, reconnectAttempts, cause.toString());
                closeSocket();
                scheduleReconnect();
                return;
            }
            finishCatchUp(resumed);
            if (state != State.RECONNECTING) {
                return;
            }
            if (resumed.session().readOnly()) {
                conversationEnded("the conversation was disconnected while the socket was down");
                return;
            }
            state = State.OPEN;
            LOG.info("[{}] web messaging socket restored", chatId);
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
            startHealthChecks();
            drain();
        }, serial);
    }

    // ---------------------------------------------------------------- health checks

    private void startHealthChecks() {
        stopHealthChecks();
        long millis = settings.healthCheckInterval().toMillis();
        healthTimer = scheduler.scheduleAtFixedRate(() -> serial.execute(this::healthCheck), millis, millis, TimeUnit.MILLISECONDS);
    }

    private void stopHealthChecks() {
        if (healthTimer != null) {
            healthTimer.cancel(false);
            healthTimer = null;
        }
        echoPending = null;
    }

    private void healthCheck() {
        if (state != State.OPEN || socket == null) {
            return;
        }
        if (echoPending != null) {
            LOG.warn("[{}] the web messaging health check was not answered within {}; reconnecting", chatId, settings.healthCheckInterval());
            dropSocket("did not answer the health check");
            return;
        }
        String tracingId = nextTracingId("echo");
        echoPending = tracingId;
        request(Requests.Echo.ping(token, tracingId), tracingId, settings.healthCheckInterval().multipliedBy(2))
                .whenCompleteAsync((frame, failure) -> {
                    if (failure == null && tracingId.equals(echoPending)) {
                        echoPending = null;
                    }
                }, serial);
    }

    // ---------------------------------------------------------------- outbound queue

    private void enqueue(Outgoing outgoing) {
        queue.add(outgoing);
        drain();
    }

    private void drain() {
        while (inFlight == null && !queue.isEmpty() && socket != null && (state == State.OPEN || state == State.CONNECTING && sessionKnown)) {
            Duration wait = bucket.tryTake();
            if (!wait.isZero()) {
                if (drainTimer == null) {
                    drainTimer = schedule(wait, () -> {
                        drainTimer = null;
                        drain();
                    });
                }
                return;
            }
            Outgoing next = queue.poll();
            next.tracingId = nextTracingId(next.kind == Kind.TEXT ? "msg" : "event");
            if (next.kind == Kind.EVENT) {
                CompletableFuture<Void> sent = sendRaw(Requests.OnMessage.of(token, next.message, next.tracingId));
                sent.whenCompleteAsync((ignored, failure) -> {
                    if (failure == null) {
                        next.done.complete(null);
                    } else {
                        next.done.completeExceptionally(CompletionFailures.unwrap(failure));
                    }
                }, serial);
                continue;
            }
            inFlight = next;
            request(Requests.OnMessage.of(token, next.message, next.tracingId), next.tracingId, settings.sendTimeout())
                    .whenCompleteAsync((frame, failure) -> onSendAnswer(next, frame, failure), serial);
        }
    }

    private void onSendAnswer(Outgoing outgoing, Frame frame, Throwable failure) {
        if (inFlight != outgoing) {
            return; // confirmed another way (history) or abandoned
        }
        inFlight = null;
        if (failure != null) {
            Throwable cause = CompletionFailures.unwrap(failure);
            if (cause instanceof ConnectionLost && !isTerminal() && state != State.CLOSING) {
                queue.addFirst(outgoing); // confirmed from history or sent again after the reconnect
                return;
            }
            outgoing.done.completeExceptionally(cause instanceof TimeoutException
                    ? new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Genesys did not confirm the message in time",
                            "Your message could not be delivered. Please try again.", cause)
                    : cause);
            drain();
            return;
        }
        if (frame.isSuccess()) {
            outgoing.done.complete(null);
        } else if (frame.code() == 429 || frame.code() == ErrorCode.REQUEST_RATE_TOO_HIGH.code()
                || frame.responseClass().filter(c -> c == ResponseClass.TOO_MANY_REQUESTS).isPresent()) {
            int retryAfter = frame.body().path("retryAfter").asInt(1);
            LOG.info("[{}] Genesys asked to slow down for {} s", chatId, retryAfter);
            bucket.pause(Duration.ofSeconds(Math.max(1, retryAfter)));
            queue.addFirst(outgoing);
        } else if (frame.code() == ErrorCode.SESSION_EXPIRED.code() || frame.code() == ErrorCode.SESSION_NOT_FOUND.code()) {
            outgoing.done.completeExceptionally(WebMessagingException.of("the message", frame));
            sessionGone("Genesys answered code " + frame.code());
            return;
        } else {
            outgoing.done.completeExceptionally(WebMessagingException.of("the message", frame));
        }
        drain();
    }

    private void confirmedByHistory(String messageId) {
        if (inFlight != null && inFlight.messageId.filter(messageId::equals).isPresent()) {
            Outgoing confirmed = inFlight;
            inFlight = null;
            confirmed.done.complete(null);
            return;
        }
        Iterator<Outgoing> it = queue.iterator();
        while (it.hasNext()) {
            Outgoing queued = it.next();
            if (queued.messageId.filter(messageId::equals).isPresent()) {
                it.remove();
                queued.done.complete(null);
                return;
            }
        }
    }

    private void failQueued(String reason) {
        List<Outgoing> abandoned = new ArrayList<>(queue);
        queue.clear();
        if (inFlight != null) {
            abandoned.add(inFlight);
            inFlight = null;
        }
        for (Outgoing outgoing : abandoned) {
            outgoing.done.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "The web messaging chat ended before the message was sent", reason, null));
        }
    }

    private void failSend(String messageId, CompletableFuture<Void> done, Throwable cause) {
        sends.remove(messageId);
        ServiceDeskException failure = asServiceDeskException(cause, "send the message");
        if (!isTerminal() && state != State.CLOSING) {
            String reason = failure.messageToUser().orElse("Your message could not be delivered. Please try again.");
            LOG.info("[{}] message {} was not delivered: {}", chatId, messageId, failure.getMessage());
            callback.setErrorStatus(new ErrorInfo.UserMessage(messageId, reason));
        }
        done.completeExceptionally(failure);
    }

    // ---------------------------------------------------------------- files

    private CompletableFuture<List<String>> uploadAll(List<FileUpload> files) {
        CompletableFuture<List<String>> all = CompletableFuture.completedFuture(new ArrayList<>());
        for (FileUpload file : files) {
            all = all.thenComposeAsync(ids -> upload(file).thenApply(id -> {
                ids.add(id);
                return ids;
            }), serial);
        }
        return all;
    }

    private CompletableFuture<String> upload(FileUpload file) {
        Optional<String> refusal = fileRules.refusal(file);
        if (refusal.isPresent()) {
            callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), refusal.get()));
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "File " + file.id() + " is not accepted by the deployment", refusal.get(), null));
        }
        String attachmentId = UUID.randomUUID().toString();
        String tracingId = nextTracingId("attachment");
        CompletableFuture<Frame> stored = new CompletableFuture<>();
        uploads.put(attachmentId, stored);
        return request(Requests.OnAttachment.of(token, attachmentId, file.fileName(), file.contentType(), file.sizeBytes(), tracingId),
                tracingId, settings.sendTimeout()).thenComposeAsync(frame -> {
                    if (!frame.isSuccess()) {
                        throw WebMessagingException.of("the file " + file.fileName(), frame);
                    }
                    Bodies.PresignedUrl presigned = read(frame, Bodies.PresignedUrl.class);
                    HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.url())).timeout(settings.sendTimeout())
                            .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                                try {
                                    return file.content().open();
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }), file.sizeBytes()));
                    presigned.headers().forEach((name, value) -> {
                        if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                            put.header(name, value);
                        }
                    });
                    return http.sendAsync(put.build(), HttpResponse.BodyHandlers.discarding()).thenCompose(response -> {
                        if (response.statusCode() / 100 != 2) {
                            throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                                    "The upload of " + file.fileName() + " answered HTTP " + response.statusCode(),
                                    "The file could not be uploaded. Please try again.", null);
                        }
                        return stored.orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    });
                }, serial).thenApplyAsync(frame -> {
                    if (frame.responseClass().filter(c -> c == ResponseClass.UPLOAD_FAILURE_EVENT).isPresent()) {
                        throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "Genesys refused the uploaded file "
                                + file.fileName() + ": " + frame.errorText(), "The file could not be sent.", null);
                    }
                    callback.setFileUploadStatus(FileUploadStatus.accepted(file.id()));
                    return attachmentId;
                }, serial).whenCompleteAsync((id, failure) -> {
                    uploads.remove(attachmentId);
                    if (failure != null && !isTerminal()) {
                        ServiceDeskException e = asServiceDeskException(CompletionFailures.unwrap(failure), "upload the file");
                        callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), e.messageToUser().orElse("The file could not be sent.")));
                    }
                }, serial);
    }

    private void completeUpload(String attachmentId, Frame frame) {
        CompletableFuture<Frame> waiting = uploads.get(attachmentId);
        if (waiting != null) {
            waiting.complete(frame);
        }
    }

    // ---------------------------------------------------------------- agent side

    private void onOutbound(StructuredMessage message, boolean fromHistory) {
        if (isTerminal() || state == State.CLOSING) {
            return;
        }
        Optional<String> id = idOf(message);
        if (id.isPresent() && delivered.contains(id.get())) {
            return;
        }
        Optional<MessageType> type = message.messageType();
        if (type.isEmpty()) {
            LOG.debug("[{}] ignored an outbound message of unknown type {}", chatId, message.type());
            id.ifPresent(this::remember);
            return;
        }
        switch (type.get()) {
            case TEXT, STRUCTURED, MESSAGE -> deliverText(id.orElseGet(() -> "genesys-" + UUID.randomUUID()), message);
            case EVENT -> {
                for (StructuredMessage.Event event : message.events()) {
                    onEvent(message, event, fromHistory);
                    if (isTerminal()) {
                        return;
                    }
                }
            }
            case RECEIPT -> {
                if (!fromHistory && message.receiptStatus().filter(s -> s == ReceiptStatus.READ).isPresent()) {
                    callback.agentReadMessages();
                }
            }
            default -> LOG.debug("[{}] ignored an outbound {} message", chatId, message.type());
        }
        id.ifPresent(this::remember);
    }

    private void deliverText(String id, StructuredMessage message) {
        StringBuilder text = new StringBuilder(message.text().orElse(""));
        for (StructuredMessage.Content content : message.content()) {
            content.attachment().ifPresent(a -> {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(a.filename().orElse("attachment")).append(a.url().map(u -> ": " + u).orElse(""));
            });
        }
        if (text.toString().isBlank()) {
            LOG.debug("[{}] ignored outbound message {} without text", chatId, id);
            return;
        }
        Optional<Instant> sentAt = message.channel().flatMap(StructuredMessage.Channel::time).flatMap(WireValues::instant);
        if (message.origin().filter(o -> o == OriginatingEntity.BOT).isPresent()) {
            stopAgentTyping();
            callback.sendMessageToUser(new AgentMessage(id, Optional.empty(), text.toString(), MessageOrigin.BOT, sentAt));
        } else {
            AgentProfile from = agentOf(message);
            ensureAgent(from);
            stopAgentTyping();
            callback.sendMessageToUser(new AgentMessage(id, Optional.of(from.id()), text.toString(), MessageOrigin.AGENT, sentAt));
        }
        lastMessageId = Optional.of(id);
        persist();
    }

    private void onEvent(StructuredMessage message, StructuredMessage.Event event, boolean fromHistory) {
        Optional<EventType> kind = event.kind();
        if (kind.isEmpty()) {
            LOG.debug("[{}] ignored an event of unknown type {}", chatId, event.eventType());
            return;
        }
        switch (kind.get()) {
            case TYPING -> {
                if (fromHistory) {
                    return;
                }
                Optional<TypingType> typing = event.typing().flatMap(StructuredMessage.Typing::typingType);
                if (typing.filter(t -> t == TypingType.ON).isPresent()) {
                    long millis = event.typing().get().duration().orElse(settings.agentTypingDuration().toMillis());
                    startAgentTyping(Duration.ofMillis(Math.max(100, millis)));
                } else if (typing.filter(t -> t == TypingType.OFF).isPresent()) {
                    stopAgentTyping();
                }
            }
            case PRESENCE -> {
                Optional<PresenceType> presence = event.presence().flatMap(StructuredMessage.Presence::presenceType);
                if (presence.isEmpty()) {
                    LOG.debug("[{}] ignored a presence event of unknown type", chatId);
                    return;
                }
                switch (presence.get()) {
                    case JOIN -> {
                        if (message.origin().filter(o -> o == OriginatingEntity.HUMAN).isPresent()) {
                            ensureAgent(agentOf(message));
                        }
                    }
                    case DISCONNECT -> conversationEnded("Genesys disconnected the conversation"
                            + ("true".equals(message.metadata().get("readOnly")) ? " (read-only)" : ""));
                    case CLEAR -> conversationEnded("the conversation was cleared");
                    case SESSION_EXPIRED -> sessionGone("the session expired");
                    default -> LOG.debug("[{}] ignored presence {}", chatId, presence.get());
                }
            }
            default -> LOG.debug("[{}] ignored a {} event", chatId, event.eventType());
        }
    }

    private AgentProfile agentOf(StructuredMessage message) {
        Optional<StructuredMessage.Participant> from = message.from();
        if (from.isPresent()) {
            String name = from.get().displayName().orElse(settings.agentFallbackName());
            String id = from.get().id().filter(i -> !i.isBlank()).orElse(name);
            return new AgentProfile(id, name, from.get().image().flatMap(WireValues::absoluteUri));
        }
        return agent.orElseGet(() -> new AgentProfile(FALLBACK_AGENT_ID, settings.agentFallbackName()));
    }

    private void ensureAgent(AgentProfile profile) {
        if (agent.isPresent() && agent.get().id().equals(profile.id())) {
            return;
        }
        stopQueueWatch();
        stopAgentTyping();
        if (agent.isPresent()) {
            LOG.info("[{}] another agent took over the chat", chatId);
            callback.beginTransferToAnotherAgent(Optional.of(profile));
        } else {
            LOG.info("[{}] an agent joined", chatId);
        }
        agent = Optional.of(profile);
        callback.agentJoined(profile);
        persist();
    }

    private void startAgentTyping(Duration duration) {
        if (!agentTyping) {
            agentTyping = true;
            callback.agentTyping(true);
        }
        if (typingTimer != null) {
            typingTimer.cancel(false);
        }
        typingTimer = schedule(duration, this::stopAgentTyping);
    }

    private void stopAgentTyping() {
        if (typingTimer != null) {
            typingTimer.cancel(false);
            typingTimer = null;
        }
        if (agentTyping) {
            agentTyping = false;
            if (!isTerminal() && state != State.CLOSING) {
                callback.agentTyping(false);
            }
        }
    }

    /** The agent or Genesys ended the conversation: the last callback of the chat. */
    private void conversationEnded(String reason) {
        if (isTerminal() || state == State.CLOSING) {
            return;
        }
        if (state == State.CONNECTING || state == State.NEW) {
            LOG.info("[{}] the web messaging session ended while starting: {}", chatId, reason);
            state = State.FAILED;
            cancelTimers();
            failQueued("The chat has ended.");
            closeSocket();
            return;
        }
        LOG.info("[{}] the chat ended: {}", chatId, reason);
        stopAgentTyping();
        state = State.ENDED;
        cancelTimers();
        failQueued("The chat has ended.");
        closeSocket();
        callback.agentEndedChat();
    }

    private void sessionGone(String reason) {
        conversationEnded(reason);
    }

    // ---------------------------------------------------------------- queue status while waiting

    /** While no human agent has joined, the queue's waiting count and estimated wait, refreshed ({@code QUEUE_STATUS}). */
    private void watchQueueWhileWaiting() {
        if (queueWatch != null || agent.isPresent() || !capabilities.contains(Capability.QUEUE_STATUS) || isTerminal()
                || state == State.CLOSING) {
            return;
        }
        // Web messaging tells the guest no conversation id: the estimate is the queue's.
        queueWatch = queueStatus.watchWhileWaiting(chatId, serial, Optional::empty,
                () -> agent.isEmpty() && !isTerminal() && state != State.CLOSING, callback::updateAgentAvailability);
    }

    private void stopQueueWatch() {
        if (queueWatch != null) {
            queueWatch.stop();
            queueWatch = null;
        }
    }

    // ---------------------------------------------------------------- ending

    private CompletableFuture<Void> sendEnd() {
        endWaiter = new CompletableFuture<>();
        CompletableFuture<Void> waiter = endWaiter;
        if (settings.endChatMode() == WebMessagingSettings.EndChatMode.CLOSE_SESSION) {
            sendCloseSession();
        } else {
            String tracingId = nextTracingId("clear");
            StructuredMessage clear = StructuredMessage.guestEvent(StructuredMessage.Event.presence(PresenceType.CLEAR));
            request(Requests.OnMessage.of(token, clear, tracingId), tracingId, settings.sendTimeout()).whenCompleteAsync((frame, failure) -> {
                if (failure != null) {
                    waiter.complete(null);
                } else if (!frame.isSuccess()) {
                    if (settings.endChatMode() == WebMessagingSettings.EndChatMode.AUTO) {
                        LOG.info("[{}] the deployment does not allow clearing (code {}); closing the session instead", chatId, frame.code());
                        sendCloseSession();
                    } else {
                        waiter.completeExceptionally(WebMessagingException.of("Presence Clear", frame));
                    }
                } else if (frame.responseClass().filter(c -> c == ResponseClass.SESSION_CLEARED_EVENT).isPresent()) {
                    waiter.complete(null);
                }
            }, serial);
        }
        return waiter;
    }

    private void sendCloseSession() {
        CompletableFuture<Void> waiter = endWaiter;
        String tracingId = nextTracingId("close");
        request(Requests.CloseSession.all(token, tracingId), tracingId, settings.sendTimeout()).whenCompleteAsync((frame, failure) -> {
            if (waiter != null && failure == null && !frame.isSuccess()) {
                waiter.completeExceptionally(WebMessagingException.of("closeSession", frame));
            } else if (waiter != null) {
                waiter.complete(null);
            }
        }, serial);
    }

    private void completeEndWaiter() {
        if (endWaiter != null) {
            endWaiter.complete(null);
        }
    }

    // ---------------------------------------------------------------- failure helpers

    private void failStart(CompletableFuture<Void> result, Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        ServiceDeskException e = asServiceDeskException(cause, "start the chat");
        LOG.warn("[{}] the web messaging chat did not start: {}", chatId, e.getMessage());
        if (state == State.CONNECTING) {
            state = State.FAILED;
            cancelTimers();
            failQueued("The chat could not start.");
            closeSocket();
            callback.setErrorStatus(new ErrorInfo.Connecting(Optional.of(e.messageToUser()
                    .orElse("The chat could not be connected to an agent. Please try again later."))));
        }
        // Otherwise the user ended the chat while it started: endChat closes what is open, and nothing is reported.
        result.completeExceptionally(e);
    }

    private ServiceDeskException asServiceDeskException(Throwable cause, String action) {
        if (cause instanceof ServiceDeskException e) {
            return e;
        }
        if (cause instanceof TimeoutException) {
            return new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Genesys web messaging did not answer in time to "
                    + action, "The chat service is not answering right now. Please try again later.", cause);
        }
        if (cause instanceof ConnectionLost) {
            return new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Could not " + action + ": " + cause.getMessage(),
                    "The connection to the chat service was lost. Please try again.", cause);
        }
        return new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "Could not " + action + ": " + cause, null, cause);
    }

    private void cancelTimers() {
        stopHealthChecks();
        stopQueueWatch();
        order.clear();
        if (orderTimer != null) {
            orderTimer.cancel(false);
            orderTimer = null;
            orderTimerAt = null;
        }
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
        if (drainTimer != null) {
            drainTimer.cancel(false);
            drainTimer = null;
        }
        if (typingTimer != null) {
            typingTimer.cancel(false);
            typingTimer = null;
        }
    }

    private boolean isTerminal() {
        return state == State.ENDED || state == State.CLOSED || state == State.FAILED;
    }

    // ---------------------------------------------------------------- small helpers

    private void persist() {
        if (isTerminal() || state == State.CLOSING || token == null) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KEY_TRANSPORT, TRANSPORT);
        values.put(KEY_TOKEN, token);
        lastMessageId.ifPresent(id -> values.put(KEY_LAST_MESSAGE, id));
        agent.ifPresent(a -> {
            values.put(KEY_AGENT_ID, a.id());
            values.put(KEY_AGENT_NAME, a.nickname());
            a.avatarUrl().ifPresent(u -> values.put(KEY_AGENT_IMAGE, u.toString()));
        });
        verifiedUser.ifPresent(u -> values.put(KEY_USER_ID, u.id()));
        PersistedState state = new PersistedState(values);
        if (!state.equals(lastPersisted)) {
            lastPersisted = state;
            callback.updatePersistedState(state);
        }
    }

    private void remember(String id) {
        delivered.add(id);
        if (delivered.size() > REMEMBERED_IDS) {
            Iterator<String> oldest = delivered.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    private static Optional<String> idOf(StructuredMessage message) {
        return message.id().or(() -> message.channel().flatMap(StructuredMessage.Channel::messageId));
    }

    private <T> T read(Frame frame, Class<T> type) {
        try {
            return json.treeToValue(frame.body(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + frame.className() + " body that is not a valid " + type.getSimpleName(), e);
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return scheduler.schedule(() -> serial.execute(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void propagate(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((ok, failure) -> {
            if (failure == null) {
                to.complete(null);
            } else {
                to.completeExceptionally(CompletionFailures.unwrap(failure));
            }
        });
    }

    private static String nextTracingId(String purpose) {
        return purpose + "-" + TRACING.incrementAndGet();
    }
}

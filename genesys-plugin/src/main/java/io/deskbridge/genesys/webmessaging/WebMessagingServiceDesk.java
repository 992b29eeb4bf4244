package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.ChatLane;
import static io.deskbridge.genesys.webmessaging.WebMessagingFailures.propagate;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.IdempotentSends;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.genesys.webmessaging.WebMessagingSession.Resumed;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat over Genesys Cloud Web Messaging: a guest session on one WebSocket.
 *
 * <p>{@code startChat} reads the deployment's configuration (shared by the desk's chats), opens the socket, configures a
 * session with a random token (kept in the persisted state: {@link #reconnect()} resumes the conversation from it) and
 * sends the connect summary with the routing hints as custom attributes. What the deployment turns off (user typing,
 * files, Clear) the chat does not do, and {@code updateCapabilities} says so. A dropped socket gives
 * {@code Disconnected(true)}, a reconnect with backoff and a history catch-up, then {@code Disconnected(false)}.
 * {@code areAnyAgentsOnline} and the queue status come from the {@link QueueAvailabilityClient} (client credentials).
 *
 * <p>How the work is divided among the package's parts, and on which threads it runs: see the package documentation.
 */
public final class WebMessagingServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingServiceDesk.class);

    private enum State { NEW, CONNECTING, OPEN, RECONNECTING, CLOSING, CLOSED, ENDED, FAILED }

    private final String chatId;
    private final DeskMetrics metrics;
    private final ServiceDeskCallback callback;
    /** The application's callback, closed when the user ends the chat: nothing reaches it after the end. */
    private final CallbackGate gate;
    private final Optional<PersistedState> persisted;
    private final WebMessagingSettings settings;
    private final Set<Capability> capabilities;
    private final QueueAvailabilityClient queueStatus;
    private final ObjectMapper json;
    private final ChatLane serial;
    private final WebMessagingSocket socket;
    private final WebMessagingUploads uploads;
    private final WebMessagingSession session;
    private final WebMessagingSender sender;
    private final WebMessagingAgents agents;
    private final WebMessagingConversation conversation;
    private final WebMessagingEnding ending;
    private final WebMessagingReconnects reconnects;
    private final WebMessagingShutdown shutdown;
    /** Each user message sent once by its id: a retry joins the send in flight or gets the accepted outcome. */
    private final IdempotentSends sends = new IdempotentSends();

    // Everything below is touched on the serial executor only.
    private State state = State.NEW;
    private ChatState chatState = ChatState.empty();
    private final WebMessagingDeploymentConfigs configs;
    /** The deployment's configuration as this chat read it when it started. */
    private WebMessagingDeploymentConfig config = WebMessagingDeploymentConfig.DEFAULTS;

    WebMessagingServiceDesk(DeskContext context, WebMessagingRuntime runtime) {
        requireNonNull(context, "context is null");
        requireNonNull(runtime, "runtime is null");
        this.chatId = context.chatId();
        this.serial = new ChatLane(context.chatId(), runtime.workers(), runtime.scheduler());
        this.gate = new CallbackGate(chatId, context.callback(), serial);
        this.callback = gate;
        this.persisted = context.persistedState();
        this.metrics = context.metrics();
        this.settings = runtime.settings();
        this.capabilities = runtime.capabilities();
        this.queueStatus = runtime.queue();
        this.json = runtime.json();
        ChatLane timers = serial;
        WebMessagingDeskEvents events = new WebMessagingDeskEvents(this);
        WebMessagingRequestMetrics requests = new WebMessagingRequestMetrics(metrics);
        this.socket = new WebMessagingSocket(chatId, settings, runtime.sockets().clientFor(chatId), json, timers, events, requests);
        this.uploads = new WebMessagingUploads(chatId, settings, socket, runtime.http(), callback, timers, this::token, this::isRunning,
                requests);
        this.session = new WebMessagingSession(chatId, settings, socket, new WebMessagingHistory(runtime.http(), json, settings, metrics),
                runtime.authCodes(), timers, uploads, callback, () -> conversationEnded("the session expired"));
        this.configs = runtime.configs();
        this.sender = new WebMessagingSender(chatId, settings, socket, timers, new TokenBucket(runtime.clock(), settings.outboundRate()),
                this::token, events, callback, uploads, runtime.clock(), metrics);
        this.agents = new WebMessagingAgents(chatId, callback, settings, timers, runtime.queue(), capabilities, this::isRunning, this::persist);
        this.conversation = new WebMessagingConversation(chatId, callback, settings, runtime.clock(), timers, json, sender, uploads, agents,
                events);
        this.ending = new WebMessagingEnding(chatId, settings, socket, serial, sender, runtime.clock());
        this.reconnects = new WebMessagingReconnects(chatId, settings, runtime.clock(), timers, session, conversation, socket, events, metrics);
        this.shutdown = new WebMessagingShutdown(chatId, gate, socket, conversation, reconnects, session, sender);
    }

    private String token() {
        return session.token();
    }

    // ---------------------------------------------------------------- what the parts tell the desk (WebMessagingDeskEvents)

    void frameArrived(Frame frame) {
        if (settings.authenticated() && WebMessagingSession.asksToAuthenticateAgain(frame) && socket.isOpen()) {
            socket.drop("Genesys asked to authenticate again (403): reconnecting, which configures with a fresh code");
            return;
        }
        conversation.frame(frame);
    }

    boolean mayWrite() {
        return socket.isOpen() && (state == State.OPEN || state == State.CONNECTING && session.known());
    }

    boolean isReconnecting() {
        return state == State.RECONNECTING;
    }

    void sessionExpiresAt(java.time.Instant expiry) {
        session.expiresAt(expiry);
    }

    void sessionActivity() {
        session.activity();
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
            if (settings.authenticated() && options.verifiedUser().isEmpty()) {
                failStart(result, new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The Genesys deployment requires authenticated chats (genesys.authenticatedChat=true) and startChat "
                                + "was called without StartChatOptions.verifiedUser",
                        "Please sign in to chat with an agent.", null));
                return;
            }
            session.create(options.verifiedUser());
            LOG.info("chat={} starting a web messaging session", chatId);
            configs.current().thenComposeAsync(read -> {
                        config = read;
                        uploads.deploymentConfig(read);
                        return session.open(() -> state == State.CONNECTING);
                    }, serial)
                    .thenComposeAsync(response -> {
                        WebMessagingCapabilities.report(callback, capabilities, config, session.acceptsFiles());
                        persist();
                        return sender.sendFirst(request, options, chatState, json, session, config.autoStart());
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
                        socket.startHealthChecks(session.token());
                        sender.drain();
                        LOG.info("chat={} web messaging chat started", chatId);
                        result.complete(null);
                        agents.watchQueueWhileWaiting();
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
            if (persisted.filter(session::restore).isEmpty()) {
                LOG.info("chat={} no web messaging session to resume", chatId);
                state = State.FAILED;
                result.complete(false);
                return;
            }
            PersistedState p = persisted.get();
            conversation.restore(p.get(WebMessagingPersistence.KEY_LAST_MESSAGE));
            agents.restore(WebMessagingPersistence.agent(p, settings.agentFallbackName()));
            state = State.CONNECTING;
            LOG.info("chat={} resuming a web messaging session", chatId);
            configs.current().thenComposeAsync(read -> {
                config = read;
                uploads.deploymentConfig(read);
                return session.resume(conversation, Duration.ZERO);
            }, serial).whenCompleteAsync((resumed, failure) -> {
                if (state != State.CONNECTING) {
                    result.complete(false);
                    return;
                }
                if (failure != null) {
                    Optional<ServiceDeskException> error = shutdown.resumeFailed(failure);
                    state = State.FAILED;
                    error.ifPresentOrElse(result::completeExceptionally, () -> result.complete(false));
                    return;
                }
                if (resumed.session().readOnly()) {
                    LOG.info("chat={} the web messaging conversation ended while the chat was away", chatId);
                    socket.close();
                    state = State.FAILED;
                    result.complete(false);
                    return;
                }
                state = State.OPEN;
                WebMessagingCapabilities.report(callback, capabilities, config, session.acceptsFiles());
                result.complete(true);
                // After the application learnt the chat is back: what was missed, then live traffic.
                conversation.finishCatchUp(resumed.missed());
                if (state == State.OPEN) {
                    socket.startHealthChecks(session.token());
                    sender.drain();
                    agents.watchQueueWhileWaiting();
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
                socket.close();
                state = State.CLOSED;
                result.complete(null);
                return;
            }
            LOG.info("chat={} the user ends the web messaging chat", chatId);
            shutdown.stop("The chat has ended.");
            if (!socket.isOpen() && !session.mayExist()) {
                // A new chat still opening its first socket (a start that is trying again): Genesys has no session to end.
                state = State.CLOSED;
                result.complete(null);
                return;
            }
            state = State.CLOSING;
            gate.close();
            configs.current().thenComposeAsync(read -> ending.end(session, read), serial).whenCompleteAsync((ignored, failure) -> {
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
                LOG.info("chat={} detached: the web messaging session stays open at Genesys for another process", chatId);
                state = State.CLOSED;
                shutdown.detach();
            }
            result.complete(null);
        });
        return result;
    }

    // ---------------------------------------------------------------- user actions

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        return sends.send(message.id(), () -> serial.call(result -> {
            if (state == State.NEW || state == State.CONNECTING && !session.known()) {
                result.completeExceptionally(new IllegalStateException("sendMessageToAgent called before startChat"));
            } else if (isTerminal()) {
                result.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The web messaging chat has ended; message " + message.id() + " was not sent", "The chat has ended.", null));
            } else {
                propagate(sender.send(message), result);
            }
        }));
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            ChatState before = chatState;
            chatState = state;
            if (this.state != State.NEW) {
                sender.stateChanged(before, state, json, session.maxCustomDataBytes());
            }
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            // Genesys refuses typing events where the deployment does not show them (its messenger SDK sends none).
            if (isTyping && state == State.OPEN && config.showUserTypingIndicator()) {
                sender.userTyping();
            }
            result.complete(null);
        });
        return result;
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        if (!capabilities.contains(Capability.AGENTS_ONLINE)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.AGENTS_ONLINE));
        }
        return queueStatus.agentsOnline(chatId);
    }

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> files) {
        requireNonNull(files, "files is null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (session.known() && !isTerminal()) {
                uploads.refuseEarly(files);
            }
            result.complete(null);
        });
        return result;
    }

    // ---------------------------------------------------------------- session

    void onSocketLost(String reason) {
        ending.confirmed();
        if (state != State.OPEN) {
            LOG.debug("chat={} the web messaging socket {} while {}", chatId, reason, state);
            shutdown.socketLostWhileNotOpen(state == State.CONNECTING, reason);
            return;
        }
        conversation.releaseHeld();
        if (state == State.OPEN) {
            LOG.info("chat={} the web messaging socket {}; reconnecting", chatId, reason);
            state = State.RECONNECTING;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
            reconnects.start();
        }
    }

    void resumed(Resumed resumed) {
        conversation.finishCatchUp(resumed.missed());
        if (state != State.RECONNECTING) {
            return;
        }
        if (!socket.isOpen()) {
            // The new socket failed while the history was read (its close was only logged, the chat being
            // RECONNECTING): declaring the chat open now would leave it on no socket, out of the health check's reach.
            // What the history held was delivered; another attempt fetches the rest.
            LOG.info("chat={} reconnect failed: the new socket closed during the history catch-up", chatId);
            reconnects.again();
            return;
        }
        if (resumed.session().readOnly()) {
            conversationEnded("the conversation was disconnected while the socket was down");
            return;
        }
        state = State.OPEN;
        LOG.info("chat={} web messaging socket restored", chatId);
        callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        socket.startHealthChecks(session.token());
        sender.drain();
    }

    // ---------------------------------------------------------------- the end

    /**
     * The agent's {@code Presence Disconnect}. With {@code genesys.webMessagingAgentDisconnect=end}, or where the
     * session becomes read-only (the event's {@code metadata.readOnly}, else the deployment's
     * {@code conversationDisconnect}, as Genesys's messenger reads them), the chat ends; otherwise the agent leaves and
     * the chat stays open for the user's next message, which Genesys routes again. A live disconnect is acted on after
     * a history catch-up: the socket may still owe agent messages sent before it.
     */
    void agentDisconnected(String reason, Optional<Boolean> readOnly, boolean fromHistory) {
        boolean ends = settings.agentDisconnect().endsChat(readOnly, config);
        if (fromHistory || state != State.OPEN) {
            // The catch-up that read it delivered what came before it (or no socket owes anything).
            doAfterDisconnect(ends, reason);
        } else if (ends) {
            session.catchUp(conversation).whenCompleteAsync((ignored, failure) -> conversationEnded(reason), serial);
        } else {
            // The agent leaves after what the agent sent before the disconnect, and before what came after it.
            session.catchUp(conversation, agents::left);
        }
    }

    private void doAfterDisconnect(boolean ends, String reason) {
        if (ends) {
            conversationEnded(reason);
        } else {
            agents.left();
        }
    }

    /** The agent or Genesys ended the conversation: the last callback of the chat. */
    void conversationEnded(String reason) {
        if (state == State.CLOSING) {
            ending.confirmed(); // the user's end, confirmed (SessionClearedEvent, ConnectionClosedEvent)
            return;
        }
        if (!isRunning()) {
            return;
        }
        if (state == State.CONNECTING || state == State.NEW) {
            LOG.info("chat={} the web messaging session ended while starting: {}", chatId, reason);
            state = State.FAILED;
            shutdown.close("The chat has ended.");
            return;
        }
        LOG.info("chat={} the chat ended: {}", chatId, reason);
        agents.stopTyping();
        state = State.ENDED;
        shutdown.agentEnded();
    }

    private void failStart(CompletableFuture<Void> result, Throwable failure) {
        ServiceDeskException e = shutdown.startFailure(failure);
        if (state == State.CONNECTING) {
            state = State.FAILED;
            shutdown.startFailed(e);
        }
        // Otherwise the user ended the chat while it started: endChat closes what is open, and nothing is reported.
        result.completeExceptionally(e);
    }

    private boolean isTerminal() {
        return state == State.ENDED || state == State.CLOSED || state == State.FAILED;
    }

    /** Whether the chat still runs: neither ending nor ended. */
    boolean isRunning() {
        return !isTerminal() && state != State.CLOSING;
    }

    // ---------------------------------------------------------------- persisted state

    void persist() {
        if (isRunning()) {
            session.persist(conversation.lastMessageId(), agents.agent());
        }
    }
}

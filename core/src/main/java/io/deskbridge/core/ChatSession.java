package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.metrics.ChatMetrics;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One chat, as an application uses it: it owns a fresh {@link ServiceDesk} and the application's
 * {@link ServiceDeskCallback}, and guarantees the contract's rules to the application whatever the desk does.
 *
 * <ul>
 *   <li>Callbacks reach the application one at a time, in order, on a per-chat {@link SerialExecutor} over the
 *       shared worker pool (rule 12), never from inside the application's own call into the session.</li>
 *   <li>A {@link ContractMonitor} keeps the chat's state and drops or corrects what would show the user an
 *       impossible sequence: a second {@code agentEndedChat} (rule 6), callbacks after {@code endChat} (rule 7), a
 *       duplicate agent message (rule 8), a typing indicator left on (rule 9: turned off before an agent message,
 *       transfer, leave or end, and expired after {@link SessionSettings#agentTypingTimeout()}). Each violation is
 *       logged with the rule number.</li>
 *   <li>User typing is throttled to one {@code userTyping(true)} per {@link SessionSettings#userTypingInterval()}.</li>
 *   <li>The latest {@link PersistedState} is kept for {@link #persistedState()}.</li>
 * </ul>
 *
 * Methods may be called from any thread. Create sessions with {@link Deskbridge#openChat} or
 * {@link Deskbridge#resumeChat}.
 */
public final class ChatSession {
    private static final Logger LOG = LoggerFactory.getLogger(ChatSession.class);
    private static final ThreadLocal<ChatSession> CALLING_DESK = new ThreadLocal<>();

    private final String chatId;
    private final ServiceDeskCallback application;
    private final SerialExecutor serial;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final SessionSettings settings;
    private final ContractMonitor monitor;
    private final ServiceDesk desk;
    private final AtomicInteger callbacksInFlight = new AtomicInteger();
    private final ChatMetrics metrics;
    // Whether the chat was begun by reconnect(), for the kind of start its metrics count. Guarded by the monitor.
    private boolean resumed;

    // The monitor is guarded by its own lock: the application's calls and the serial executor both use it.
    // These fields are copies of its state, written under that lock, read from any thread.
    private volatile ChatStatus status = ChatStatus.NEW;
    private volatile Optional<AgentProfile> agent = Optional.empty();
    private volatile Optional<PersistedState> persistedState;
    private volatile Set<Capability> capabilities;
    /** Set by {@link #detach()}: from then on nothing reaches the application. */
    private volatile boolean detached;

    // Guarded by this.
    private Instant lastUserTypingSent;
    private boolean userTypingSent;

    ChatSession(String chatId, ServiceDeskFactory factory, ServiceDeskCallback application, Optional<PersistedState> persisted,
            Executor workers, ScheduledExecutorService scheduler, Clock clock, SessionSettings settings,
            ChatMetrics metrics, DeskMetrics deskMetrics) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.application = requireNonNull(application, "application is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.serial = SerialExecutor.forChat(chatId, requireNonNull(workers, "workers is null"));
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.monitor = new ContractMonitor(clock, settings.agentTypingTimeout());
        this.persistedState = requireNonNull(persisted, "persisted is null");
        this.desk = requireNonNull(ChatLogContext.call(chatId, () -> factory.create(
                new DeskContext(chatId, CallbackEvent.recorder(this::fromDesk), persisted, requireNonNull(deskMetrics, "deskMetrics is null")))),
                "the desk factory returned null");
        this.capabilities = Set.copyOf(desk.capabilities());
    }

    /** The chat's id, as the desk was given it in its {@code DeskContext} and as log lines name it. */
    public String chatId() {
        return chatId;
    }

    /** The desk's name for people. */
    public String deskName() {
        return desk.name();
    }

    /** What the desk supports, updated when the desk calls {@code updateCapabilities}. */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** Where the chat is, as far as the application has been told. */
    public ChatStatus status() {
        return status;
    }

    /** The agent in the chat, if one is. */
    public Optional<AgentProfile> agent() {
        return agent;
    }

    /** The desk's latest state for {@link Deskbridge#resumeChat}, if it reported one. */
    public Optional<PersistedState> persistedState() {
        return persistedState;
    }

    /**
     * See {@link ServiceDesk#startChat}. The desk is called before this method returns, on the calling thread, so
     * calls made after it (a first message, {@code endChat}) reach the desk after {@code startChat}. Fails with
     * {@link IllegalStateException} if the chat already started, reconnected or ended (rule 1).
     */
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        Optional<IllegalStateException> refused = begin("start", false);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        return callDesk(() -> desk.startChat(request, options))
                .handle((result, failure) -> onSerial(() -> {
                    synchronized (monitor) {
                        if (failure == null) {
                            monitor.started();
                        } else {
                            monitor.startFailed();
                        }
                        publishState();
                    }
                    return result;
                }, failure))
                .thenCompose(s -> s);
    }

    /**
     * See {@link ServiceDesk#reconnect()}; called instead of {@link #startChat}, on a session from
     * {@link Deskbridge#resumeChat}. Completes with {@code true} when the chat continues (an agent is in it), with
     * {@code false} when it is gone (the session is then {@link ChatStatus#FAILED}). Fails with
     * {@link IllegalStateException} if the chat already started, reconnected or ended (rule 1).
     */
    public CompletionStage<Boolean> reconnect() {
        Optional<IllegalStateException> refused = begin("reconnect", true);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(refused.get());
        }
        return callDesk(desk::reconnect)
                .handle((resumed, failure) -> onSerial(() -> {
                    synchronized (monitor) {
                        if (failure == null) {
                            monitor.reconnected(Boolean.TRUE.equals(resumed));
                        } else {
                            monitor.startFailed();
                        }
                        publishState();
                    }
                    return resumed;
                }, failure))
                .thenCompose(s -> s);
    }

    /**
     * See {@link ServiceDesk#endChat}. Once the stage completed, the application gets no callback for this chat (rule
     * 7). Idempotent: after the user ended the chat it completes at once; a chat the agent ended or that failed to
     * start is still ended at the desk, so that it releases what it holds; a chat never started is not sent to the
     * desk, and can no longer be started.
     */
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        synchronized (monitor) {
            ChatStatus now = monitor.status();
            if (now == ChatStatus.ENDED_BY_USER) {
                return CompletableFuture.completedFuture(null);
            }
            if (now == ChatStatus.NEW) {
                monitor.endedByUser();
                publishState();
                return CompletableFuture.completedFuture(null);
            }
        }
        return callDesk(() -> desk.endChat(info))
                .handle((result, failure) -> onSerial(() -> {
                    synchronized (monitor) {
                        monitor.endedByUser();
                        publishState();
                    }
                    return result;
                }, failure))
                .thenCompose(s -> s);
    }

    /**
     * See {@link ServiceDesk#detach()}: this process lets go of the chat, which stays open at the vendor for a
     * session elsewhere to {@link #reconnect()} to. From this call on no callback reaches the application (what the
     * desk still reports is dropped: the process that takes the chat over delivers what the user has not seen).
     * Completes when the desk let go; fails with {@link io.deskbridge.spi.UnsupportedCapabilityException} for a desk
     * without {@link Capability#RECONNECT}. Idempotent.
     */
    public CompletionStage<Void> detach() {
        detached = true;
        return callDesk(desk::detach);
    }

    /** Whether {@link #detach()} was called. */
    public boolean isDetached() {
        return detached;
    }

    /** See {@link ServiceDesk#sendMessageToAgent}. */
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        return callDesk(() -> counted(desk.sendMessageToAgent(message)));
    }

    /** {@code stage}, counted in the chat metrics before the application hears of its outcome. */
    private CompletionStage<Void> counted(CompletionStage<Void> stage) {
        if (stage == null) {
            return null;
        }
        return stage.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.messageToAgent();
            } else {
                metrics.messageFailed(failure);
            }
        });
    }

    /** See {@link ServiceDesk#updateState}. */
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        return callDesk(() -> desk.updateState(state));
    }

    /**
     * See {@link ServiceDesk#userTyping}. Throttled: {@code true} reaches the desk at most once per
     * {@link SessionSettings#userTypingInterval()}; {@code false} only after a {@code true} did.
     */
    public CompletionStage<Void> userTyping(boolean isTyping) {
        synchronized (this) {
            Instant now = clock.instant();
            if (isTyping) {
                if (userTypingSent && lastUserTypingSent != null
                        && now.isBefore(lastUserTypingSent.plus(settings.userTypingInterval()))) {
                    return CompletableFuture.completedFuture(null);
                }
                userTypingSent = true;
                lastUserTypingSent = now;
            } else {
                if (!userTypingSent) {
                    return CompletableFuture.completedFuture(null);
                }
                userTypingSent = false;
                lastUserTypingSent = null;
            }
        }
        return callDesk(() -> desk.userTyping(isTyping));
    }

    /** See {@link ServiceDesk#userReadMessages}. */
    public CompletionStage<Void> userReadMessages() {
        return callDesk(desk::userReadMessages);
    }

    /** See {@link ServiceDesk#areAnyAgentsOnline}. */
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        return callDesk(() -> desk.areAnyAgentsOnline(request));
    }

    /** See {@link ServiceDesk#filesSelectedForUpload}. */
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        requireNonNull(uploads, "uploads is null");
        return callDesk(() -> desk.filesSelectedForUpload(List.copyOf(uploads)));
    }

    /** Moves a fresh chat to STARTING, or says why it cannot start (rule 1). */
    private Optional<IllegalStateException> begin(String action, boolean resume) {
        synchronized (monitor) {
            ChatStatus before = monitor.status();
            if ((resume ? monitor.resuming() : monitor.starting()).isPresent()) {
                return Optional.of(new IllegalStateException("Cannot " + action + " chat " + chatId + ": it is " + before
                        + "; a desk serves one chat, so a new chat needs a new session (rule 1)"));
            }
            resumed = resume;
            publishState();
            return Optional.empty();
        }
    }

    /** Calls into the desk, marking the thread so a callback made from inside the call is caught (rule 12). */
    private <T> CompletionStage<T> callDesk(Supplier<CompletionStage<T>> call) {
        ChatSession outer = CALLING_DESK.get();
        CALLING_DESK.set(this);
        String outerChat = ChatLogContext.current();
        MDC.put(ChatLogContext.MDC_KEY, chatId);
        try {
            CompletionStage<T> stage = call.get();
            if (stage == null) {
                return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.INTERNAL,
                        "The " + desk.name() + " desk returned null instead of a CompletionStage (a desk reports a failure with a failed stage)"));
            }
            // Complete the application's stage on the chat's executor, never on a vendor I/O thread.
            CompletableFuture<T> result = new CompletableFuture<>();
            stage.whenComplete((value, failure) -> serial.execute(() -> {
                if (failure != null) {
                    result.completeExceptionally(CompletionFailures.unwrap(failure));
                } else {
                    result.complete(value);
                }
            }));
            return result;
        } catch (RuntimeException e) {
            LOG.warn("chat={} the {} desk threw instead of failing its stage", chatId, desk.name(), e);
            return CompletableFuture.failedFuture(e);
        } finally {
            if (outerChat == null) {
                MDC.remove(ChatLogContext.MDC_KEY);
            } else {
                MDC.put(ChatLogContext.MDC_KEY, outerChat);
            }
            if (outer == null) {
                CALLING_DESK.remove();
            } else {
                CALLING_DESK.set(outer);
            }
        }
    }

    private <T> CompletionStage<T> onSerial(Supplier<T> action, Throwable failure) {
        CompletableFuture<T> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                T value = action.get();
                if (failure != null) {
                    done.completeExceptionally(CompletionFailures.unwrap(failure));
                } else {
                    done.complete(value);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void fromDesk(CallbackEvent event) {
        if (CALLING_DESK.get() == this) {
            violation(new ContractViolation(12, event.methodName() + " called from inside the application's call into the desk"));
        }
        if (callbacksInFlight.incrementAndGet() > 1) {
            violation(new ContractViolation(12, event.methodName() + " called while another callback of the chat was running"));
        }
        try {
            serial.execute(() -> process(event));
        } finally {
            callbacksInFlight.decrementAndGet();
        }
    }

    private void process(CallbackEvent event) {
        ContractMonitor.Verdict verdict;
        Optional<Instant> typingDeadline;
        synchronized (monitor) {
            verdict = monitor.onEvent(event);
            typingDeadline = monitor.typingDeadline();
            publishState();
        }
        verdict.violations().forEach(this::violation);
        for (CallbackEvent delivered : verdict.deliver()) {
            if (delivered instanceof CallbackEvent.AgentTyping typing && typing.isTyping()) {
                typingDeadline.ifPresent(this::expireTypingAt);
            }
            deliver(delivered);
        }
    }

    private void deliver(CallbackEvent event) {
        if (detached) {
            LOG.debug("chat={} {} dropped: the chat was detached for another process", chatId, event.methodName());
            return;
        }
        if (event instanceof CallbackEvent.PersistedStateUpdated update) {
            persistedState = Optional.of(update.state());
        } else if (event instanceof CallbackEvent.CapabilitiesUpdated update) {
            capabilities = update.capabilities();
        } else if (event instanceof CallbackEvent.MessageToUser) {
            metrics.messageToUser();
        }
        try {
            event.deliverTo(application);
        } catch (RuntimeException e) {
            LOG.error("chat={} the application's {} callback failed", chatId, event.methodName(), e);
        }
    }

    /** Turns the agent typing indicator off at {@code deadline} if the desk has not (rule 9). */
    private void expireTypingAt(Instant deadline) {
        long delayMillis = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
        scheduler.schedule(() -> serial.execute(() -> expireTyping(deadline)), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void expireTyping(Instant deadline) {
        ContractMonitor.Verdict verdict;
        Optional<Instant> current;
        synchronized (monitor) {
            verdict = monitor.typingExpired();
            current = monitor.typingDeadline();
            publishState();
        }
        verdict.violations().forEach(this::violation);
        verdict.deliver().forEach(this::deliver);
        if (verdict.deliver().isEmpty() && current.isPresent() && current.get().equals(deadline)) {
            // The timer fired before the clock reached the deadline (timers and clocks drift apart): wait again.
            // A renewed indicator has a later deadline and its own timer.
            expireTypingAt(deadline);
        }
    }

    /** Copies the monitor's state to the fields read from any thread; the caller holds the monitor's lock. */
    private void publishState() {
        ChatStatus before = status;
        status = monitor.status();
        metrics.transition(before, status, resumed);
        agent = monitor.agent();
    }

    private void violation(ContractViolation violation) {
        LOG.warn("chat={} desk={} broke the contract, {}", chatId, desk.name(), violation);
    }

}

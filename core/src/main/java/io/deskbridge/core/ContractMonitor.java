package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.PersistedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state machine of one chat, checking each callback against the numbered rules of the contract. It says which
 * events an application may see ({@link Verdict#deliver()}: the event, nothing, or the event preceded by a
 * correction such as a missing {@code agentTyping(false)}) and which rules the desk broke.
 *
 * <p>{@link ChatSession} uses it to protect applications; the conformance kit uses it to report a desk's
 * violations by rule number. Not thread-safe: callers serialise access (a chat's events are serial anyway).
 *
 * <p><b>Agent typing (rule 9).</b> An indicator still on when an agent message, {@code beginTransferToAnotherAgent}
 * or {@code agentEndedChat} arrives is a violation of rule 9, and the verdict delivers {@code agentTyping(false)}
 * before the event. So is one still on after {@link #typingTimeout()}, found by {@link #typingExpired()} or by the
 * next event. An indicator still on when the agent leaves ({@code agentLeftChat}) or another agent joins is turned
 * off the same way but not reported: rule 9 does not name those events, and vendors commonly send no "stopped
 * typing" for an agent who is gone. The user's {@code endChat} turns it off silently too: nothing may be called
 * after it (rule 7), so the application knows the chat is over.
 */
public final class ContractMonitor {

    /**
     * How many agent message ids are remembered to drop duplicates (rule 8): the one window every desk uses too
     * ({@link DeliveredIds}, kept in core so that desk-support builds on it instead of core depending on desk-support).
     */
    public static final int REMEMBERED_MESSAGE_IDS = DeliveredIds.CAPACITY;

    /**
     * What to do with one event.
     *
     * @param deliver the events to pass to the application, in order (empty: drop)
     * @param violations the rules the desk broke with this event
     */
    public record Verdict(List<CallbackEvent> deliver, List<ContractViolation> violations) {
        public Verdict {
            deliver = List.copyOf(deliver);
            violations = List.copyOf(violations);
        }
    }

    private final Clock clock;
    private final Duration typingTimeout;
    private final DeliveredIds seenMessageIds = new DeliveredIds();
    private ChatStatus status = ChatStatus.NEW;
    private Optional<AgentProfile> agent = Optional.empty();
    private boolean anyAgentJoined;
    private boolean resuming;
    private boolean agentPresent;
    private Instant typingSince;
    private boolean disconnected;
    private boolean detached;

    /**
     * @param typingTimeout how long an agent typing indicator may stay on without a new {@code agentTyping(true)}
     */
    public ContractMonitor(Clock clock, Duration typingTimeout) {
        this.clock = requireNonNull(clock, "clock is null");
        this.typingTimeout = requireNonNull(typingTimeout, "typingTimeout is null");
    }

    /** Where the chat is, after the events checked so far. */
    public ChatStatus status() {
        return status;
    }

    /** The agent currently in the chat, if any. */
    public Optional<AgentProfile> agent() {
        return agent;
    }

    /** Whether the agent typing indicator is on, as the application was told. */
    public boolean isAgentTyping() {
        return typingSince != null;
    }

    /** Whether the last connection state reported was {@code Disconnected(true)}. */
    public boolean isDisconnected() {
        return disconnected;
    }

    /** How long an agent typing indicator may stay on without a new {@code agentTyping(true)}. */
    public Duration typingTimeout() {
        return typingTimeout;
    }

    /**
     * When the agent typing indicator that is on expires ({@link #typingExpired()} turns it off from then on), or
     * empty when it is off.
     */
    public Optional<Instant> typingDeadline() {
        return typingSince == null ? Optional.empty() : Optional.of(typingSince.plus(typingTimeout));
    }

    /**
     * The application calls {@code startChat} or {@code reconnect}.
     *
     * @return a violation of rule 1 if the desk is not fresh
     */
    public Optional<ContractViolation> starting() {
        if (status != ChatStatus.NEW) {
            return Optional.of(new ContractViolation(1, "startChat or reconnect called on a desk whose chat is " + status));
        }
        status = ChatStatus.STARTING;
        return Optional.empty();
    }

    /**
     * The application calls {@code reconnect} on a desk created with persisted state: the chat existed before this
     * instance, so until {@code reconnect} completes the desk may replay what this instance never saw (a transfer,
     * an agent leaving, a lost connection) without that counting against rules 2, 4 or 5.
     *
     * @return a violation of rule 1 if the desk is not fresh
     */
    public Optional<ContractViolation> resuming() {
        Optional<ContractViolation> violation = starting();
        if (violation.isEmpty()) {
            resuming = true;
        }
        return violation;
    }

    /** {@code startChat} completed normally: the chat is queued, unless an agent already joined. */
    public void started() {
        if (status == ChatStatus.STARTING) {
            status = ChatStatus.WAITING;
        }
    }

    /** {@code reconnect} completed: {@code resumed} chats continue as connected, others are over. */
    public void reconnected(boolean resumed) {
        resuming = false;
        if (status.isTerminal()) {
            return;
        }
        if (resumed) {
            if (status == ChatStatus.STARTING) {
                // The agent of the resumed chat is in it, though this instance was never told who it is.
                status = ChatStatus.JOINED;
                anyAgentJoined = true;
                agentPresent = true;
            }
        } else {
            status = ChatStatus.FAILED;
        }
    }

    /** {@code startChat} or {@code reconnect} failed. */
    public void startFailed() {
        resuming = false;
        if (!status.isTerminal()) {
            status = ChatStatus.FAILED;
        }
    }

    /**
     * {@code endChat} completed: no callback may follow (rule 7). A chat that was already over (ended by the agent,
     * or failed to start) keeps its status.
     */
    public void endedByUser() {
        if (!status.isTerminal()) {
            status = ChatStatus.ENDED_BY_USER;
        }
        typingSince = null;
    }

    /**
     * {@code detach} completed: this process let go of the chat, which stays open at the vendor, and no callback may
     * follow ({@link io.deskbridge.spi.ServiceDesk#detach()}; rule 7 as for {@code endChat}, the application's end of
     * the chat in this process).
     */
    public void detached() {
        detached = true;
        typingSince = null;
    }

    /**
     * The typing timeout passed with no new typing event: if the indicator is still on, the verdict turns it off
     * and names rule 9; otherwise it is empty.
     */
    public Verdict typingExpired() {
        if (typingSince == null || status.isTerminal() || detached) {
            return new Verdict(List.of(), List.of());
        }
        Duration on = Duration.between(typingSince, clock.instant());
        if (on.compareTo(typingTimeout) < 0) {
            return new Verdict(List.of(), List.of());
        }
        typingSince = null;
        return new Verdict(List.of(new CallbackEvent.AgentTyping(false)),
                List.of(new ContractViolation(9, "agentTyping(true) not followed by agentTyping(false) within " + typingTimeout.toMillis() + " ms")));
    }

    /** Checks one callback and updates the chat's state. */
    public Verdict onEvent(CallbackEvent event) {
        requireNonNull(event, "event is null");
        List<CallbackEvent> deliver = new ArrayList<>();
        List<ContractViolation> violations = new ArrayList<>();
        if (detached) {
            violations.add(new ContractViolation(7, event.methodName() + " called after detach completed"));
            return new Verdict(deliver, violations);
        }
        if (status == ChatStatus.ENDED_BY_AGENT) {
            violations.add(new ContractViolation(6, event.methodName() + " called after agentEndedChat"));
            return new Verdict(deliver, violations);
        }
        if (status == ChatStatus.ENDED_BY_USER) {
            violations.add(new ContractViolation(7, event.methodName() + " called after endChat completed"));
            return new Verdict(deliver, violations);
        }
        if (status == ChatStatus.FAILED) {
            violations.add(new ContractViolation(2, event.methodName() + " called after the chat failed to start"));
            return new Verdict(deliver, violations);
        }
        if (typingSince != null && Duration.between(typingSince, clock.instant()).compareTo(typingTimeout) >= 0
                && !(event instanceof CallbackEvent.AgentTyping)) {
            violations.add(new ContractViolation(9, "agentTyping(true) not followed by agentTyping(false) within " + typingTimeout.toMillis() + " ms"));
            stopTyping(deliver);
        }
        if (event instanceof CallbackEvent.AgentJoined joined) {
            AgentProfile profile = joined.agent();
            if (status == ChatStatus.JOINED && agent.isPresent() && agent.get().id().equals(profile.id())) {
                violations.add(new ContractViolation(3, "agentJoined called twice for agent " + profile.id()));
                return new Verdict(deliver, violations);
            }
            if (status == ChatStatus.NEW) {
                violations.add(new ContractViolation(3, "agentJoined called before the chat started"));
                return new Verdict(deliver, violations);
            }
            stopTyping(deliver);
            agent = Optional.of(profile);
            anyAgentJoined = true;
            agentPresent = true;
            status = ChatStatus.JOINED;
            deliver.add(event);
        } else if (event instanceof CallbackEvent.TransferStarted) {
            if (!anyAgentJoined && !resuming) {
                violations.add(new ContractViolation(4, "beginTransferToAnotherAgent called before any agent joined"));
                return new Verdict(deliver, violations);
            }
            typingNotStoppedBefore(event, deliver, violations);
            status = ChatStatus.TRANSFERRING;
            deliver.add(event);
        } else if (event instanceof CallbackEvent.AgentLeft) {
            if (!agentPresent && !resuming) {
                violations.add(new ContractViolation(5, "agentLeftChat called with no agent in the chat"));
                return new Verdict(deliver, violations);
            }
            stopTyping(deliver);
            agent = Optional.empty();
            agentPresent = false;
            if (status != ChatStatus.TRANSFERRING) {
                status = ChatStatus.AGENT_LEFT;
            }
            deliver.add(event);
        } else if (event instanceof CallbackEvent.AgentEnded) {
            typingNotStoppedBefore(event, deliver, violations);
            status = ChatStatus.ENDED_BY_AGENT;
            deliver.add(event);
        } else if (event instanceof CallbackEvent.AgentTyping typing) {
            if (typing.isTyping()) {
                typingSince = clock.instant();
                deliver.add(event);
            } else if (typingSince != null) {
                typingSince = null;
                deliver.add(event);
            }
        } else if (event instanceof CallbackEvent.MessageToUser message) {
            String id = message.message().id();
            if (!seenMessageIds.firstDelivery(id)) {
                violations.add(new ContractViolation(8, "agent message " + id + " delivered twice"));
                return new Verdict(deliver, violations);
            }
            typingNotStoppedBefore(event, deliver, violations);
            deliver.add(event);
        } else if (event instanceof CallbackEvent.ErrorStatus error) {
            ErrorInfo info = error.error();
            if (info instanceof ErrorInfo.Connecting) {
                if (anyAgentJoined) {
                    violations.add(new ContractViolation(2, "Connecting error reported after an agent joined (use Disconnected)"));
                    return new Verdict(deliver, violations);
                }
                deliver.add(event);
            } else if (info instanceof ErrorInfo.Disconnected d) {
                if (status == ChatStatus.NEW || (status == ChatStatus.STARTING && !resuming)) {
                    violations.add(new ContractViolation(2, "Disconnected reported before the chat started (use Connecting)"));
                    return new Verdict(deliver, violations);
                }
                if (d.isDisconnected() == disconnected) {
                    return new Verdict(deliver, violations); // repeated state: nothing new to show
                }
                disconnected = d.isDisconnected();
                deliver.add(event);
            } else {
                deliver.add(event);
            }
        } else if (event instanceof CallbackEvent.PersistedStateUpdated update) {
            PersistedState state = update.state();
            if (state.sizeInChars() > PersistedState.RECOMMENDED_MAX_CHARS) {
                violations.add(new ContractViolation(13, "persisted state of " + state.sizeInChars()
                        + " characters is larger than " + PersistedState.RECOMMENDED_MAX_CHARS));
            }
            deliver.add(event);
        } else {
            deliver.add(event);
        }
        return new Verdict(deliver, violations);
    }

    /**
     * Rule 9 names the events that must find the typing indicator off: an agent message, a transfer, an end. If it is
     * still on, that is a violation, and the correction goes first.
     */
    private void typingNotStoppedBefore(CallbackEvent event, List<CallbackEvent> deliver, List<ContractViolation> violations) {
        if (typingSince == null) {
            return;
        }
        String what = event instanceof CallbackEvent.MessageToUser message
                ? "agent message " + message.message().id()
                : event.methodName();
        violations.add(new ContractViolation(9, "agentTyping(true) not followed by agentTyping(false) before " + what));
        stopTyping(deliver);
    }

    /** Turns the indicator off, delivering {@code agentTyping(false)} if it was on; not a violation by itself. */
    private void stopTyping(List<CallbackEvent> deliver) {
        if (typingSince != null) {
            typingSince = null;
            deliver.add(new CallbackEvent.AgentTyping(false));
        }
    }
}

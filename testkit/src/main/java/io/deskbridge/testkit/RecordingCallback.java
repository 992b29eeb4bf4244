package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.ContractMonitor;
import io.deskbridge.core.ContractViolation;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A {@link ServiceDeskCallback} that records every call as a {@link CallbackEvent}, in order, and checks the
 * sequence against the contract as it goes.
 *
 * <p>What it checks by itself:
 * <ul>
 *   <li>every event, with a {@link ContractMonitor} (when created with a clock): rules 2 to 9 and 13 as far as one
 *       chat's sequence shows them;</li>
 *   <li>rule 12: two callbacks in flight at once (from two threads), and a callback made on the thread that is inside
 *       a call into the desk (see {@link #enterDeskCall(String)}).</li>
 * </ul>
 * Violations are collected, never thrown into the desk's thread: read them with {@link #violations()} or assert
 * {@code CallbackAssertions.assertThat(recording).hasNoViolations()}.
 *
 * <p>Thread-safe. The awaits block the calling thread in real time, at most for the given timeout; on virtual time
 * wait through the kit ({@code ServiceDeskConformanceKit.awaitEvent}), which also moves the clock.
 */
public final class RecordingCallback implements ServiceDeskCallback {

    /**
     * One recorded call.
     *
     * @param index its position in the recording, from 0
     * @param event the call
     * @param thread the name of the thread that made it
     * @param at the time of the recording's clock when it was made
     */
    public record Entry(int index, CallbackEvent event, String thread, Instant at) {
        public Entry {
            requireNonNull(event, "event is null");
            requireNonNull(thread, "thread is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * A broken rule and where in the recording it was found.
     *
     * @param violation the rule and what happened
     * @param atCallback the index of the callback that broke it (the recording's size when it was found outside a
     *     callback)
     */
    public record Finding(ContractViolation violation, int atCallback) {
        public Finding {
            requireNonNull(violation, "violation is null");
        }
    }

    private final Clock clock;
    private final Optional<ContractMonitor> monitor;
    private final ServiceDeskCallback recorder = CallbackEvent.recorder(this::record);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private volatile Thread deskCallThread;
    private volatile String deskCallMethod;
    private volatile long dwellNanos;
    private volatile Optional<Set<Capability>> declared = Optional.empty();

    /** A recording that checks the sequence with a {@link ContractMonitor} on {@code clock}. */
    public RecordingCallback(Clock clock, Duration typingTimeout) {
        this.clock = requireNonNull(clock, "clock is null");
        this.monitor = Optional.of(new ContractMonitor(clock, requireNonNull(typingTimeout, "typingTimeout is null")));
    }

    /** A recording on the system clock that checks only rule 12 (no sequence monitor). */
    public RecordingCallback() {
        this.clock = Clock.systemUTC();
        this.monitor = Optional.empty();
    }

    // ---- ServiceDeskCallback ----

    @Override public void updateAgentAvailability(AgentAvailability availability) { recorder.updateAgentAvailability(availability); }
    @Override public void agentJoined(AgentProfile agent) { recorder.agentJoined(agent); }
    @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) { recorder.beginTransferToAnotherAgent(newAgent); }
    @Override public void agentLeftChat() { recorder.agentLeftChat(); }
    @Override public void agentEndedChat() { recorder.agentEndedChat(); }
    @Override public void agentTyping(boolean isTyping) { recorder.agentTyping(isTyping); }
    @Override public void agentReadMessages() { recorder.agentReadMessages(); }
    @Override public void sendMessageToUser(AgentMessage message) { recorder.sendMessageToUser(message); }
    @Override public void setErrorStatus(ErrorInfo error) { recorder.setErrorStatus(error); }
    @Override public void setFileUploadStatus(FileUploadStatus status) { recorder.setFileUploadStatus(status); }
    @Override public void updateCapabilities(Set<Capability> capabilities) { recorder.updateCapabilities(capabilities); }
    @Override public void updatePersistedState(PersistedState state) { recorder.updatePersistedState(state); }

    private void record(CallbackEvent event) {
        Thread thread = Thread.currentThread();
        int concurrent = inFlight.incrementAndGet();
        try {
            synchronized (this) {
                entries.add(new Entry(entries.size(), event, thread.getName(), clock.instant()));
                if (concurrent > 1) {
                    violation(new ContractViolation(12, event.methodName() + " called on " + thread.getName()
                            + " while another callback of the same chat was still running"));
                }
                if (thread == deskCallThread) {
                    violation(new ContractViolation(12, event.methodName() + " called from inside the application's call to "
                            + deskCallMethod));
                }
                monitor.ifPresent(m -> m.onEvent(event).violations().forEach(this::violation));
                if (event instanceof CallbackEvent.CapabilitiesUpdated update) {
                    declared.ifPresent(d -> checkNarrows(d, update.capabilities()));
                }
                notifyAll();
            }
            long dwell = dwellNanos;
            if (dwell > 0) {
                // Widens the window in which a second, concurrent callback is caught (rule 12).
                LockSupport.parkNanos(dwell);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Rule 14: what {@code capabilities()} declares is what works, so {@code updateCapabilities} may narrow it (a
     * vendor configuration that turns a feature off), never announce a capability the desk does not declare.
     */
    private void checkNarrows(Set<Capability> declaredSet, Set<Capability> announced) {
        List<Capability> extra = announced.stream().filter(c -> !declaredSet.contains(c)).sorted().toList();
        if (!extra.isEmpty()) {
            violation(new ContractViolation(14, "updateCapabilities announces " + extra + ", which capabilities() does not declare "
                    + declaredSet.stream().sorted().toList() + "; it may narrow the declared capabilities, never widen them"));
        }
    }

    /** What the desk declares in {@code capabilities()}: every later {@code updateCapabilities} must stay within it (rule 14). */
    public void declaredCapabilities(Set<Capability> capabilities) {
        declared = Optional.of(Set.copyOf(requireNonNull(capabilities, "capabilities is null")));
    }

    // ---- what the application did (the kit calls these around its calls into the desk) ----

    /**
     * The calling thread is about to call {@code method} of the desk: until {@link #exitDeskCall()}, a callback made
     * on this thread breaks rule 12.
     */
    public void enterDeskCall(String method) {
        deskCallMethod = requireNonNull(method, "method is null");
        deskCallThread = Thread.currentThread();
    }

    /** The call announced by {@link #enterDeskCall(String)} returned. */
    public void exitDeskCall() {
        deskCallThread = null;
    }

    /** The application calls {@code startChat} or {@code reconnect} (rule 1 if the desk is not fresh). */
    public synchronized void chatStarting() {
        monitor.flatMap(ContractMonitor::starting).ifPresent(this::violation);
    }

    /** {@code startChat} completed normally. */
    public synchronized void chatStarted() {
        monitor.ifPresent(ContractMonitor::started);
    }

    /** {@code reconnect} completed with {@code resumed}. */
    public synchronized void chatReconnected(boolean resumed) {
        monitor.ifPresent(m -> m.reconnected(resumed));
    }

    /** {@code startChat} or {@code reconnect} failed. */
    public synchronized void chatStartFailed() {
        monitor.ifPresent(ContractMonitor::startFailed);
    }

    /**
     * {@code endChat} completed: from now on every callback breaks rule 7.
     *
     * @return how many callbacks were recorded before
     */
    public synchronized int chatEndedByUser() {
        monitor.ifPresent(ContractMonitor::endedByUser);
        return entries.size();
    }

    /**
     * {@code detach} completed: from now on every callback breaks rule 7 (this process let go of the chat).
     *
     * @return how many callbacks were recorded before
     */
    public synchronized int chatDetached() {
        monitor.ifPresent(ContractMonitor::detached);
        return entries.size();
    }

    /**
     * Holds every later callback for {@code dwell} of real time before returning to the desk, so that a desk that
     * calls back from two threads at once is caught in the act (rule 12). {@link Duration#ZERO} turns it off.
     */
    public void slowDown(Duration dwell) {
        dwellNanos = requireNonNull(dwell, "dwell is null").toNanos();
    }

    /**
     * Adds a violation, found at the latest callback (the monitor's, rule 12's) or outside the recording (the kit's
     * own checks).
     */
    public synchronized void violation(ContractViolation violation) {
        findings.add(new Finding(requireNonNull(violation, "violation is null"), Math.max(0, entries.size() - 1)));
    }

    // ---- reading ----

    /** The recorded calls, oldest first. */
    public synchronized List<CallbackEvent> events() {
        return entries.stream().map(Entry::event).toList();
    }

    /** The recorded calls with their thread and time, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** How many calls were recorded. */
    public synchronized int size() {
        return entries.size();
    }

    /** The recorded events of one type, oldest first. */
    public synchronized <T extends CallbackEvent> List<T> eventsOf(Class<T> type) {
        return entries.stream().map(Entry::event).filter(type::isInstance).map(type::cast).toList();
    }

    /** The agent messages delivered to the user, oldest first. */
    public List<AgentMessage> messages() {
        return eventsOf(CallbackEvent.MessageToUser.class).stream().map(CallbackEvent.MessageToUser::message).toList();
    }

    /** The last persisted state the desk reported, if any. */
    public Optional<PersistedState> lastPersistedState() {
        List<CallbackEvent.PersistedStateUpdated> states = eventsOf(CallbackEvent.PersistedStateUpdated.class);
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1).state());
    }

    /** The index of the first event at or after {@code from} that matches, if any. */
    public synchronized Optional<Integer> indexOf(Predicate<? super CallbackEvent> predicate, int from) {
        for (int i = Math.max(0, from); i < entries.size(); i++) {
            if (predicate.test(entries.get(i).event())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** How many recorded events match. */
    public synchronized long count(Predicate<? super CallbackEvent> predicate) {
        return entries.stream().map(Entry::event).filter(predicate).count();
    }

    /** The rules the desk broke so far, in the order they were found. */
    public synchronized List<ContractViolation> violations() {
        return findings.stream().map(Finding::violation).toList();
    }

    /** The rules the desk broke so far with the callback that broke each, in the order they were found. */
    public synchronized List<Finding> findings() {
        return List.copyOf(findings);
    }

    /**
     * The callbacks that led to {@code finding}, for failure messages: up to {@code context} callbacks before the one
     * that broke the rule, and that one.
     */
    public synchronized String describeUpTo(Finding finding, int context) {
        if (entries.isEmpty()) {
            return "(no callbacks)";
        }
        int last = Math.min(finding.atCallback(), entries.size() - 1);
        int first = Math.max(0, last - context);
        StringBuilder text = new StringBuilder();
        if (first > 0) {
            text.append("\n    … ").append(first).append(" earlier callbacks");
        }
        for (int i = first; i <= last; i++) {
            Entry entry = entries.get(i);
            text.append("\n    ").append(i).append(": ").append(entry.event()).append(i == last ? "   <-- broke it" : "");
        }
        return text.toString();
    }

    /** The chat's state as the sequence monitor tracks it ({@code NEW} without a monitor). */
    public synchronized io.deskbridge.core.ChatStatus status() {
        return monitor.map(ContractMonitor::status).orElse(io.deskbridge.core.ChatStatus.NEW);
    }

    /** The sequence monitor, when this recording has one. Access it while holding this recording's lock. */
    public Optional<ContractMonitor> monitor() {
        return monitor;
    }

    // ---- waiting (real time) ----

    /**
     * Waits at most {@code timeout} of real time for an event at or after index {@code from} that matches.
     *
     * @return the matching event
     * @throws AssertionError naming {@code description} and what was recorded if none arrived in time
     */
    public CallbackEvent awaitEvent(int from, Predicate<? super CallbackEvent> predicate, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                Optional<Integer> index = indexOf(predicate, from);
                if (index.isPresent()) {
                    return entries.get(index.get()).event();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(description + ": not seen within " + timeout.toMillis() + " ms. Recorded: " + describe());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + description, e);
                }
            }
        }
    }

    /** Waits at most {@code timeout} of real time for any event matching {@code predicate}. */
    public CallbackEvent awaitEvent(Predicate<? super CallbackEvent> predicate, String description, Duration timeout) {
        return awaitEvent(0, predicate, description, timeout);
    }

    /**
     * Blocks for at most {@code timeout} of real time until a new call is recorded.
     *
     * @return whether one was
     */
    public boolean awaitNewEvent(int knownSize, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (entries.size() <= knownSize) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The recorded calls as text, for failure messages (message texts included: this is a test tool). */
    public synchronized String describe() {
        if (entries.isEmpty()) {
            return "(no callbacks)";
        }
        StringBuilder text = new StringBuilder();
        for (Entry entry : entries) {
            text.append("\n    ").append(entry.index()).append(": ").append(entry.event());
        }
        return text.toString();
    }

    @Override
    public synchronized String toString() {
        return "RecordingCallback[" + entries.size() + " callbacks, " + findings.size() + " violations]";
    }
}

package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.agentLeft;
import static io.deskbridge.testkit.CallbackMatchers.agentRead;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.anyAgentTyping;
import static io.deskbridge.testkit.CallbackMatchers.availability;
import static io.deskbridge.testkit.CallbackMatchers.connectingError;
import static io.deskbridge.testkit.CallbackMatchers.disconnected;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.persistedState;
import static io.deskbridge.testkit.CallbackMatchers.queuePosition;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;
import static io.deskbridge.testkit.CallbackMatchers.userMessageError;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.ChatStatus;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ContractViolation;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.TestAbortedException;

/**
 * The conformance kit: the numbered rules of the contract (see {@link ServiceDesk}) as JUnit 5 tests. A desk's
 * test extends it and implements the hooks; {@code testkit/README.md} is the manual.
 *
 * <pre>{@code
 * class AcmeServiceDeskConformanceTest extends ServiceDeskConformanceKit {
 *     private final FakeAcme acme = new FakeAcme();
 *
 *     protected ServiceDeskProvider provider() { return new AcmeServiceDeskProvider(); }
 *     protected AgentDriver agentDriver() { return new FakeAcmeDriver(acme); }
 *     protected Map<String, String> configuration() { return Map.of("acme.url", acme.url()); }
 * }
 * }</pre>
 *
 * <p><b>Each test</b> gets a fresh runtime: the kit creates the driver ({@link #agentDriver()}), reads
 * {@link #configuration()} (plus {@code desk=<provider name>}), builds a {@link Deskbridge} with only
 * {@link #provider()} and, when {@link #virtualTime()}, a {@link VirtualScheduler} as its {@code Clock} and
 * {@code ScheduledExecutorService}; then {@link AgentDriver#attach(Deskbridge)}. Tests use the desk's
 * {@link ServiceDeskFactory} directly (raw desks, not {@code ChatSession}, which would hide violations), each with a
 * {@link RecordingCallback}.
 *
 * <p><b>After each test</b> the kit ends the chats still open, lets pending work run, closes the driver and the
 * runtime, and fails if a rule was broken anywhere in the test ("rule 6: agentEndedChat called after
 * agentEndedChat") or an exception escaped on a desk thread.
 *
 * <p><b>Skips.</b> A test that needs a capability the desk does not declare is skipped saying so; a test whose
 * driver hook throws {@link DriverHookMissing} is skipped with "implement &lt;hook&gt; to run this test".
 */
@ExtendWith(SkipWhenHookMissing.class)
public abstract class ServiceDeskConformanceKit {

    // ---- hooks ----

    /** The desk under test. */
    protected abstract ServiceDeskProvider provider();

    /**
     * The vendor side of the desk under test. Called before each test, before {@link #configuration()}, so a
     * driver that starts a simulator can hand its address to the configuration. Closed after the test.
     */
    protected abstract AgentDriver agentDriver();

    /**
     * The configuration of the desk under test (keys under the desk's prefix, for example
     * {@code example.joinDelay}). Called before each test, after {@link #agentDriver()}.
     */
    protected Map<String, String> configuration() {
        return Map.of();
    }

    /**
     * Whether the kit runs the desk on virtual time: its {@code Clock} and {@code ScheduledExecutorService} are
     * replaced by a {@link VirtualScheduler} that the kit advances while it waits. Desks whose vendor side runs on
     * real sockets return {@code false}.
     */
    protected boolean virtualTime() {
        return true;
    }

    /** The longest the kit waits, in real time, for the desk to do something. */
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * The longest the desk may leave an agent typing indicator on (rule 9). The kit checks that
     * {@code agentTyping(false)} follows {@code agentTyping(true)} within it; on real time, keep it short (and
     * configure the desk to match).
     */
    protected Duration typingTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * Real time with nothing happening that counts as quiet, on real time: how long {@link #settle()} watches for
     * callbacks that must not come (after {@code endChat}, a second {@code agentJoined}).
     */
    protected Duration quietPeriod() {
        return Duration.ofMillis(200);
    }

    /**
     * On virtual time, how long of real time a wait goes on when nothing is scheduled, no worker task is running and
     * nothing happens, before it fails early instead of waiting out {@link #awaitTimeout()}.
     */
    protected Duration idleTimeout() {
        return Duration.ofSeconds(1);
    }

    /** How far a wait may move virtual time before it gives up (virtual time only). */
    protected Duration virtualWaitLimit() {
        return Duration.ofMinutes(10);
    }

    /**
     * How far the kit moves virtual time to let pending work finish before it checks that something did not
     * happen, and after each test (virtual time only).
     */
    protected Duration settleTime() {
        return Duration.ofMinutes(1);
    }

    /** What the kit's chats ask for. Its summary reaches the agent as the user's first message. */
    protected ConnectRequest connectRequest() {
        return ConnectRequest.of("conformance", "A user handed over by the conformance kit");
    }

    /** The first agent to join a chat. */
    protected AgentProfile firstAgent() {
        return new AgentProfile("agent-ada", "Ada", Optional.of(URI.create("https://agents.example.com/ada.png")));
    }

    /** The agent a chat is transferred to, or who joins after the first left. */
    protected AgentProfile secondAgent() {
        return new AgentProfile("agent-grace", "Grace");
    }

    /** A file the desk accepts ({@link Capability#FILE_UPLOADS}): a small text file unless overridden. */
    protected FileUpload acceptableFile() {
        byte[] bytes = "deskbridge conformance kit\n".getBytes(StandardCharsets.UTF_8);
        return new FileUpload("file-1", "notes.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    // ---- per-test state ----

    private AgentDriver driver;
    private Deskbridge runtime;
    private VirtualScheduler scheduler;
    private TrackedWorkers workers;
    private ServiceDeskFactory factory;
    private Clock clock;
    private Map<String, String> configuredValues = Map.of();
    private static final AtomicInteger WORKER_THREADS = new AtomicInteger();
    private final List<ChatUnderTest> chats = new ArrayList<>();
    private final List<Throwable> defects = new ArrayList<>();
    private int chatCounter;

    @BeforeEach
    final void startRuntime() {
        driver = requireNonNull(agentDriver(), "agentDriver() returned null");
        Map<String, String> values = new HashMap<>(requireNonNull(configuration(), "configuration() returned null"));
        values.put(Configuration.DESK_KEY, provider().name());
        configuredValues = Map.copyOf(values);
        Deskbridge.Builder builder = Deskbridge.builder()
                .configuration(Configuration.of(values))
                .providers(ServiceDeskProviders.of(List.of(provider())));
        TrackedWorkers tracked = new TrackedWorkers(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "kit-worker-" + WORKER_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }));
        workers = tracked;
        builder.overrideInfrastructure(binder -> binder.bind(ExecutorService.class).toInstance(tracked));
        if (virtualTime()) {
            VirtualScheduler virtual = new VirtualScheduler();
            scheduler = virtual;
            builder.overrideInfrastructure(binder -> {
                binder.bind(Clock.class).toInstance(virtual.clock());
                binder.bind(ScheduledExecutorService.class).toInstance(virtual);
            });
        }
        runtime = builder.build();
        clock = runtime.getInstance(Clock.class);
        driver.attach(runtime);
        factory = runtime.getInstance(ServiceDeskFactory.class);
    }

    @AfterEach
    final void stopRuntime() {
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try {
            for (ChatUnderTest chat : List.copyOf(chats)) {
                ChatStatus status = chat.recording().status();
                if (chat.isStarted() && !chat.isEnded() && !status.isTerminal()) {
                    try {
                        await(chat.endChat(), "endChat of " + chat.chatId() + " while the kit cleans up");
                    } catch (AssertionError | RuntimeException e) {
                        causes.add(e);
                        problems.add("cleaning up: " + e.getMessage());
                    }
                }
            }
            if (scheduler != null) {
                settle();
            }
        } finally {
            for (ChatUnderTest chat : chats) {
                for (ContractViolation violation : chat.recording().violations()) {
                    problems.add(violation + " (chat " + chat.chatId() + ")");
                }
            }
            synchronized (defects) {
                for (Throwable defect : defects) {
                    causes.add(defect);
                    problems.add(String.valueOf(defect.getMessage()));
                }
            }
            List<Throwable> escaped = new ArrayList<>();
            if (scheduler != null) {
                escaped.addAll(scheduler.failures());
            }
            if (workers != null) {
                escaped.addAll(workers.failures());
            }
            for (Throwable failure : escaped) {
                causes.add(failure);
                problems.add("exception on a desk thread: " + failure);
            }
            close(driver, "the agent driver", problems, causes);
            close(runtime, "the runtime", problems, causes);
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (workers != null) {
                workers.shutdownNow();
            }
            chats.clear();
        }
        if (!problems.isEmpty()) {
            AssertionError failure = new AssertionError("The " + provider().name() + " desk broke the contract:\n  - "
                    + String.join("\n  - ", problems));
            causes.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void close(AutoCloseable closeable, String what, List<String> problems, List<Throwable> causes) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            causes.add(e);
            problems.add("closing " + what + " failed: " + e);
        }
    }

    // ---- what desk tests reuse ----

    /** The driver of this test. */
    protected final AgentDriver driver() {
        return driver;
    }

    /** The runtime of this test. */
    protected final Deskbridge runtime() {
        return runtime;
    }

    /** The desk's factory. */
    protected final ServiceDeskFactory factory() {
        return factory;
    }

    /** The clock the desk sees (virtual or the system's). */
    protected final Clock clock() {
        return clock;
    }

    /** The virtual scheduler, when the kit runs on virtual time. */
    protected final Optional<VirtualScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** What the desk's factory declares. */
    protected final Set<Capability> capabilities() {
        Set<Capability> declared = factory.capabilities();
        return declared.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(declared);
    }

    /** A fresh desk for a new chat, with a recording callback. */
    protected final ChatUnderTest newChat() {
        return createChat(Optional.empty());
    }

    /** A fresh desk created with {@code state}, to {@link ChatUnderTest#reconnect()}. */
    protected final ChatUnderTest resumedChat(PersistedState state) {
        return createChat(Optional.of(requireNonNull(state, "state is null")));
    }

    private ChatUnderTest createChat(Optional<PersistedState> state) {
        String chatId = "kit-chat-" + (++chatCounter);
        RecordingCallback recording = new RecordingCallback(clock, typingTimeout());
        ServiceDesk desk = factory.create(new DeskContext(chatId, recording, state));
        assertThat(desk).as("the desk the factory created for %s", chatId).isNotNull();
        ChatUnderTest chat = new ChatUnderTest(this, chatId, desk, recording);
        chats.add(chat);
        return chat;
    }

    /** A new chat, started, with its vendor side. */
    protected final ChatUnderTest startedChat() {
        ChatUnderTest chat = newChat();
        chat.start();
        return chat;
    }

    /** A new chat, started, that {@link #firstAgent()} joined. */
    protected final ChatUnderTest joinedChat() {
        ChatUnderTest chat = startedChat();
        chat.join(firstAgent());
        return chat;
    }

    /** The most recently created chat. */
    protected final ChatUnderTest currentChat() {
        if (chats.isEmpty()) {
            throw new IllegalStateException("no chat yet: call newChat() first");
        }
        return chats.get(chats.size() - 1);
    }

    /**
     * Waits for an event of the {@linkplain #currentChat() current chat} that matches, bounded by
     * {@link #awaitTimeout()} in real time; on virtual time the kit runs due tasks and advances the clock to the next
     * scheduled task while it waits, so delays in the desk pass instantly.
     *
     * @throws AssertionError starting with {@code description} (name the rule in it: "rule 3: agentJoined…")
     */
    protected final CallbackEvent awaitEvent(Predicate<? super CallbackEvent> predicate, String description) {
        return currentChat().awaitEvent(predicate, description);
    }

    /** Skips the test unless the desk declares {@code capability}. */
    protected final void assumeDeclared(Capability capability) {
        Assumptions.assumeTrue(capabilities().contains(capability),
                () -> "the desk does not declare " + capability + " (" + capability.description() + ")");
    }

    /** Waits for {@code stage} to complete normally and returns its value. */
    protected final <T> T await(CompletionStage<T> stage, String what) {
        AtomicReference<Outcome<T>> outcome = outcomeOf(stage);
        waitUntil(() -> outcome.get() != null, () -> what, Optional.empty());
        Outcome<T> done = outcome.get();
        if (done.failure() != null) {
            throw new AssertionError(what + ": failed with " + done.failure(), done.failure());
        }
        return done.value();
    }

    /** Waits for {@code stage} to complete exceptionally and returns the failure, unwrapped. */
    protected final Throwable awaitFailure(CompletionStage<?> stage, String what) {
        AtomicReference<? extends Outcome<?>> outcome = outcomeOf(stage);
        waitUntil(() -> outcome.get() != null, () -> what, Optional.empty());
        Throwable failure = outcome.get().failure();
        if (failure == null) {
            throw new AssertionError(what + ": expected a failure but it completed normally with " + outcome.get().value());
        }
        return failure;
    }

    private record Outcome<T>(T value, Throwable failure) {}

    private static <T> AtomicReference<Outcome<T>> outcomeOf(CompletionStage<T> stage) {
        AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
        stage.whenComplete((value, failure) -> outcome.set(new Outcome<>(value, CompletionFailures.unwrap(failure))));
        return outcome;
    }


    /**
     * Lets pending work finish: on virtual time, runs what is due and moves the clock {@link #settleTime()} ahead,
     * running everything scheduled on the way; on real time, waits until no callback arrived for
     * {@link #quietPeriod()}. Call it before checking that something did not happen.
     */
    protected final void settle() {
        long deadline = System.nanoTime() + awaitTimeout().toNanos();
        if (scheduler == null) {
            int seen = totalCallbacks();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < quietPeriod().toNanos() && System.nanoTime() < deadline) {
                parkBriefly();
                int now = totalCallbacks();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                }
            }
            return;
        }
        Instant until = scheduler.now().plus(settleTime());
        while (System.nanoTime() < deadline) {
            if (scheduler.runDueTasks() > 0 || awaitSchedulerActivity() || workers.inFlight() > 0) {
                continue;
            }
            Optional<Instant> next = scheduler.nextTaskTime();
            if (next.isPresent() && !next.get().isAfter(until)) {
                scheduler.runNextTask();
                continue;
            }
            break;
        }
        scheduler.advanceTo(until);
    }

    /**
     * Moves virtual time forward by {@code duration}, running what falls due (and giving other threads a moment
     * after each task). On real time the test is skipped: it needs {@link #virtualTime()}.
     */
    protected final void advance(Duration duration) {
        Assumptions.assumeTrue(scheduler != null, "this test moves the clock: it needs virtualTime()");
        Instant until = scheduler.now().plus(duration);
        waitUntil(() -> false, () -> "advancing " + duration, Optional.of(until), true);
    }

    /**
     * The next chat the desk opened at the vendor, from {@link AgentDriver#awaitChat(Duration)}. On virtual time the
     * kit asks in short real-time slices and moves time in between, so a vendor fake that opens chats on the virtual
     * scheduler gets there.
     */
    protected final AgentSideChat awaitVendorChat() {
        if (scheduler == null) {
            return driver.awaitChat(awaitTimeout());
        }
        AtomicReference<AgentSideChat> found = new AtomicReference<>();
        AtomicReference<AssertionError> last = new AtomicReference<>();
        try {
            waitUntil(() -> {
                try {
                    found.set(driver.awaitChat(Duration.ofMillis(5)));
                    return true;
                } catch (AssertionError e) {
                    last.set(e);
                    return false;
                }
            }, () -> "the vendor to hand the chat to the agent driver (AgentDriver.awaitChat)", Optional.empty());
        } catch (AssertionError e) {
            if (last.get() != null) {
                e.addSuppressed(last.get());
            }
            throw e;
        }
        return found.get();
    }

    /** Records a defect found outside a callback (reported after the test). */
    final void defect(Throwable defect) {
        synchronized (defects) {
            defects.add(defect);
        }
    }

    final void waitUntil(BooleanSupplier condition, Supplier<String> description, Optional<Instant> virtualDeadline) {
        waitUntil(condition, description, virtualDeadline, false);
    }

    /**
     * The kit's one waiting loop. On real time it polls {@code condition} until {@link #awaitTimeout()}. On virtual
     * time it runs due tasks, gives other threads a moment, then moves the clock to the next scheduled task, until
     * the condition holds, the virtual limit is reached, or nothing happened for {@link #idleTimeout()} with nothing
     * left to run.
     */
    final void waitUntil(BooleanSupplier condition, Supplier<String> description, Optional<Instant> virtualDeadline, boolean untilDeadline) {
        long started = System.nanoTime();
        long deadline = started + awaitTimeout().toNanos();
        if (scheduler == null) {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw timeout(description.get(), "within " + awaitTimeout().toMillis() + " ms");
                }
                parkBriefly();
            }
            return;
        }
        Instant virtualStart = scheduler.now();
        Instant limit = virtualDeadline.orElse(virtualStart.plus(virtualWaitLimit()));
        long lastActivity = activity();
        long quietSince = System.nanoTime();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw timeout(description.get(), "within " + awaitTimeout().toMillis() + " ms of real time (virtual clock moved "
                        + Duration.between(virtualStart, scheduler.now()) + ")");
            }
            if (scheduler.runDueTasks() > 0 || awaitSchedulerActivity()) {
                continue;
            }
            if (condition.getAsBoolean()) {
                return;
            }
            long now = activity();
            if (now != lastActivity) {
                lastActivity = now;
                quietSince = System.nanoTime();
            }
            long quietFor = System.nanoTime() - quietSince;
            if (workers.inFlight() > 0 && quietFor < idleTimeout().toNanos()) {
                continue; // real work under way: let it finish before time moves
            }
            Optional<Instant> next = scheduler.nextTaskTime();
            if (next.isPresent() && !next.get().isAfter(limit)) {
                scheduler.runNextTask();
                continue;
            }
            if (untilDeadline) {
                scheduler.advanceTo(limit);
                return;
            }
            if (quietFor > idleTimeout().toNanos()) {
                String why = next.isPresent()
                        ? "before " + Duration.between(virtualStart, limit) + " of virtual time passed (next task at +"
                                + Duration.between(virtualStart, next.get()) + ")"
                        : "and the desk has nothing scheduled (virtual clock moved " + Duration.between(virtualStart, scheduler.now()) + ")";
                throw timeout(description.get(), why);
            }
        }
    }

    private boolean awaitSchedulerActivity() {
        try {
            return scheduler.awaitActivity(Duration.ofMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private long activity() {
        return scheduler.activityCount() * 31 + workers.activityCount() * 17 + totalCallbacks();
    }

    private int totalCallbacks() {
        int total = 0;
        for (ChatUnderTest chat : chats) {
            total += chat.recording().size();
        }
        return total;
    }

    private void parkBriefly() {
        if (chats.isEmpty()) {
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        } else {
            ChatUnderTest chat = currentChat();
            chat.recording().awaitNewEvent(chat.recording().size(), Duration.ofMillis(2));
        }
    }

    private AssertionError timeout(String description, String when) {
        StringBuilder text = new StringBuilder(description).append(": did not happen ").append(when).append('.');
        for (ChatUnderTest chat : chats) {
            text.append("\n  callbacks of ").append(chat.chatId()).append(':').append(chat.recording().describe());
        }
        return new AssertionError(text.toString());
    }

    /** Fails with "rule N: …" unless {@code check} holds. */
    protected static void require(int rule, boolean check, Supplier<String> description) {
        if (!check) {
            throw new AssertionError("rule " + rule + ": " + description.get());
        }
    }

    /** Runs {@code check}; an assertion failure in it is reported as a violation of {@code rule}. */
    protected static void checkRule(int rule, Runnable check) {
        try {
            check.run();
        } catch (AssertionError e) {
            if (String.valueOf(e.getMessage()).startsWith("rule " + rule + ":")) {
                throw e;
            }
            throw new AssertionError("rule " + rule + ": " + e.getMessage(), e);
        }
    }

    /** Exercises a declared capability; any failure is reported as a violation of rule 14 naming it. */
    protected final void declaredCapabilityWorks(Capability capability, Runnable exercise) {
        assumeDeclared(capability);
        try {
            exercise.run();
        } catch (DriverHookMissing | TestAbortedException e) {
            throw e;
        } catch (AssertionError | RuntimeException e) {
            if (e instanceof AssertionError && String.valueOf(e.getMessage()).matches("(?s)rule (\\d|1[0-3]):.*")) {
                throw e; // another rule broke on the way: report that one
            }
            throw new AssertionError("rule 14: the desk declares " + capability + " (" + capability.description()
                    + ") but it does not work: " + e.getMessage(), e);
        }
    }

    private static List<String> idsOf(List<AgentMessage> messages) {
        return messages.stream().map(AgentMessage::id).toList();
    }

    // ==== the tests ====

    @Nested
    @DisplayName("Starting a chat")
    public class StartingAChat {

        @Test
        @DisplayName("Rule 1: every chat gets a fresh desk instance, and two chats are two chats at the vendor")
        void everyChatGetsAFreshDesk() {
            ChatUnderTest first = newChat();
            ChatUnderTest second = newChat();
            require(1, first.desk() != second.desk(), () -> "the factory returned the same desk instance for two chats");
            AgentSideChat firstSide = first.start();
            AgentSideChat secondSide = second.start();
            require(1, !firstSide.id().equals(secondSide.id()),
                    () -> "two chats were opened as one vendor chat " + firstSide.id());
        }

        @Test
        @DisplayName("Rule 1: startChat on a desk that already started a chat fails with IllegalStateException")
        void startChatTwiceFails() {
            ChatUnderTest chat = startedChat();
            // The application's mistake, not the desk's: call the desk directly so the monitor does not count it.
            CompletionStage<Void> again = chat.call("startChat", () -> chat.desk().startChat(connectRequest(), StartChatOptions.none()));
            Throwable failure = awaitFailure(again, "rule 1: a second startChat on the same desk");
            require(1, failure instanceof IllegalStateException,
                    () -> "a second startChat must fail with IllegalStateException, but failed with " + failure);
        }

        @Test
        @DisplayName("Rule 1: desks of two chats at once keep their chats apart")
        void twoChatsAreIndependent() {
            ChatUnderTest first = startedChat();
            first.join(firstAgent());
            ChatUnderTest second = startedChat();
            second.join(secondAgent());
            String forFirst = first.agentSendsAndAwait("for the first chat");
            String forSecond = second.agentSendsAndAwait("for the second chat");
            settle();
            checkRule(1, () -> {
                assertThat(first.recording()).hasNo(messageWithId(forSecond));
                assertThat(second.recording()).hasNo(messageWithId(forFirst));
            });
        }

        @Test
        @DisplayName("startChat completes once the vendor accepted the chat, before any agent joined")
        void startCompletesBeforeJoin() {
            ChatUnderTest chat = newChat();
            AtomicReference<Long> joinsAtCompletion = new AtomicReference<>();
            CompletionStage<Void> stage = chat.startChat(connectRequest(), StartChatOptions.none())
                    .whenComplete((ok, failure) -> joinsAtCompletion.set(chat.recording().count(agentJoined())));
            await(stage, "startChat to complete");
            assertThat(joinsAtCompletion.get()).as("agentJoined calls when startChat completed").isZero();
            chat.attachAgentSide(awaitVendorChat());
        }

        @Test
        @DisplayName("The connect summary reaches the agent as the user's first message")
        void connectSummaryIsTheFirstMessage() {
            ConnectRequest request = ConnectRequest.of("billing", "The user asks about invoice 4711");
            ChatUnderTest chat = newChat();
            AgentSideChat side = chat.start(request);
            chat.awaitVendor(() -> !side.userMessages().isEmpty(), "the connect summary at the vendor");
            assertThat(side.userMessages().get(0)).isEqualTo(request.connectSummary().orElseThrow());
        }
    }

    @Nested
    @DisplayName("Agent join")
    public class AgentJoin {

        @Test
        @DisplayName("Rule 3: agentJoined is called once when the agent accepts the chat")
        void agentJoinedOnce() {
            ChatUnderTest chat = joinedChat();
            settle();
            checkRule(3, () -> assertThat(chat.recording()).hasExactly(1, agentJoined(firstAgent())));
        }

        @Test
        @DisplayName("Rule 3: the joining agent's id and nickname reach the user")
        void profileReachesTheUser() {
            ChatUnderTest chat = joinedChat();
            AgentProfile seen = chat.recording().eventsOf(CallbackEvent.AgentJoined.class).get(0).agent();
            checkRule(3, () -> {
                assertThat(seen.id()).isEqualTo(firstAgent().id());
                assertThat(seen.nickname()).isEqualTo(firstAgent().nickname());
            });
        }

        @Test
        @DisplayName("Rule 3: the first agentJoined ends the wait: no availability update follows it")
        void joinEndsTheWait() {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("hello");
            settle();
            int joinedAt = chat.recording().indexOf(agentJoined(), 0).orElseThrow();
            checkRule(3, () -> assertThat(chat.recording()).hasNoneAfter(joinedAt, availability()));
        }

        @Test
        @DisplayName("While the user waits, queue position updates reach the user")
        void queueStatusWhileWaiting() {
            assumeDeclared(Capability.QUEUE_STATUS);
            ChatUnderTest chat = startedChat();
            chat.agent().setQueueStatus(OptionalInt.of(3), Optional.of(Duration.ofMinutes(2)));
            chat.awaitEvent(queuePosition(3));
            chat.agent().setQueueStatus(OptionalInt.of(1), Optional.of(Duration.ofSeconds(20)));
            chat.awaitEvent(queuePosition(1));
            chat.join(firstAgent());
        }

        @Test
        @DisplayName("A message the user sends while waiting reaches the agent")
        void messageWhileWaiting() {
            ChatUnderTest chat = startedChat();
            chat.await(chat.send("are you there?"), "sendMessageToAgent while waiting");
            chat.awaitVendor(() -> chat.agent().userMessages().contains("are you there?"), "the waiting user's message at the vendor");
            chat.join(firstAgent());
        }
    }

    @Nested
    @DisplayName("Messages")
    public class Messages {

        @Test
        @DisplayName("Rule 8: agent messages reach the user exactly once and in the vendor's order")
        void agentMessagesExactlyOnceInOrder() {
            ChatUnderTest chat = joinedChat();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                ids.add(chat.agent().agentSends("message " + i));
            }
            for (String id : ids) {
                chat.awaitEvent(messageWithId(id).described("rule 8: sendMessageToUser of agent message " + id));
            }
            settle();
            List<String> delivered = idsOf(chat.recording().messages()).stream().filter(ids::contains).toList();
            checkRule(8, () -> assertThat(delivered).as("vendor message ids delivered to the user").containsExactlyElementsOf(ids));
        }

        @Test
        @DisplayName("Rule 8: an agent message carries the vendor's id, the agent's id and the text")
        void agentMessageFields() {
            ChatUnderTest chat = joinedChat();
            String id = chat.agentSendsAndAwait("Let me look into that.");
            AgentMessage message = chat.recording().messages().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
            checkRule(8, () -> {
                assertThat(message.text()).isEqualTo("Let me look into that.");
                assertThat(message.origin()).isEqualTo(MessageOrigin.AGENT);
                assertThat(message.agentId()).contains(firstAgent().id());
            });
        }

        @Test
        @DisplayName("User messages reach the agent in the order they were sent")
        void userMessagesInOrder() {
            ChatUnderTest chat = joinedChat();
            List<String> texts = List.of("first", "second", "third");
            for (String text : texts) {
                chat.await(chat.send(text), "sendMessageToAgent(\"" + text + "\")");
            }
            chat.awaitVendor(() -> chat.agent().userMessages().containsAll(texts), "the user's messages at the vendor");
            assertThat(chat.agent().userMessages()).containsSubsequence(texts);
        }

        @Test
        @DisplayName("A retried user message reaches the agent once")
        void retriedUserMessageOnce() {
            ChatUnderTest chat = joinedChat();
            UserMessage message = new UserMessage(chat.nextMessageId(), "only once, please");
            chat.await(chat.send(message), "sendMessageToAgent");
            chat.await(chat.send(message), "sendMessageToAgent retried with the same id");
            chat.awaitVendor(() -> chat.agent().userMessages().contains(message.text()), "the message at the vendor");
            settle();
            assertThat(chat.agent().userMessages().stream().filter(message.text()::equals).count())
                    .as("times the vendor received the retried message").isEqualTo(1);
        }

        @Test
        @DisplayName("Rule 11: a failed user message completes exceptionally and reports UserMessage with its id")
        void failedUserMessage() {
            ChatUnderTest chat = joinedChat();
            chat.agent().failNextUserMessage();
            UserMessage message = new UserMessage(chat.nextMessageId(), "this one fails");
            Throwable failure = chat.awaitFailure(chat.send(message), "rule 11: sendMessageToAgent refused by the vendor");
            require(11, failure instanceof ServiceDeskException,
                    () -> "a failed sendMessageToAgent must complete with ServiceDeskException, not " + failure);
            chat.awaitEvent(userMessageError(message.id()).described("rule 11: setErrorStatus(UserMessage(" + message.id() + "))"));
            chat.await(chat.send("this one works"), "the next sendMessageToAgent after a failure");
        }

        @Test
        @DisplayName("After the chat ended, sendMessageToAgent fails with VENDOR_REJECTED")
        void sendAfterEndFails() {
            ChatUnderTest chat = joinedChat();
            chat.end();
            Throwable failure = chat.awaitFailure(chat.send("too late"), "sendMessageToAgent after endChat");
            assertThat(failure).isInstanceOf(ServiceDeskException.class);
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
        }
    }

    @Nested
    @DisplayName("Typing")
    public class Typing {

        @Test
        @DisplayName("Rule 9: agentTyping(true) is followed by agentTyping(false) within the typing timeout")
        void typingStopsWithinTimeout() {
            assumeDeclared(Capability.AGENT_TYPING);
            ChatUnderTest chat = joinedChat();
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
            RecordingCallback.Entry on = entryAfter(chat, from, agentTyping(true));
            Optional<Instant> limit = scheduler == null ? Optional.empty() : Optional.of(on.at().plus(typingTimeout()));
            waitUntil(() -> chat.recording().indexOf(agentTyping(false), on.index()).isPresent(),
                    () -> "rule 9: agentTyping(false) within " + typingTimeout() + " of agentTyping(true)", limit);
            RecordingCallback.Entry off = entryAfter(chat, on.index(), agentTyping(false));
            Duration typedFor = Duration.between(on.at(), off.at());
            require(9, typedFor.compareTo(typingTimeout()) <= 0,
                    () -> "agentTyping(false) came " + typedFor + " after agentTyping(true), later than the typing timeout " + typingTimeout());
        }

        @Test
        @DisplayName("Rule 9: an agent message turns the typing indicator off before it is delivered")
        void messageStopsTyping() {
            assumeDeclared(Capability.AGENT_TYPING);
            ChatUnderTest chat = joinedChat();
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
            String id = chat.agentSendsAndAwait("done typing");
            requireTypingOffBefore(chat, from, messageWithId(id), "the agent's message " + id);
        }

        @Test
        @DisplayName("Rule 9: a transfer turns the typing indicator off before beginTransferToAnotherAgent")
        void transferStopsTyping() {
            assumeDeclared(Capability.AGENT_TYPING);
            assumeDeclared(Capability.TRANSFER);
            ChatUnderTest chat = joinedChat();
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
            chat.agent().transferTo(secondAgent());
            chat.awaitEventAfter(from, transferStarted(), "rule 4: beginTransferToAnotherAgent after the agent transferred");
            requireTypingOffBefore(chat, from, transferStarted(), "beginTransferToAnotherAgent");
        }

        @Test
        @DisplayName("Rule 9: the agent ending the chat turns the typing indicator off before agentEndedChat")
        void endStopsTyping() {
            assumeDeclared(Capability.AGENT_TYPING);
            ChatUnderTest chat = joinedChat();
            int from = chat.recording().size();
            chat.agent().agentTypes();
            chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
            chat.agent().agentEndsChat();
            chat.awaitEventAfter(from, agentEnded(), "rule 6: agentEndedChat after the agent ended the chat");
            requireTypingOffBefore(chat, from, agentEnded(), "agentEndedChat");
        }

        @Test
        @DisplayName("Rule 9: the user's own typing never comes back as the agent's")
        void userTypingIsNotEchoed() {
            assumeDeclared(Capability.USER_TYPING);
            ChatUnderTest chat = joinedChat();
            chat.await(chat.userTyping(true), "userTyping(true)");
            chat.await(chat.userTyping(false), "userTyping(false)");
            settle();
            checkRule(9, () -> assertThat(chat.recording()).hasNo(anyAgentTyping()));
        }

        /** Rule 9: the first agentTyping(true) from {@code from} is turned off before the first {@code event} after it. */
        private void requireTypingOffBefore(ChatUnderTest chat, int from, Predicate<? super CallbackEvent> event, String what) {
            int on = chat.recording().indexOf(agentTyping(true), from).orElseThrow();
            int at = chat.recording().indexOf(event, on).orElseThrow();
            Optional<Integer> off = chat.recording().indexOf(agentTyping(false), on);
            require(9, off.isPresent() && off.get() < at,
                    () -> "agentTyping(true) was not turned off before " + what + ":" + chat.recording().describe());
        }

        private RecordingCallback.Entry entryAfter(ChatUnderTest chat, int from, Predicate<? super CallbackEvent> predicate) {
            return chat.recording().entries().get(chat.recording().indexOf(predicate, from).orElseThrow());
        }
    }

    @Nested
    @DisplayName("Transfer")
    public class Transfer {

        @Test
        @DisplayName("Rule 4: a transfer starts after the join and completes with the new agent's agentJoined")
        void transferCompletesWithJoin() {
            assumeDeclared(Capability.TRANSFER);
            ChatUnderTest chat = joinedChat();
            chat.agent().transferTo(secondAgent());
            chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
            chat.join(secondAgent());
            checkRule(4, () -> assertThat(chat.recording())
                    .containsSubsequence(agentJoined(firstAgent()), transferStarted(), agentJoined(secondAgent())));
        }

        @Test
        @DisplayName("Rule 4: after a transfer, messages come from the new agent")
        void messagesFromTheNewAgent() {
            assumeDeclared(Capability.TRANSFER);
            ChatUnderTest chat = joinedChat();
            chat.agent().transferTo(secondAgent());
            chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
            chat.join(secondAgent());
            String id = chat.agentSendsAndAwait("Hi, I am taking over.");
            AgentMessage message = chat.recording().messages().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
            checkRule(4, () -> assertThat(message.agentId()).contains(secondAgent().id()));
        }

        @Test
        @DisplayName("Rule 4: a transfer may end with the agent ending the chat")
        void transferEndsWithAgentEnd() {
            assumeDeclared(Capability.TRANSFER);
            ChatUnderTest chat = joinedChat();
            chat.agent().transferTo(secondAgent());
            chat.awaitEvent(transferStarted().described("rule 4: beginTransferToAnotherAgent after the agent transferred"));
            chat.agent().agentEndsChat();
            chat.awaitEvent(agentEnded().described("rule 4: agentEndedChat ending a transfer"));
            checkRule(4, () -> assertThat(chat.recording()).containsSubsequence(transferStarted(), agentEnded()));
        }
    }

    @Nested
    @DisplayName("Leaving and ending")
    public class LeavingAndEnding {

        @Test
        @DisplayName("Rule 5: agentLeftChat does not end the chat")
        void leftDoesNotEnd() {
            ChatUnderTest chat = joinedChat();
            chat.agent().agentLeaves();
            chat.awaitEvent(agentLeft().described("rule 5: agentLeftChat after the agent left"));
            chat.await(chat.send("is anyone there?"), "rule 5: sendMessageToAgent after the agent left");
            chat.awaitVendor(() -> chat.agent().userMessages().contains("is anyone there?"), "rule 5: the user's message at the vendor after the agent left");
            settle();
            checkRule(5, () -> assertThat(chat.recording()).hasNo(agentEnded()));
        }

        @Test
        @DisplayName("Rule 5: another agent can join after the agent left")
        void anotherAgentJoinsAfterLeave() {
            ChatUnderTest chat = joinedChat();
            chat.agent().agentLeaves();
            chat.awaitEvent(agentLeft().described("rule 5: agentLeftChat after the agent left"));
            chat.join(secondAgent());
            chat.agentSendsAndAwait("I can help you from here.");
        }

        @Test
        @DisplayName("Rule 6: agentEndedChat is called once, and nothing follows it")
        void agentEndedOnce() {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("Goodbye!");
            chat.agent().agentEndsChat();
            chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
            settle();
            checkRule(6, () -> assertThat(chat.recording()).hasExactly(1, agentEnded()).endsWith(agentEnded()));
        }

        @Test
        @DisplayName("Rule 6: endChat after the agent ended the chat completes normally")
        void endAfterAgentEnded() {
            ChatUnderTest chat = joinedChat();
            chat.agent().agentEndsChat();
            chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
            chat.end();
        }

        @Test
        @DisplayName("Rule 7: after endChat completes, no callback is called, even with agent activity pending")
        void nothingAfterEndChat() {
            ChatUnderTest chat = joinedChat();
            if (capabilities().contains(Capability.AGENT_TYPING)) {
                int from = chat.recording().size();
                chat.agent().agentTypes();
                chat.awaitEventAfter(from, agentTyping(true), "agentTyping(true) after the agent started typing");
            }
            chat.end();
            chat.awaitVendor(chat.agent()::endedByUser, "the vendor to see the user end the chat");
            settle();
            requireNothingAfterEnd(chat);
        }

        @Test
        @DisplayName("Rule 7: endChat while waiting for an agent stops every callback")
        void endWhileWaiting() {
            ChatUnderTest chat = startedChat();
            chat.end();
            chat.awaitVendor(chat.agent()::endedByUser, "the vendor to see the user end the chat");
            settle();
            requireNothingAfterEnd(chat);
        }

        @Test
        @DisplayName("endChat is idempotent: ending twice completes twice")
        void endTwice() {
            ChatUnderTest chat = joinedChat();
            chat.end();
            chat.end();
            assertThat(chat.agent().endedByUser()).as("the vendor saw the user end the chat").isTrue();
        }
    }

    private static void requireNothingAfterEnd(ChatUnderTest chat) {
        List<CallbackEvent> events = chat.recording().events();
        int endedAt = chat.callbacksBeforeEnd();
        require(7, endedAt >= 0 && events.size() == endedAt, () -> (events.size() - endedAt) + " callbacks after endChat completed: "
                + events.subList(Math.max(0, endedAt), events.size()));
    }

    @Nested
    @DisplayName("Errors and connection recovery")
    public class ErrorsAndRecovery {

        @Test
        @DisplayName("Rule 2: a chat the vendor refuses reports Connecting, then fails startChat")
        void refusedChat() {
            driver.rejectNextChat();
            ChatUnderTest chat = newChat();
            AtomicReference<Long> connectingAtFailure = new AtomicReference<>();
            CompletionStage<Void> stage = chat.startChat(connectRequest(), StartChatOptions.none())
                    .whenComplete((ok, failure) -> connectingAtFailure.set(chat.recording().count(connectingError())));
            Throwable failure = awaitFailure(stage, "rule 2: startChat of a chat the vendor refused");
            require(2, failure instanceof ServiceDeskException,
                    () -> "startChat must fail with ServiceDeskException, not " + failure);
            require(2, connectingAtFailure.get() > 0,
                    () -> "startChat failed before the desk reported setErrorStatus(Connecting):" + chat.recording().describe());
            settle();
            checkRule(2, () -> assertThat(chat.recording()).hasNo(agentJoined()).hasNo(disconnected(true)));
        }

        @Test
        @DisplayName("Rule 10: a lost vendor connection gives Disconnected(true), then Disconnected(false) once it is back")
        void lostConnection() {
            assumeDeclared(Capability.CONNECTION_RECOVERY);
            ChatUnderTest chat = joinedChat();
            chat.agent().dropConnection();
            chat.awaitEvent(disconnected(true).described("rule 10: Disconnected(true) after the connection dropped"));
            chat.agent().restoreConnection();
            chat.awaitEvent(disconnected(false).described("rule 10: Disconnected(false) after the connection came back"));
            checkRule(10, () -> assertThat(chat.recording()).containsSubsequence(disconnected(true), disconnected(false)));
        }

        @Test
        @DisplayName("Rule 10: an agent message sent during the outage arrives once, after the connection is back")
        void nothingLostDuringOutage() {
            assumeDeclared(Capability.CONNECTION_RECOVERY);
            ChatUnderTest chat = joinedChat();
            chat.agent().dropConnection();
            chat.awaitEvent(disconnected(true).described("rule 10: Disconnected(true) after the connection dropped"));
            String id = chat.agent().agentSends("sent while you were away");
            chat.agent().restoreConnection();
            chat.awaitEvent(disconnected(false).described("rule 10: Disconnected(false) after the connection came back"));
            chat.awaitEvent(messageWithId(id).described("rule 10: the agent message sent during the outage"));
            settle();
            checkRule(10, () -> assertThat(chat.recording()).hasExactly(1, messageWithId(id)));
        }
    }

    @Nested
    @DisplayName("Persisted state and reconnect")
    public class PersistedStateAndReconnect {

        @Test
        @DisplayName("Rule 13: a desk that can reconnect persists its state once the chat started")
        void persistsOnStart() {
            assumeDeclared(Capability.RECONNECT);
            ChatUnderTest chat = joinedChat();
            chat.awaitEvent(persistedState().described("rule 13: updatePersistedState once the chat started"));
        }

        @Test
        @DisplayName("Rule 13: persisted state is small, JSON-serialisable and holds no configured secret")
        void persistedStateIsSmallAndClean() {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("something to remember");
            settle();
            List<PersistedState> states = chat.recording().eventsOf(CallbackEvent.PersistedStateUpdated.class).stream()
                    .map(CallbackEvent.PersistedStateUpdated::state).toList();
            require(13, !capabilities().contains(Capability.RECONNECT) || !states.isEmpty(),
                    () -> "the desk declares RECONNECT but never called updatePersistedState");
            Assumptions.assumeFalse(states.isEmpty(), "the desk persists no state");
            ObjectMapper json = runtime.getInstance(ObjectMapper.class);
            List<String> secrets = configuredValues.entrySet().stream().filter(e -> Configuration.isSecretKey(e.getKey()))
                    .map(Map.Entry::getValue).filter(v -> v.length() >= 4).toList();
            for (PersistedState state : states) {
                require(13, state.sizeInChars() <= PersistedState.RECOMMENDED_MAX_CHARS,
                        () -> "a persisted state of " + state.sizeInChars() + " characters is larger than " + PersistedState.RECOMMENDED_MAX_CHARS);
                try {
                    Map<String, String> back = json.readValue(json.writeValueAsString(state.values()), new TypeReference<Map<String, String>>() {});
                    require(13, back.equals(state.values()), () -> "a persisted state does not survive JSON: " + state);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError("rule 13: a persisted state is not JSON-serialisable: " + e.getMessage(), e);
                }
                for (String secret : secrets) {
                    require(13, state.values().values().stream().noneMatch(v -> v.contains(secret)),
                            () -> "a persisted state holds the value of a configured secret " + state);
                }
            }
        }

        @Test
        @DisplayName("Rule 8: a desk resumed from the last persisted state receives later agent messages exactly once")
        void resumedDeskReceivesLaterMessages() {
            assumeDeclared(Capability.RECONNECT);
            ChatUnderTest resumed = resumeAfterFirstMessage();
            String later = resumed.agent().agentSends("after the reconnect");
            resumed.awaitEvent(messageWithId(later).described("rule 8: the resumed desk receives agent message " + later));
            settle();
            checkRule(8, () -> assertThat(resumed.recording()).hasExactly(1, messageWithId(later)));
        }

        @Test
        @DisplayName("Rule 8: a resumed desk delivers what the user missed since the state was saved, once")
        void resumedDeskDeliversMissedMessages() {
            assumeDeclared(Capability.RECONNECT);
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("before the state was saved");
            settle();
            PersistedState state = lastState(chat);
            String missed = chat.agent().agentSends("while the user was away");
            ChatUnderTest resumed = resumedChat(state);
            resumed.attachAgentSide(chat.agent());
            require(8, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                    () -> "reconnect of a live chat answered false");
            resumed.awaitEvent(messageWithId(missed).described("rule 8: the missed agent message " + missed + " on the resumed desk"));
            settle();
            checkRule(8, () -> assertThat(resumed.recording()).hasExactly(1, messageWithId(missed)));
        }

        @Test
        @DisplayName("Rule 8: a resumed desk does not deliver again what the user already had")
        void resumedDeskSkipsDeliveredMessages() {
            assumeDeclared(Capability.RECONNECT);
            ChatUnderTest chat = joinedChat();
            String before = chat.agentSendsAndAwait("the user already has this one");
            settle();
            ChatUnderTest resumed = resumedChat(lastState(chat));
            resumed.attachAgentSide(chat.agent());
            require(8, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                    () -> "reconnect of a live chat answered false");
            settle();
            checkRule(8, () -> assertThat(resumed.recording()).hasNo(messageWithId(before)));
        }

        @Test
        @DisplayName("reconnect to a chat the agent ended answers false")
        void reconnectToEndedChat() {
            assumeDeclared(Capability.RECONNECT);
            ChatUnderTest chat = joinedChat();
            chat.agent().agentEndsChat();
            chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
            settle();
            ChatUnderTest resumed = resumedChat(lastState(chat));
            assertThat(resumed.await(resumed.reconnect(), "reconnect of an ended chat")).as("reconnect of an ended chat").isFalse();
        }

        private PersistedState lastState(ChatUnderTest chat) {
            return chat.recording().lastPersistedState()
                    .orElseThrow(() -> new AssertionError("rule 13: the desk declares RECONNECT but never called updatePersistedState"));
        }

        private ChatUnderTest resumeAfterFirstMessage() {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("before the reconnect");
            settle();
            ChatUnderTest resumed = resumedChat(lastState(chat));
            resumed.attachAgentSide(chat.agent());
            require(14, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                    () -> "the desk declares RECONNECT but reconnect of a live chat answered false");
            return resumed;
        }
    }

    @Nested
    @DisplayName("Threading")
    public class Threading {

        @Test
        @DisplayName("Rule 12: callbacks for one chat are never called concurrently")
        void noConcurrentCallbacks() {
            ChatUnderTest chat = joinedChat();
            chat.recording().slowDown(Duration.ofMillis(3));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                if (capabilities().contains(Capability.AGENT_TYPING)) {
                    chat.agent().agentTypes();
                }
                ids.add(chat.agent().agentSends("burst " + i));
            }
            for (String id : ids) {
                chat.awaitEvent(messageWithId(id).described("rule 8: sendMessageToUser of agent message " + id));
            }
            settle();
            chat.recording().slowDown(Duration.ZERO);
            assertNoViolationOf(12, chat);
        }

        @Test
        @DisplayName("Rule 12: no callback is made from inside the application's call into the desk")
        void noCallbackInsideCalls() {
            ChatUnderTest chat = newChat();
            Set<Capability> declared = capabilities();
            if (declared.contains(Capability.AGENTS_ONLINE)) {
                chat.await(chat.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline");
            }
            if (declared.contains(Capability.UPDATE_STATE)) {
                chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User")), "updateState");
            }
            chat.start();
            chat.join(firstAgent());
            chat.await(chat.send("hello"), "sendMessageToAgent");
            if (declared.contains(Capability.USER_TYPING)) {
                chat.await(chat.userTyping(true), "userTyping(true)");
            }
            if (declared.contains(Capability.USER_READ_RECEIPTS)) {
                chat.await(chat.userReadMessages(), "userReadMessages");
            }
            chat.end();
            settle();
            assertNoViolationOf(12, chat);
        }

        private void assertNoViolationOf(int rule, ChatUnderTest chat) {
            List<ContractViolation> broken = chat.recording().violations().stream().filter(v -> v.rule() == rule).toList();
            if (!broken.isEmpty()) {
                throw new AssertionError(broken.stream().map(String::valueOf).collect(Collectors.joining("\n")));
            }
        }
    }

    @Nested
    @DisplayName("Capabilities")
    public class Capabilities {

        @Test
        @DisplayName("Rule 14: the provider, the factory and each desk declare the same capabilities")
        void sameCapabilitiesEverywhere() {
            ChatUnderTest chat = newChat();
            checkRule(14, () -> {
                Set<Capability> announced = provider().capabilities(Configuration.of(configuredValues));
                assertThat(factory.capabilities()).as("the factory's capabilities").isEqualTo(announced);
                assertThat(chat.desk().capabilities()).as("the desk's capabilities").isEqualTo(announced);
            });
        }

        @Test
        @DisplayName("Rule 14: every optional method the desk does not declare fails with UnsupportedCapabilityException naming the capability")
        void undeclaredMethodsFail() {
            List<Capability> undeclared = new ArrayList<>();
            for (Capability capability : Capability.values()) {
                if (capability.isMethod() && !capabilities().contains(capability)) {
                    undeclared.add(capability);
                }
            }
            Assumptions.assumeFalse(undeclared.isEmpty(), "the desk declares every optional method");
            for (Capability capability : undeclared) {
                ChatUnderTest chat = capability == Capability.RECONNECT ? resumedChat(PersistedState.empty()) : newChat();
                CompletionStage<?> stage = callOptionalMethod(chat, capability);
                Throwable failure = awaitFailure(stage, "rule 14: " + capability + " is not declared, so its method must fail");
                require(14, failure instanceof UnsupportedCapabilityException u && u.capability() == capability,
                        () -> capability + " is not declared but its method failed with " + failure + " instead of UnsupportedCapabilityException");
                String message = String.valueOf(failure.getMessage());
                require(14, message.contains(capability.name()) || message.contains(capability.description()),
                        () -> "the failure of undeclared " + capability + " does not name it: " + message);
            }
        }

        private CompletionStage<?> callOptionalMethod(ChatUnderTest chat, Capability capability) {
            switch (capability) {
                case UPDATE_STATE:
                    return chat.updateState(ChatState.empty().withDisplayName("Kit User"));
                case USER_TYPING:
                    return chat.userTyping(true);
                case USER_READ_RECEIPTS:
                    return chat.userReadMessages();
                case AGENTS_ONLINE:
                    return chat.areAnyAgentsOnline(connectRequest());
                case FILE_UPLOADS:
                    return chat.filesSelectedForUpload(List.of(acceptableFile()));
                case RECONNECT:
                    return chat.reconnect();
                default:
                    throw new IllegalArgumentException(capability + " is not a method");
            }
        }

        @Test
        @DisplayName("Rule 14: declared UPDATE_STATE: updateState completes before and during a chat")
        void updateStateWorks() {
            declaredCapabilityWorks(Capability.UPDATE_STATE, () -> {
                ChatUnderTest chat = newChat();
                chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User").withLocale("en-GB")), "updateState before startChat");
                chat.start();
                chat.join(firstAgent());
                chat.await(chat.updateState(ChatState.empty().withDisplayName("Kit User Renamed")), "updateState during the chat");
            });
        }

        @Test
        @DisplayName("Rule 14: declared USER_TYPING: the agent sees the user typing")
        void userTypingWorks() {
            declaredCapabilityWorks(Capability.USER_TYPING, () -> {
                ChatUnderTest chat = joinedChat();
                chat.await(chat.userTyping(true), "userTyping(true)");
                chat.awaitVendor(() -> chat.agent().userTypingCount() > 0, "the user's typing at the vendor");
                chat.await(chat.userTyping(false), "userTyping(false)");
            });
        }

        @Test
        @DisplayName("Rule 14: declared USER_READ_RECEIPTS: the agent sees the user's read receipt")
        void userReadReceiptsWork() {
            declaredCapabilityWorks(Capability.USER_READ_RECEIPTS, () -> {
                ChatUnderTest chat = joinedChat();
                chat.agentSendsAndAwait("please read me");
                chat.await(chat.userReadMessages(), "userReadMessages");
                chat.awaitVendor(() -> chat.agent().userReadCount() > 0, "the user's read receipt at the vendor");
            });
        }

        @Test
        @DisplayName("Rule 14: declared AGENTS_ONLINE: the answer follows whether agents are online")
        void agentsOnlineWorks() {
            declaredCapabilityWorks(Capability.AGENTS_ONLINE, () -> {
                driver.setAgentsOnline(true);
                ChatUnderTest online = newChat();
                assertThat(online.await(online.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline with agents online"))
                        .as("areAnyAgentsOnline with agents online").isEqualTo(AgentsOnline.ONLINE);
                driver.setAgentsOnline(false);
                ChatUnderTest offline = newChat();
                assertThat(offline.await(offline.areAnyAgentsOnline(connectRequest()), "areAnyAgentsOnline with no agent online"))
                        .as("areAnyAgentsOnline with no agent online").isEqualTo(AgentsOnline.OFFLINE);
            });
        }

        @Test
        @DisplayName("Rule 14: declared FILE_UPLOADS: a selected file is accepted and a message with it reaches the agent")
        void fileUploadsWork() {
            declaredCapabilityWorks(Capability.FILE_UPLOADS, () -> {
                ChatUnderTest chat = joinedChat();
                FileUpload file = acceptableFile();
                chat.await(chat.filesSelectedForUpload(List.of(file)), "filesSelectedForUpload");
                chat.await(chat.send(new UserMessage(chat.nextMessageId(), "see the attached file", List.of(file))),
                        "sendMessageToAgent with a file");
                settle();
                assertThat(chat.recording().eventsOf(CallbackEvent.FileStatus.class).stream().map(CallbackEvent.FileStatus::status)
                        .filter(s -> s.fileId().equals(file.id()) && s.isError()).toList())
                        .as("errors reported for an acceptable file").isEmpty();
            });
        }

        @Test
        @DisplayName("Rule 14: declared RECONNECT: a new desk resumes the chat from the last persisted state")
        void reconnectWorks() {
            declaredCapabilityWorks(Capability.RECONNECT, () -> {
                ChatUnderTest chat = joinedChat();
                chat.agentSendsAndAwait("before the reconnect");
                settle();
                PersistedState state = chat.recording().lastPersistedState()
                        .orElseThrow(() -> new AssertionError("no updatePersistedState was called"));
                ChatUnderTest resumed = resumedChat(state);
                resumed.attachAgentSide(chat.agent());
                assertThat(resumed.await(resumed.reconnect(), "reconnect of a live chat")).as("reconnect of a live chat").isTrue();
                String later = resumed.agent().agentSends("after the reconnect");
                resumed.awaitEvent(messageWithId(later));
                settle();
                assertThat(resumed.recording()).hasExactly(1, messageWithId(later));
            });
        }

        @Test
        @DisplayName("Rule 14: declared AGENT_TYPING: the user sees the agent typing")
        void agentTypingWorks() {
            declaredCapabilityWorks(Capability.AGENT_TYPING, () -> {
                ChatUnderTest chat = joinedChat();
                chat.agent().agentTypes();
                chat.awaitEvent(agentTyping(true));
            });
        }

        @Test
        @DisplayName("Rule 14: declared AGENT_READ_RECEIPTS: the user sees the agent's read receipt")
        void agentReadReceiptsWork() {
            declaredCapabilityWorks(Capability.AGENT_READ_RECEIPTS, () -> {
                ChatUnderTest chat = joinedChat();
                chat.await(chat.send("read this"), "sendMessageToAgent");
                chat.agent().agentReads();
                chat.awaitEvent(agentRead());
            });
        }

        @Test
        @DisplayName("Rule 14: declared QUEUE_STATUS: the user sees the queue position while waiting")
        void queueStatusWorks() {
            declaredCapabilityWorks(Capability.QUEUE_STATUS, () -> {
                ChatUnderTest chat = startedChat();
                chat.agent().setQueueStatus(OptionalInt.of(2), Optional.of(Duration.ofMinutes(1)));
                chat.awaitEvent(queuePosition(2));
            });
        }

        @Test
        @DisplayName("Rule 14: declared TRANSFER: the user sees a transfer start")
        void transferWorks() {
            declaredCapabilityWorks(Capability.TRANSFER, () -> {
                ChatUnderTest chat = joinedChat();
                chat.agent().transferTo(secondAgent());
                chat.awaitEvent(transferStarted());
            });
        }

        @Test
        @DisplayName("Rule 14: declared CONNECTION_RECOVERY: a dropped connection is reported and recovered with nothing lost")
        void connectionRecoveryWorks() {
            declaredCapabilityWorks(Capability.CONNECTION_RECOVERY, () -> {
                ChatUnderTest chat = joinedChat();
                chat.agent().dropConnection();
                chat.awaitEvent(disconnected(true));
                String id = chat.agent().agentSends("during the outage");
                chat.agent().restoreConnection();
                chat.awaitEvent(disconnected(false));
                chat.awaitEvent(messageWithId(id));
                settle();
                assertThat(chat.recording()).hasExactly(1, messageWithId(id));
            });
        }
    }

    /** Which errors a recording reported, for diagnostics in desk tests. */
    protected static List<ErrorInfo> errorsOf(ChatUnderTest chat) {
        return chat.recording().eventsOf(CallbackEvent.ErrorStatus.class).stream().map(CallbackEvent.ErrorStatus::error).toList();
    }
}

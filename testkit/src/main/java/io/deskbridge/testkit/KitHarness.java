package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatStatus;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The kit's harness for one test, apart from the tests themselves: the environment (driver, runtime, virtual or real
 * time, the worker pool, the chats), the one waiting loop over real and virtual time, and the errors collected on the
 * way (rules the run-time monitor saw broken, defects of the desk's calls, exceptions on desk threads). Created before
 * each test by {@link ServiceDeskConformanceKit}; used from the test thread only.
 */
final class KitHarness {

    private static final AtomicInteger WORKER_THREADS = new AtomicInteger();
    /** How many callbacks before the one that broke a rule a report shows. */
    private static final int SEQUENCE_CONTEXT = 12;

    private final ServiceDeskConformanceKit kit;
    private final KitTiming timing;
    private final String canarySecret;
    private final AgentDriver driver;
    private final Deskbridge runtime;
    private final Configuration configuration;
    private final Optional<VirtualScheduler> scheduler;
    private final TrackedWorkers workers;
    private final ServiceDeskFactory factory;
    private final Clock clock;
    private final List<ChatUnderTest> chats = new ArrayList<>();
    private final List<Throwable> defects = new ArrayList<>();
    private final DeskCalls deskCalls = new DeskCalls();
    private final Set<Capability> exercised = EnumSet.noneOf(Capability.class);
    private int chatCounter;

    /** Builds the environment of one test: the driver, the configuration, then the runtime. */
    KitHarness(ServiceDeskConformanceKit kit, String canarySecret) {
        this.kit = requireNonNull(kit, "kit is null");
        this.timing = requireNonNull(kit.timing(), "timing() returned null");
        this.canarySecret = requireNonNull(canarySecret, "canarySecret is null");
        this.driver = requireNonNull(kit.agentDriver(), "agentDriver() returned null");
        Map<String, String> values = new HashMap<>(requireNonNull(kit.configuration(), "configuration() returned null"));
        values.put(Configuration.DESK_KEY, kit.provider().name());
        this.configuration = Configuration.of(values);
        Deskbridge.Builder builder = Deskbridge.builder()
                .configuration(configuration)
                .providers(ServiceDeskProviders.of(List.of(kit.provider())));
        workers = new TrackedWorkers(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "kit-worker-" + WORKER_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }));
        builder.overrideInfrastructure(binder -> binder.bind(ExecutorService.class).toInstance(workers));
        if (kit.virtualTime()) {
            VirtualScheduler virtual = new VirtualScheduler();
            scheduler = Optional.of(virtual);
            builder.overrideInfrastructure(binder -> {
                binder.bind(Clock.class).toInstance(virtual.clock());
                binder.bind(ScheduledExecutorService.class).toInstance(virtual);
            });
        } else {
            scheduler = Optional.empty();
        }
        try {
            runtime = builder.build();
        } catch (RuntimeException e) {
            closeQuietly(driver);
            workers.shutdownNow();
            scheduler.ifPresent(VirtualScheduler::shutdownNow);
            throw e;
        }
        try {
            clock = runtime.getInstance(Clock.class);
            driver.attach(runtime);
            factory = runtime.getInstance(ServiceDeskFactory.class);
        } catch (RuntimeException e) {
            closeQuietly(driver);
            closeQuietly(runtime);
            workers.shutdownNow();
            scheduler.ifPresent(VirtualScheduler::shutdownNow);
            throw e;
        }
    }

    KitTiming timing() {
        return timing;
    }

    AgentDriver driver() {
        return driver;
    }

    Deskbridge runtime() {
        return runtime;
    }

    ServiceDeskFactory factory() {
        return factory;
    }

    Clock clock() {
        return clock;
    }

    Optional<VirtualScheduler> scheduler() {
        return scheduler;
    }

    Configuration configuration() {
        return configuration;
    }

    String canarySecret() {
        return canarySecret;
    }

    Set<Capability> capabilities() {
        Set<Capability> declared = factory.capabilities();
        return declared.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(declared);
    }

    /** The test exercises {@code capability}: when the desk declares it, a missing driver hook fails the test. */
    void exercises(Capability capability) {
        if (capabilities().contains(capability)) {
            exercised.add(capability);
        }
    }

    /** The declared capabilities the running test exercises. */
    Set<Capability> exercised() {
        return exercised.isEmpty() ? Set.of() : EnumSet.copyOf(exercised);
    }

    // ---- chats ----

    ChatUnderTest createChat(Optional<PersistedState> state) {
        String chatId = "kit-chat-" + (++chatCounter);
        RecordingCallback recording = new RecordingCallback(clock, timing.typingTimeout());
        ServiceDesk desk = factory.create(new DeskContext(chatId, recording, state));
        if (desk == null) {
            throw new AssertionError("the factory created no desk (null) for " + chatId);
        }
        recording.declaredCapabilities(desk.capabilities());
        ChatUnderTest chat = new ChatUnderTest(kit, this, chatId, desk, recording);
        chats.add(chat);
        return chat;
    }

    List<ChatUnderTest> chats() {
        return List.copyOf(chats);
    }

    ChatUnderTest currentChat() {
        if (chats.isEmpty()) {
            throw new IllegalStateException("no chat yet: call newChat() first");
        }
        return chats.get(chats.size() - 1);
    }

    // ---- collected errors ----

    /** Records a defect found outside a callback (reported after the test). */
    void defect(Throwable defect) {
        synchronized (defects) {
            defects.add(defect);
        }
    }

    /**
     * What the run-time monitor found broken so far, each attributed to its rule and shown with the callback sequence
     * that broke it, whichever test is running.
     */
    List<String> monitorFindings() {
        List<String> found = new ArrayList<>();
        for (ChatUnderTest chat : chats) {
            for (RecordingCallback.Finding finding : chat.recording().findings()) {
                found.add(finding.violation() + " (chat " + chat.chatId() + ", callback " + finding.atCallback()
                        + ", found by the run-time monitor)\n    the callbacks that broke it:"
                        + chat.recording().describeUpTo(finding, SEQUENCE_CONTEXT));
            }
        }
        return found;
    }

    /**
     * Ends what is still open, lets pending work run, closes the driver and the runtime, and throws if a rule was
     * broken at any moment of the test or an exception escaped on a desk thread.
     */
    void finish(String deskName) {
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try {
            for (ChatUnderTest chat : List.copyOf(chats)) {
                ChatStatus status = chat.recording().status();
                if (chat.isStarted() && !chat.isEnded() && !chat.isDetached() && !status.isTerminal()) {
                    try {
                        await(chat.endChat(), "endChat of " + chat.chatId() + " while the kit cleans up");
                    } catch (AssertionError | RuntimeException e) {
                        causes.add(e);
                        problems.add("cleaning up: " + e.getMessage());
                    }
                }
            }
            if (scheduler.isPresent()) {
                settle();
            }
        } finally {
            problems.addAll(monitorFindings());
            synchronized (defects) {
                for (Throwable defect : defects) {
                    causes.add(defect);
                    problems.add(String.valueOf(defect.getMessage()));
                }
            }
            List<Throwable> escaped = new ArrayList<>(workers.failures());
            scheduler.ifPresent(s -> escaped.addAll(s.failures()));
            for (Throwable failure : escaped) {
                causes.add(failure);
                problems.add("exception on a desk thread: " + failure);
            }
            close(driver, "the agent driver", problems, causes);
            close(runtime, "the runtime", problems, causes);
            scheduler.ifPresent(VirtualScheduler::shutdownNow);
            workers.shutdownNow();
            chats.clear();
        }
        if (!problems.isEmpty()) {
            AssertionError failure = new AssertionError("The " + deskName + " desk broke the contract:\n  - " + String.join("\n  - ", problems));
            causes.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void close(AutoCloseable closeable, String what, List<String> problems, List<Throwable> causes) {
        try {
            closeable.close();
        } catch (Exception e) {
            causes.add(e);
            problems.add("closing " + what + " failed: " + e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the start failed already; that failure is the one to report
        }
    }

    // ---- waiting ----

    private record Outcome<T>(T value, Throwable failure) {}

    private static <T> AtomicReference<Outcome<T>> outcomeOf(CompletionStage<T> stage) {
        AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
        stage.whenComplete((value, failure) -> outcome.set(new Outcome<>(value, CompletionFailures.unwrap(failure))));
        return outcome;
    }

    <T> T await(CompletionStage<T> stage, String what) {
        AtomicReference<Outcome<T>> outcome = outcomeOf(stage);
        awaitOutcome(stage, outcome, what);
        Outcome<T> done = outcome.get();
        if (done.failure() != null) {
            throw new AssertionError(what + ": failed with " + done.failure(), done.failure());
        }
        return done.value();
    }

    Throwable awaitFailure(CompletionStage<?> stage, String what) {
        AtomicReference<? extends Outcome<?>> outcome = outcomeOf(stage);
        awaitOutcome(stage, outcome, what);
        Throwable failure = outcome.get().failure();
        if (failure == null) {
            throw new AssertionError(what + ": expected a failure but it completed normally with " + outcome.get().value());
        }
        return failure;
    }

    /** The stages of the desk's calls, to name the rule when one never completes. */
    DeskCalls deskCalls() {
        return deskCalls;
    }

    private void awaitOutcome(CompletionStage<?> stage, AtomicReference<? extends Outcome<?>> outcome, String what) {
        try {
            waitUntil(() -> outcome.get() != null, () -> what, Optional.empty(), false);
        } catch (AssertionError e) {
            throw deskCalls.neverCompleted(stage, e);
        }
    }

    /** See {@link ServiceDeskConformanceKit#settle()}. */
    void settle() {
        long deadline = System.nanoTime() + timing.awaitTimeout().toNanos();
        if (scheduler.isEmpty()) {
            int seen = totalCallbacks();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < timing.quietPeriod().toNanos() && System.nanoTime() < deadline) {
                parkBriefly();
                int now = totalCallbacks();
                if (now != seen) {
                    seen = now;
                    quietSince = System.nanoTime();
                }
            }
            return;
        }
        VirtualScheduler virtual = scheduler.get();
        Instant until = virtual.now().plus(timing.settleTime());
        while (System.nanoTime() < deadline) {
            if (virtual.runDueTasks() > 0 || awaitSchedulerActivity(virtual) || workers.inFlight() > 0) {
                continue;
            }
            Optional<Instant> next = virtual.nextTaskTime();
            if (next.isPresent() && !next.get().isAfter(until)) {
                virtual.runNextTask();
                continue;
            }
            break;
        }
        virtual.advanceTo(until);
    }

    /** Moves virtual time by {@code duration}, running what falls due. */
    void advance(Duration duration) {
        VirtualScheduler virtual = scheduler.orElseThrow(() -> new IllegalStateException("advance needs virtual time"));
        waitUntil(() -> false, () -> "advancing " + duration, Optional.of(virtual.now().plus(duration)), true);
    }

    /** See {@link ServiceDeskConformanceKit#awaitVendorChat()}. */
    AgentSideChat awaitVendorChat() {
        if (scheduler.isEmpty()) {
            return driver.awaitChat(timing.awaitTimeout());
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
            }, () -> "the vendor to hand the chat to the agent driver (AgentDriver.awaitChat)", Optional.empty(), false);
        } catch (AssertionError e) {
            if (last.get() != null) {
                e.addSuppressed(last.get());
            }
            throw e;
        }
        return found.get();
    }

    /**
     * The kit's one waiting loop. On real time it polls {@code condition} until the await timeout. On virtual time it
     * runs due tasks, gives other threads a moment, then moves the clock to the next scheduled task, until the
     * condition holds, the virtual limit is reached, or nothing happened for the idle timeout with nothing left to run.
     */
    void waitUntil(BooleanSupplier condition, Supplier<String> description, Optional<Instant> virtualDeadline, boolean untilDeadline) {
        long deadline = System.nanoTime() + timing.awaitTimeout().toNanos();
        if (scheduler.isEmpty()) {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw timeout(description.get(), "within " + timing.awaitTimeout().toMillis() + " ms");
                }
                parkBriefly();
            }
            return;
        }
        VirtualScheduler virtual = scheduler.get();
        Instant virtualStart = virtual.now();
        Instant limit = virtualDeadline.orElse(virtualStart.plus(timing.virtualWaitLimit()));
        long lastActivity = activity(virtual);
        long quietSince = System.nanoTime();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw timeout(description.get(), "within " + timing.awaitTimeout().toMillis() + " ms of real time (virtual clock moved "
                        + Duration.between(virtualStart, virtual.now()) + ")");
            }
            if (virtual.runDueTasks() > 0 || awaitSchedulerActivity(virtual)) {
                continue;
            }
            if (condition.getAsBoolean()) {
                return;
            }
            long now = activity(virtual);
            if (now != lastActivity) {
                lastActivity = now;
                quietSince = System.nanoTime();
            }
            long quietFor = System.nanoTime() - quietSince;
            if (workers.inFlight() > 0 && quietFor < timing.idleTimeout().toNanos()) {
                continue; // real work under way: let it finish before time moves
            }
            Optional<Instant> next = virtual.nextTaskTime();
            if (next.isPresent() && !next.get().isAfter(limit)) {
                virtual.runNextTask();
                continue;
            }
            if (untilDeadline) {
                virtual.advanceTo(limit);
                return;
            }
            if (quietFor > timing.idleTimeout().toNanos()) {
                String why = next.isPresent()
                        ? "before " + Duration.between(virtualStart, limit) + " of virtual time passed (next task at +"
                                + Duration.between(virtualStart, next.get()) + ")"
                        : "and the desk has nothing scheduled (virtual clock moved " + Duration.between(virtualStart, virtual.now()) + ")";
                throw timeout(description.get(), why);
            }
        }
    }

    private static boolean awaitSchedulerActivity(VirtualScheduler virtual) {
        try {
            return virtual.awaitActivity(Duration.ofMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    private long activity(VirtualScheduler virtual) {
        return virtual.activityCount() * 31 + workers.activityCount() * 17 + totalCallbacks();
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
}

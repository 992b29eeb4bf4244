package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
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
 * <p><b>Each test</b> gets a fresh {@linkplain KitHarness harness}: the kit creates the driver
 * ({@link #agentDriver()}), reads {@link #configuration()} (plus {@code desk=<provider name>}), builds a
 * {@link Deskbridge} with only {@link #provider()} and, when {@link #virtualTime()}, a {@link VirtualScheduler} as its
 * {@code Clock} and {@code ScheduledExecutorService}; then {@link AgentDriver#attach(Deskbridge)}. Tests use the
 * desk's {@link ServiceDeskFactory} directly (raw desks, not {@code ChatSession}, which would hide violations), each
 * with a {@link RecordingCallback} whose run-time monitor checks every callback.
 *
 * <p><b>Failures</b> name the rule. A rule the run-time monitor saw broken is reported as that rule, with the
 * callbacks that broke it, whichever test was running: first when the test failed too, and after the test when it
 * passed. Exceptions that escaped on desk threads are reported after the test.
 *
 * <p><b>Skips.</b> A test that needs a capability the desk does not declare is skipped saying so. A test whose driver
 * hook throws {@link DriverHookMissing} fails when it exercises a capability the desk declares, naming the hook, and
 * is skipped otherwise ("implement &lt;hook&gt; to run this test"). Every run prints its skip count and reasons.
 *
 * <p>The tests live in one {@code @Nested} group per feature, each a class of its own (for example
 * {@link MessageTests}); this class holds the hooks and what desk tests reuse.
 */
@ExtendWith(KitOutcomes.class)
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
     * {@code example.joinDelay}). Called before each test, after {@link #agentDriver()}. Where the fake vendor accepts
     * any value, configure secret settings with {@link #canarySecret()}.
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

    /**
     * Every wait of the kit in one record. The default takes {@link #awaitTimeout()}, {@link #typingTimeout()},
     * {@link #quietPeriod()}, {@link #idleTimeout()}, {@link #virtualWaitLimit()} and {@link #settleTime()}: override
     * either this or those.
     */
    protected KitTiming timing() {
        return new KitTiming(awaitTimeout(), typingTimeout(), quietPeriod(), idleTimeout(), virtualWaitLimit(), settleTime());
    }

    /** The longest the kit waits, in real time, for the desk to do something. */
    protected Duration awaitTimeout() {
        return KitTiming.DEFAULTS.awaitTimeout();
    }

    /**
     * The longest the desk may leave an agent typing indicator on (rule 9). On real time, keep it short (and
     * configure the desk to match).
     */
    protected Duration typingTimeout() {
        return KitTiming.DEFAULTS.typingTimeout();
    }

    /** On real time, how long {@link #settle()} watches for callbacks that must not come. */
    protected Duration quietPeriod() {
        return KitTiming.DEFAULTS.quietPeriod();
    }

    /** On virtual time, how long a wait goes on with nothing scheduled, running or happening before it fails early. */
    protected Duration idleTimeout() {
        return KitTiming.DEFAULTS.idleTimeout();
    }

    /** How far a wait may move virtual time before it gives up (virtual time only). */
    protected Duration virtualWaitLimit() {
        return KitTiming.DEFAULTS.virtualWaitLimit();
    }

    /** How far {@link #settle()} moves virtual time before a "nothing else happens" check (virtual time only). */
    protected Duration settleTime() {
        return KitTiming.DEFAULTS.settleTime();
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

    /**
     * A file the vendor refuses, which the desk must report with {@code setFileUploadStatus} as soon as it is
     * selected ({@link Capability#FILE_UPLOADS}). By default a 2 GiB executable, larger than any vendor takes; its
     * content is never held in memory.
     */
    protected FileUpload refusedFile() {
        long size = 2L * 1024 * 1024 * 1024;
        return new FileUpload("file-refused", "kit-setup.exe", "application/x-msdownload", size, () -> InputStream.nullInputStream());
    }

    /**
     * How many agent messages the kit's long chat has (rule 13: persisted state stays small however long the chat).
     * Hundreds by default; at least 100.
     */
    protected int longChatMessages() {
        return 300;
    }

    // ---- per-test state ----

    private final String canarySecret = "kit-canary-" + UUID.randomUUID();
    private KitHarness harness;

    @BeforeEach
    final void startHarness() {
        harness = new KitHarness(this, canarySecret);
    }

    @AfterEach
    final void stopHarness() {
        KitHarness finishing = harness;
        if (finishing != null) {
            finishing.finish(provider().name());
        }
    }

    /** The harness of the running test, if it started. */
    final Optional<KitHarness> harness() {
        return Optional.ofNullable(harness);
    }

    final KitHarness requireHarness() {
        if (harness == null) {
            throw new IllegalStateException("the kit's harness is not started: call this from a test");
        }
        return harness;
    }

    // ---- what desk tests reuse ----

    /**
     * A secret the kit made up for this test, which must never appear in a persisted state (rule 13). Configure it as
     * the value of the desk's secret settings ({@code Map.of("acme.apiKey", canarySecret())}) where its fake vendor
     * accepts any value; the kit checks it along with every value of a setting the desk declared secret (read with
     * {@code Settings.secret}) or whose name looks secret.
     */
    protected final String canarySecret() {
        return canarySecret;
    }

    /** The timing of this test. */
    protected final KitTiming kitTiming() {
        return requireHarness().timing();
    }

    /** The driver of this test. */
    protected final AgentDriver driver() {
        return requireHarness().driver();
    }

    /** The runtime of this test. */
    protected final Deskbridge runtime() {
        return requireHarness().runtime();
    }

    /** The desk's factory. */
    protected final ServiceDeskFactory factory() {
        return requireHarness().factory();
    }

    /** The clock the desk sees (virtual or the system's). */
    protected final Clock clock() {
        return requireHarness().clock();
    }

    /** The virtual scheduler, when the kit runs on virtual time. */
    protected final Optional<VirtualScheduler> scheduler() {
        return requireHarness().scheduler();
    }

    /** What the desk's factory declares. */
    protected final Set<Capability> capabilities() {
        return requireHarness().capabilities();
    }

    /** A fresh desk for a new chat, with a recording callback. */
    protected final ChatUnderTest newChat() {
        return requireHarness().createChat(Optional.empty());
    }

    /** A fresh desk created with {@code state}, to {@link ChatUnderTest#reconnect()}. */
    protected final ChatUnderTest resumedChat(PersistedState state) {
        return requireHarness().createChat(Optional.of(requireNonNull(state, "state is null")));
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
        return requireHarness().currentChat();
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

    /**
     * Skips the test unless the desk declares {@code capability}. Once it passes, the test exercises a declared
     * capability: a driver hook missing on the way fails the test instead of skipping it.
     */
    protected final void assumeDeclared(Capability capability) {
        Assumptions.assumeTrue(capabilities().contains(capability),
                () -> "the desk does not declare " + capability + " (" + capability.description() + ")");
        requireHarness().exercises(capability);
    }

    /** Waits for {@code stage} to complete normally and returns its value. */
    protected final <T> T await(CompletionStage<T> stage, String what) {
        return requireHarness().await(stage, what);
    }

    /** Waits for {@code stage} to complete exceptionally and returns the failure, unwrapped. */
    protected final Throwable awaitFailure(CompletionStage<?> stage, String what) {
        return requireHarness().awaitFailure(stage, what);
    }

    /**
     * Lets pending work finish: on virtual time, runs what is due and moves the clock {@link #settleTime()} ahead,
     * running everything scheduled on the way; on real time, waits until no callback arrived for
     * {@link #quietPeriod()}. Call it before checking that something did not happen.
     */
    protected final void settle() {
        requireHarness().settle();
    }

    /**
     * Moves virtual time forward by {@code duration}, running what falls due. On real time the test is skipped: it
     * needs {@link #virtualTime()}.
     */
    protected final void advance(Duration duration) {
        Assumptions.assumeTrue(scheduler().isPresent(), "this test moves the clock: it needs virtualTime()");
        requireHarness().advance(duration);
    }

    /** The next chat the desk opened at the vendor, from {@link AgentDriver#awaitChat(Duration)}. */
    protected final AgentSideChat awaitVendorChat() {
        return requireHarness().awaitVendorChat();
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

    /**
     * Exercises a declared capability; a failure is reported as a violation of rule 14 naming it, unless another rule
     * broke on the way (then that rule is reported).
     */
    protected final void declaredCapabilityWorks(Capability capability, Runnable exercise) {
        assumeDeclared(capability);
        try {
            exercise.run();
        } catch (DriverHookMissing | TestAbortedException e) {
            throw e;
        } catch (AssertionError | RuntimeException e) {
            if (e instanceof AssertionError && String.valueOf(e.getMessage()).matches("(?s)rule (1[0-3]|[1-9]):.*")) {
                throw e;
            }
            throw new AssertionError("rule 14: the desk declares " + capability + " (" + capability.description()
                    + ") but it does not work: " + e.getMessage(), e);
        }
    }

    /** Which errors a recording reported, for diagnostics in desk tests. */
    protected static List<ErrorInfo> errorsOf(ChatUnderTest chat) {
        return chat.recording().eventsOf(CallbackEvent.ErrorStatus.class).stream().map(CallbackEvent.ErrorStatus::error).toList();
    }

    // ==== the tests: one group per feature ====

    @Nested
    @DisplayName("Starting a chat (rules 1 and 2)")
    public class StartingAChat extends StartTests {
        public StartingAChat() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Agent join and the wait (rule 3)")
    public class AgentJoin extends JoinTests {
        public AgentJoin() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Messages (rules 8 and 11)")
    public class Messages extends MessageTests {
        public Messages() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Typing (rule 9)")
    public class Typing extends TypingTests {
        public Typing() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Transfer (rule 4)")
    public class Transfer extends TransferTests {
        public Transfer() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Leaving and ending (rules 5, 6 and 7)")
    public class LeavingAndEnding extends EndingTests {
        public LeavingAndEnding() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Lost connections (rule 10, with rule 8)")
    public class ErrorsAndRecovery extends RecoveryTests {
        public ErrorsAndRecovery() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Persisted state and reconnect (rules 13 and 8)")
    public class PersistedStateAndReconnect extends PersistenceTests {
        public PersistedStateAndReconnect() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Threading (rule 12)")
    public class Threading extends ThreadingTests {
        public Threading() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("Capabilities (rule 14)")
    public class Capabilities extends CapabilityTests {
        public Capabilities() {
            super(ServiceDeskConformanceKit.this);
        }
    }

    @Nested
    @DisplayName("What declared capabilities carry to the vendor (rule 14)")
    public class CarriedToTheVendor extends VendorSideTests {
        public CarriedToTheVendor() {
            super(ServiceDeskConformanceKit.this);
        }
    }
}

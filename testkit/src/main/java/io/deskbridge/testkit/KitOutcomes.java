package io.deskbridge.testkit;

import io.deskbridge.spi.Capability;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * How a kit test ends, beyond what its body threw:
 * <ul>
 *   <li>a {@link DriverHookMissing} fails the test when it exercises a capability the desk declares (naming the hook:
 *       a declared capability must prove itself), and otherwise skips it ("implement AgentSideChat.x to run this
 *       test");</li>
 *   <li>a failing test whose chats broke a rule on the way reports that rule first, with the callbacks that broke it:
 *       the run-time monitor's finding is the cause, whichever test was running;</li>
 *   <li>each desk's kit run prints how many tests ran and were skipped, and why each skipped one was.</li>
 * </ul>
 */
final class KitOutcomes implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler, TestWatcher,
        AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KitOutcomes.class);

    /** The capability each optional hook serves: when the desk declares it, the hook is not optional. */
    private static final Map<String, Capability> HOOK_CAPABILITIES = Map.ofEntries(
            Map.entry("AgentDriver.setAgentsOnline", Capability.AGENTS_ONLINE),
            Map.entry("AgentSideChat.setQueueStatus", Capability.QUEUE_STATUS),
            Map.entry("AgentSideChat.agentReads", Capability.AGENT_READ_RECEIPTS),
            Map.entry("AgentSideChat.transferTo", Capability.TRANSFER),
            Map.entry("AgentSideChat.dropConnection", Capability.CONNECTION_RECOVERY),
            Map.entry("AgentSideChat.restoreConnection", Capability.CONNECTION_RECOVERY),
            Map.entry("AgentSideChat.userTypingCount", Capability.USER_TYPING),
            Map.entry("AgentSideChat.userReadCount", Capability.USER_READ_RECEIPTS),
            Map.entry("AgentSideChat.userName", Capability.UPDATE_STATE),
            Map.entry("AgentSideChat.userLocale", Capability.UPDATE_STATE),
            Map.entry("AgentSideChat.userFiles", Capability.FILE_UPLOADS));

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(context, throwable, true);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(context, throwable, false);
    }

    private static Throwable translate(ExtensionContext context, Throwable throwable, boolean inTest) {
        Optional<KitHarness> harness = context.getTestInstances()
                .flatMap(instances -> instances.findInstance(ServiceDeskConformanceKit.class))
                .flatMap(ServiceDeskConformanceKit::harness);
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            if (cause instanceof DriverHookMissing missing) {
                Set<Capability> declared = EnumSet.noneOf(Capability.class);
                harness.ifPresent(h -> {
                    declared.addAll(h.exercised());
                    Optional.ofNullable(HOOK_CAPABILITIES.get(missing.hook())).filter(h.capabilities()::contains).ifPresent(declared::add);
                });
                if (!declared.isEmpty()) {
                    AssertionError failure = new AssertionError("rule 14: the desk declares " + describe(declared)
                            + " but the agent driver lacks " + missing.hook() + ", so the kit cannot check it: implement "
                            + missing.hook() + " in the agent driver", missing);
                    if (cause != throwable) {
                        failure.addSuppressed(throwable);
                    }
                    return failure;
                }
                TestAbortedException skipped = new TestAbortedException(missing.getMessage(), missing);
                if (cause != throwable) {
                    skipped.addSuppressed(throwable);
                }
                return skipped;
            }
        }
        if (inTest && !(throwable instanceof TestAbortedException) && harness.isPresent()) {
            List<String> findings = harness.get().monitorFindings();
            if (!findings.isEmpty()) {
                AssertionError failure = new AssertionError(String.join("\n", findings)
                        + "\nand then the test failed: " + throwable.getMessage(), throwable);
                return failure;
            }
        }
        return throwable;
    }

    private static String describe(Set<Capability> capabilities) {
        return capabilities.stream().map(c -> c + " (" + c.description() + ")").collect(Collectors.joining(" and "));
    }

    // ---- the skip count ----

    private record Tally(AtomicInteger run, List<String> skipped) {}

    private static Tally tally(ExtensionContext context) {
        ExtensionContext top = context;
        while (top.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            top = top.getParent().orElseThrow();
        }
        return top.getStore(NAMESPACE).getOrComputeIfAbsent(Tally.class, k -> new Tally(new AtomicInteger(), new ArrayList<>()), Tally.class);
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        tally(context).run().incrementAndGet();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        tally(context).run().incrementAndGet();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        Tally tally = tally(context);
        tally.run().incrementAndGet();
        synchronized (tally.skipped()) {
            tally.skipped().add(context.getDisplayName() + ": "
                    + (cause == null ? "" : String.valueOf(cause.getMessage()).replaceFirst("^Assumption failed: ", "")));
        }
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        Tally tally = tally(context);
        synchronized (tally.skipped()) {
            tally.skipped().add(context.getDisplayName() + ": disabled " + reason.orElse(""));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            return; // a @Nested group: the desk's class reports for all of them
        }
        Tally tally = tally(context);
        List<String> skipped;
        synchronized (tally.skipped()) {
            skipped = List.copyOf(tally.skipped());
        }
        StringBuilder report = new StringBuilder("[deskbridge conformance kit] ").append(context.getDisplayName())
                .append(": ").append(tally.run().get()).append(" tests, ").append(skipped.size()).append(" skipped");
        for (String skip : skipped) {
            report.append("\n  skipped: ").append(skip);
        }
        // Printed, not logged: the skip count belongs in every desk's test output, whatever its logging setup.
        System.out.println(report);
    }
}

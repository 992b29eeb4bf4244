package io.deskbridge.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The outcome of running one conformance test class through the JUnit Platform launcher, as the kit's own tests
 * inspect it: every test by its display name, with its status and the full text of its failure.
 */
final class KitRun {

    /** One test: its display name, how it ended, and the text of its failure or skip reason. */
    record Outcome(String displayName, String group, TestExecutionResult.Status status, String text, Duration took) {
        boolean failed() {
            return status == TestExecutionResult.Status.FAILED;
        }
    }

    private final List<Outcome> outcomes;

    private KitRun(List<Outcome> outcomes) {
        this.outcomes = List.copyOf(outcomes);
    }

    /** Runs every test of {@code testClass} (tags are not filtered) and collects the outcomes. */
    static KitRun of(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build();
        Launcher launcher = LauncherFactory.create();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> groups = new ConcurrentHashMap<>();
        Map<String, Long> started = new ConcurrentHashMap<>();
        launcher.execute(request, new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
            }

            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    outcomes.add(new Outcome(test.getDisplayName(), group(test), TestExecutionResult.Status.ABORTED, "skipped: " + reason, Duration.ZERO));
                }
            }

            @Override
            public void executionStarted(TestIdentifier test) {
                started.put(test.getUniqueId(), System.nanoTime());
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED) {
                    String text = result.getThrowable().map(KitRun::fullText).orElse("");
                    Duration took = Duration.ofNanos(System.nanoTime() - started.getOrDefault(test.getUniqueId(), System.nanoTime()));
                    outcomes.add(new Outcome(test.getDisplayName(), group(test), result.getStatus(), text, took));
                }
            }

            private String group(TestIdentifier test) {
                return groups.computeIfAbsent(test.getUniqueId(), id -> plan.getParent(test).map(TestIdentifier::getDisplayName).orElse(""));
            }
        });
        KitRun run = new KitRun(outcomes);
        org.slf4j.LoggerFactory.getLogger(KitRun.class).info("The kit on {}:\n{}", testClass.getSimpleName(), run.summary());
        return run;
    }

    List<Outcome> outcomes() {
        return outcomes;
    }

    List<Outcome> failures() {
        return outcomes.stream().filter(Outcome::failed).toList();
    }

    /** The one test whose display name starts with {@code prefix}. */
    Outcome test(String prefix) {
        List<Outcome> matching = outcomes.stream().filter(o -> o.displayName().startsWith(prefix)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one test named '" + prefix + "…' but found " + matching.size() + " in:\n" + summary());
        }
        return matching.get(0);
    }

    Optional<Outcome> find(String prefix) {
        return outcomes.stream().filter(o -> o.displayName().startsWith(prefix)).findFirst();
    }

    /** Every outcome on one line each, for failure messages. */
    String summary() {
        return outcomes.stream().map(o -> "  " + o.status() + " " + o.took().toMillis() + " ms  " + o.group() + " > " + o.displayName()
                + (o.failed() ? "\n      " + o.text().lines().limit(3).collect(Collectors.joining("\n      ")) : ""))
                .collect(Collectors.joining("\n"));
    }

    /** The message of {@code failure}, its causes and everything suppressed along the way. */
    static String fullText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        append(failure, text, Collections.newSetFromMap(new IdentityHashMap<>()));
        return text.toString();
    }

    private static void append(Throwable failure, StringBuilder text, Set<Throwable> seen) {
        if (failure == null || !seen.add(failure)) {
            return;
        }
        text.append(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage()).append('\n');
        for (Throwable suppressed : failure.getSuppressed()) {
            append(suppressed, text, seen);
        }
        append(failure.getCause(), text, seen);
    }
}

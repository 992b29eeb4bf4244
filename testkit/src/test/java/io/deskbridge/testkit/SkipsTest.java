package io.deskbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import io.deskbridge.testkit.reference.Defect;
import io.deskbridge.testkit.reference.ReferenceAgentDriver;
import io.deskbridge.testkit.reference.ReferenceServiceDeskProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/**
 * A desk that declares little and a driver that lacks hooks: the kit skips what cannot run, saying why, checks that
 * every undeclared optional method fails as rule 14 says, and still fails a desk that silently accepts one.
 */
@DisplayName("The kit skips what a desk does not declare or a driver cannot do, and says why")
class SkipsTest {

    @Test
    @DisplayName("a test needing an undeclared capability is skipped naming the capability")
    void undeclaredCapabilitySkips() {
        KitRun run = KitRun.of(MinimalDesk.class);
        KitRun.Outcome transfer = run.test("Rule 4: a transfer starts after the join");
        assertThat(transfer.status()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(transfer.text()).contains("the desk does not declare TRANSFER (transfers to another agent)");
        assertThat(run.failures()).as("failures:\n%s", run.summary()).isEmpty();
    }

    @Test
    @DisplayName("every undeclared optional method is checked to fail with UnsupportedCapabilityException")
    void undeclaredMethodsAreChecked() {
        KitRun run = KitRun.of(MinimalDesk.class);
        assertThat(run.test("Rule 14: every optional method the desk does not declare").status())
                .as("all outcomes:\n%s", run.summary()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    @DisplayName("a desk that accepts an undeclared method fails rule 14 naming the capability")
    void acceptingAnUndeclaredMethodFails() {
        KitRun run = KitRun.of(AcceptsUndeclaredMethod.class);
        KitRun.Outcome outcome = run.test("Rule 14: every optional method the desk does not declare");
        assertThat(outcome.failed()).as("all outcomes:\n%s", run.summary()).isTrue();
        assertThat(outcome.text()).contains("rule 14: USER_TYPING is not declared");
    }

    @Test
    @DisplayName("a test whose driver hook is missing, for no declared capability, is skipped naming the hook to implement")
    void missingHookSkips() {
        KitRun run = KitRun.of(DriverWithoutHooks.class);
        KitRun.Outcome outcome = run.test("Rule 11: a failed user message");
        assertThat(outcome.status()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(outcome.text()).contains("implement AgentSideChat.failNextUserMessage to run this test");
    }

    @Test
    @DisplayName("a declared capability whose driver hook is missing fails, naming the hook, in every test that needs it")
    void missingHookOfDeclaredCapabilityFails() {
        KitRun run = KitRun.of(DriverWithoutHooks.class);
        for (String test : List.of("Rule 4: a transfer starts after the join", "Rule 14: declared TRANSFER",
                "Rule 9: a transfer turns the typing indicator off", "Rule 14: declared FILE_UPLOADS: a file sent with a message")) {
            KitRun.Outcome outcome = run.test(test);
            assertThat(outcome.failed()).as("'%s' failed; all outcomes:\n%s", test, run.summary()).isTrue();
            assertThat(outcome.text()).contains("rule 14: the desk declares").contains("but the agent driver lacks AgentSideChat.");
        }
        assertThat(run.test("Rule 4: a transfer starts after the join").text())
                .contains("rule 14: the desk declares TRANSFER (transfers to another agent) but the agent driver lacks AgentSideChat.transferTo");
        assertThat(run.failures()).as("failures:\n%s", run.summary()).allMatch(o -> o.text().contains("but the agent driver lacks"));
    }

    @Test
    @DisplayName("every kit run prints how many tests it ran and skipped, with each skip's reason")
    void skipCountIsPrinted() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        KitRun run;
        try {
            run = KitRun.of(MinimalDesk.class);
        } finally {
            System.setOut(original);
        }
        long skipped = run.outcomes().stream().filter(o -> o.status() == TestExecutionResult.Status.ABORTED).count();
        assertThat(skipped).isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("MinimalDesk: " + run.outcomes().size() + " tests, " + skipped + " skipped")
                .contains("skipped: Rule 4: a transfer starts after the join and completes with the new agent's agentJoined: the desk does not "
                        + "declare TRANSFER (transfers to another agent)");
    }

    @Tag("broken-desk")
    static class MinimalDesk extends QuickKit {
        @Override
        protected ServiceDeskProvider provider() {
            return new ReferenceServiceDeskProvider(Set.of(), Defect.NONE);
        }

        @Override
        protected AgentDriver agentDriver() {
            return new ReferenceAgentDriver();
        }
    }

    @Tag("broken-desk")
    static class AcceptsUndeclaredMethod extends QuickKit {
        @Override
        protected ServiceDeskProvider provider() {
            return new ReferenceServiceDeskProvider(Set.of(), Defect.ACCEPTS_UNDECLARED_METHOD);
        }

        @Override
        protected AgentDriver agentDriver() {
            return new ReferenceAgentDriver();
        }
    }

    @Tag("broken-desk")
    static class DriverWithoutHooks extends QuickKit {
        @Override
        protected ServiceDeskProvider provider() {
            return new ReferenceServiceDeskProvider(EnumSet.allOf(Capability.class), Defect.NONE);
        }

        @Override
        protected AgentDriver agentDriver() {
            return new ReferenceAgentDriver(Set.of("AgentSideChat.failNextUserMessage", "AgentSideChat.transferTo", "AgentSideChat.userFiles"));
        }
    }
}

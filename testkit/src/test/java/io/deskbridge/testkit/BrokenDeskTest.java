package io.deskbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import io.deskbridge.testkit.reference.Defect;
import io.deskbridge.testkit.reference.ReferenceAgentDriver;
import io.deskbridge.testkit.reference.ReferenceServiceDeskProvider;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kit must fail a desk that breaks a rule, and say which rule: each deliberately broken reference desk is run
 * through the whole kit with the JUnit Platform launcher, and the rule's own test must fail naming the rule.
 */
@DisplayName("The kit fails deliberately broken desks, naming the rule they break")
class BrokenDeskTest {

    @Test
    @DisplayName("a desk that never calls agentJoined fails rule 3")
    void neverJoins() {
        assertKitFails(NeverJoins.class, "Rule 3: agentJoined is called once", "rule 3");
    }

    @Test
    @DisplayName("a desk that calls agentEndedChat twice fails rule 6")
    void endsTwice() {
        assertKitFails(EndsTwice.class, "Rule 6: agentEndedChat is called once", "rule 6: agentEndedChat called after agentEndedChat");
    }

    @Test
    @DisplayName("a desk that delivers an agent message twice fails rule 8")
    void duplicatesMessages() {
        assertKitFails(DuplicatesMessages.class, "Rule 8: agent messages reach the user exactly once", "rule 8");
    }

    @Test
    @DisplayName("a desk that leaves the typing indicator on through a transfer or an end fails rule 9")
    void leavesTypingOn() {
        KitRun run = KitRun.of(LeavesTypingOn.class);
        assertFailed(run, "Rule 9: a transfer turns the typing indicator off",
                "rule 9: agentTyping(true) not followed by agentTyping(false) before beginTransferToAnotherAgent");
        assertFailed(run, "Rule 9: the agent ending the chat turns the typing indicator off",
                "rule 9: agentTyping(true) not followed by agentTyping(false) before agentEndedChat");
    }

    @Test
    @DisplayName("a desk that calls back after endChat fails rule 7")
    void callsBackAfterEndChat() {
        assertKitFails(CallsBackAfterEndChat.class, "Rule 7: after endChat completes", "rule 7: agentEndedChat called after endChat completed");
    }

    @Test
    @DisplayName("a desk that calls back from two threads at once fails rule 12")
    void callsBackConcurrently() {
        assertKitFails(CallsBackConcurrently.class, "Rule 12: callbacks for one chat are never called concurrently", "rule 12");
    }

    @Test
    @DisplayName("a desk that declares a capability it does not implement fails rule 14")
    void declaresWhatItLacks() {
        assertKitFails(DeclaresWhatItLacks.class, "Rule 14: declared USER_READ_RECEIPTS", "rule 14: the desk declares USER_READ_RECEIPTS");
    }

    @Test
    @DisplayName("the same harness passes the correct reference desk, so each failure above is the defect's")
    void correctDeskPasses() {
        KitRun run = KitRun.of(Correct.class);
        assertThat(run.failures()).as("failures of the correct desk:\n%s", run.summary()).isEmpty();
        assertThat(run.outcomes()).as("tests run").hasSizeGreaterThan(40);
    }

    private static void assertKitFails(Class<?> kit, String ruleTest, String expected) {
        assertFailed(KitRun.of(kit), ruleTest, expected);
    }

    private static void assertFailed(KitRun run, String ruleTest, String expected) {
        KitRun.Outcome outcome = run.test(ruleTest);
        assertThat(outcome.failed()).as("the test '%s' failed; all outcomes:\n%s", outcome.displayName(), run.summary()).isTrue();
        assertThat(outcome.text()).as("the failure of '%s'", outcome.displayName()).contains(expected);
    }

    /** The broken desks' settings: fail fast, they will. */
    abstract static class BrokenKit extends QuickKit {
        private final Defect defect;
        private final Set<Capability> capabilities;

        BrokenKit(Defect defect) {
            this(defect, EnumSet.allOf(Capability.class));
        }

        BrokenKit(Defect defect, Set<Capability> capabilities) {
            this.defect = defect;
            this.capabilities = capabilities;
        }

        @Override
        protected ServiceDeskProvider provider() {
            return new ReferenceServiceDeskProvider(capabilities, defect);
        }

        @Override
        protected AgentDriver agentDriver() {
            return new ReferenceAgentDriver();
        }
    }

    @Tag("broken-desk")
    static class Correct extends BrokenKit {
        Correct() {
            super(Defect.NONE);
        }
    }

    @Tag("broken-desk")
    static class NeverJoins extends BrokenKit {
        NeverJoins() {
            super(Defect.NEVER_JOINS);
        }
    }

    @Tag("broken-desk")
    static class EndsTwice extends BrokenKit {
        EndsTwice() {
            super(Defect.ENDS_TWICE);
        }
    }

    @Tag("broken-desk")
    static class DuplicatesMessages extends BrokenKit {
        DuplicatesMessages() {
            super(Defect.DUPLICATES_MESSAGES);
        }
    }

    @Tag("broken-desk")
    static class LeavesTypingOn extends BrokenKit {
        LeavesTypingOn() {
            super(Defect.TYPING_LEFT_ON);
        }
    }

    @Tag("broken-desk")
    static class CallsBackAfterEndChat extends BrokenKit {
        CallsBackAfterEndChat() {
            super(Defect.CALLS_BACK_AFTER_END_CHAT);
        }
    }

    @Tag("broken-desk")
    static class CallsBackConcurrently extends BrokenKit {
        CallsBackConcurrently() {
            super(Defect.CONCURRENT_CALLBACKS);
        }
    }

    @Tag("broken-desk")
    static class DeclaresWhatItLacks extends BrokenKit {
        DeclaresWhatItLacks() {
            super(Defect.UNDECLARED_CAPABILITY);
        }
    }
}

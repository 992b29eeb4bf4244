package io.deskbridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import io.deskbridge.testkit.reference.Defect;
import io.deskbridge.testkit.reference.ReferenceAgentDriver;
import io.deskbridge.testkit.reference.ReferenceServiceDeskProvider;
import java.util.EnumSet;
import java.util.List;
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
    @DisplayName("a desk that sorts a batch of agent messages by id as text fails rule 8 on long and interleaved bursts only")
    void sortsBatchByText() {
        KitRun run = KitRun.of(SortsBatchByText.class);
        assertOnlyFailed(run, "Rule 8: a long burst of agent messages", "Rule 8: bursts interleaved with typing",
                "Rule 13: persisted state stays small and stops growing over a long chat");
        assertFailed(run, "Rule 8: a long burst of agent messages", "rule 8: " + MessageTests.LONG_BURST + " agent messages sent at once: the user got");
    }

    @Test
    @DisplayName("a desk that delivers again, after a lost connection, what it delivered before fails rule 8 across rule 10 only there")
    void redeliversAfterDrop() {
        KitRun run = KitRun.of(RedeliversAfterDrop.class);
        assertOnlyFailed(run, "Rule 10: what the user had before the connection dropped");
        assertFailed(run, "Rule 10: what the user had before the connection dropped", "rule 8: agent message");
    }

    @Test
    @DisplayName("a desk whose persisted state grows with the chat fails rule 13 on the long chat only")
    void persistedStateGrows() {
        KitRun run = KitRun.of(PersistedStateGrows.class);
        assertOnlyFailed(run, "Rule 13: persisted state stays small and stops growing");
        assertFailed(run, "Rule 13: persisted state stays small and stops growing", "rule 13: the persisted state grows with the chat");
    }

    @Test
    @DisplayName("a desk that catches up after an outage newest first fails rule 10 when the outage held several events")
    void outageNewestOnly() {
        KitRun run = KitRun.of(OutageNewestOnly.class);
        // Newest first, the agent's leaving is taken before the message sent ahead of it, which is then skipped as old.
        assertOnlyFailed(run, "Rule 10: every agent message of an outage", "Rule 10: the agent's message and leaving during an outage");
        assertFailed(run, "Rule 10: every agent message of an outage", "rule 10: agent message");
    }

    @Test
    @DisplayName("a desk that drops a message's files fails rule 14 (FILE_UPLOADS), seen at the vendor")
    void dropsAttachments() {
        KitRun run = KitRun.of(DropsAttachments.class);
        assertOnlyFailed(run, "Rule 14: declared FILE_UPLOADS: a file sent with a message reaches the vendor");
        assertFailed(run, "Rule 14: declared FILE_UPLOADS: a file sent with a message reaches the vendor",
                "rule 14: the desk declares FILE_UPLOADS (file uploads) but it does not work: the file notes.txt");
    }

    @Test
    @DisplayName("a desk whose updateState does nothing fails rule 14 (UPDATE_STATE), seen at the vendor")
    void ignoresUpdateState() {
        KitRun run = KitRun.of(IgnoresUpdateState.class);
        assertOnlyFailed(run, "Rule 14: declared UPDATE_STATE: the user's name and locale reach the vendor");
        assertFailed(run, "Rule 14: declared UPDATE_STATE: the user's name and locale reach the vendor",
                "rule 14: the desk declares UPDATE_STATE");
    }

    @Test
    @DisplayName("a desk that does not report a refused file on selection fails rule 14 (FILE_UPLOADS)")
    void noCheckOnSelection() {
        KitRun run = KitRun.of(NoCheckOnSelection.class);
        assertOnlyFailed(run, "Rule 14: declared FILE_UPLOADS: a file the vendor refuses is reported when it is selected");
        assertFailed(run, "Rule 14: declared FILE_UPLOADS: a file the vendor refuses", "setFileUploadStatus with an error for kit-setup.exe");
    }

    @Test
    @DisplayName("a desk that passes on queue updates after the join fails rule 3")
    void queueAfterJoin() {
        KitRun run = KitRun.of(QueueAfterJoin.class);
        assertOnlyFailed(run, "Rule 3: a queue update the vendor sends after the join");
        assertFailed(run, "Rule 3: a queue update the vendor sends after the join", "rule 3:");
    }

    @Test
    @DisplayName("a desk that persists a setting it declared secret fails rule 13, although the key's name does not look secret")
    void persistsSecret() {
        KitRun run = KitRun.of(PersistsSecret.class);
        assertOnlyFailed(run, "Rule 13: persisted state is small, JSON-serialisable and holds no secret");
        assertFailed(run, "Rule 13: persisted state is small, JSON-serialisable and holds no secret",
                "rule 13: a persisted state holds the value of the secret setting reference.vendorPassphrase");
    }

    @Test
    @DisplayName("a desk that still calls back after detach fails rule 7 on the detach test")
    void callsBackAfterDetach() {
        KitRun run = KitRun.of(CallsBackAfterDetach.class);
        assertOnlyFailed(run, "Rule 7: after detach completes");
        assertFailed(run, "Rule 7: after detach completes", "rule 7: sendMessageToUser called after detach completed");
    }

    @Test
    @DisplayName("a desk whose detach ends the chat at the vendor fails rule 14 (RECONNECT) on the detach test")
    void detachEndsChat() {
        KitRun run = KitRun.of(DetachEndsChat.class);
        assertOnlyFailed(run, "Rule 7: after detach completes");
        assertFailed(run, "Rule 7: after detach completes",
                "rule 14: the desk declares RECONNECT (reconnecting to a chat from persisted state) but it does not work: detach ended the chat at the vendor");
    }

    @Test
    @DisplayName("a desk that takes the retry of a failed message for a duplicate fails rule 11, seen at the vendor")
    void retryOfFailedMessageDropped() {
        KitRun run = KitRun.of(RetryOfFailedMessageDropped.class);
        assertOnlyFailed(run, "Rule 11: a user message that failed, retried with the same id");
        assertFailed(run, "Rule 11: a user message that failed, retried with the same id", "rule 11: the retried message");
    }

    @Test
    @DisplayName("a desk that accepts a user message during an outage and never sends it fails rule 10, seen at the vendor")
    void losesMessagesInOutage() {
        KitRun run = KitRun.of(LosesMessagesInOutage.class);
        assertOnlyFailed(run, "Rule 10: a user message sent while the connection is down");
        assertFailed(run, "Rule 10: a user message sent while the connection is down", "rule 10: the desk accepted message");
    }

    @Test
    @DisplayName("a desk that announces with updateCapabilities more than it declares fails rule 14 wherever an agent joins")
    void announcesUndeclaredCapability() {
        KitRun run = KitRun.of(AnnouncesUndeclaredCapability.class);
        assertFailed(run, "Rule 3: agentJoined is called once",
                "rule 14: updateCapabilities announces [USER_READ_RECEIPTS], which capabilities() does not declare");
        assertThat(run.test("Rule 2: a chat the vendor refuses").failed()).as("a test where no agent joins").isFalse();
    }

    @Test
    @DisplayName("a desk that posts user messages sent without waiting each on its own fails the user-order test, seen at the vendor")
    void sendsInParallel() {
        KitRun run = KitRun.of(SendsInParallel.class);
        assertOnlyFailed(run, "User messages sent without waiting for each other");
        assertFailed(run, "User messages sent without waiting for each other", "sendMessageToAgent keeps the order of the calls");
    }

    @Test
    @DisplayName("a desk whose sendMessageToAgent never completes while the user waits fails rule 11, the hang named as the rule")
    void sendHangsWhileWaiting() {
        KitRun run = KitRun.of(SendHangsWhileWaiting.class);
        assertOnlyFailed(run, "A message the user sends while waiting reaches the agent");
        assertFailed(run, "A message the user sends while waiting reaches the agent",
                "rule 11: sendMessageToAgent never completed: it completes once the vendor accepted the message");
    }

    @Test
    @DisplayName("a desk whose chats leave a periodic timer running after the end fails rule 7, the timers counted on virtual time")
    void keepAliveOutlivesChat() {
        KitRun run = KitRun.of(KeepAliveOutlivesChat.class);
        assertOnlyFailed(run, "Rule 7: chats the user ended call nothing more and leave none of their timers behind");
        assertFailed(run, "Rule 7: chats the user ended call nothing more", "each ended chat leaves a timer behind");
    }

    @Test
    @DisplayName("a desk that catches up after an outage with messages only fails rule 10 when the agent left during it")
    void catchesUpMessagesOnly() {
        KitRun run = KitRun.of(CatchesUpMessagesOnly.class);
        assertOnlyFailed(run, "Rule 10: the agent's message and leaving during an outage");
        assertFailed(run, "Rule 10: the agent's message and leaving during an outage",
                "rule 10: agentLeftChat for the agent who left during the outage: did not happen");
    }

    @Test
    @DisplayName("a rule the monitor saw broken is reported as that rule, with the callbacks that broke it, whichever test ran")
    void monitorFindingsNameTheRule() {
        KitRun run = KitRun.of(DuplicatesMessages.class);
        KitRun.Outcome outcome = run.test("Rule 5: another agent can join after the agent left");
        assertThat(outcome.failed()).as("all outcomes:\n%s", run.summary()).isTrue();
        assertThat(outcome.text()).contains("broke the contract:\n  - rule 8: agent message", "found by the run-time monitor",
                "the callbacks that broke it", "MessageToUser", "<-- broke it");
        KitRun.Outcome failing = KitRun.of(RedeliversAfterDrop.class).test("Rule 10: what the user had before the connection dropped");
        assertThat(failing.failed()).isTrue();
        assertThat(failing.text()).as("a test that failed after the monitor saw a rule broken").startsWith("AssertionError: rule 8: agent message")
                .contains("found by the run-time monitor", "<-- broke it", "and then the test failed: rule 8:");
    }

    @Test
    @DisplayName("the same harness passes the correct reference desk, so each failure above is the defect's")
    void correctDeskPasses() {
        KitRun run = KitRun.of(Correct.class);
        assertThat(run.failures()).as("failures of the correct desk:\n%s", run.summary()).isEmpty();
        assertThat(run.outcomes()).as("tests run").hasSizeGreaterThan(40);
    }

    /** Exactly the tests named by these prefixes failed, so only the check meant for the defect caught it. */
    private static void assertOnlyFailed(KitRun run, String... ruleTests) {
        List<String> failed = run.failures().stream().map(KitRun.Outcome::displayName).toList();
        assertThat(failed).as("the failed tests; all outcomes:\n%s", run.summary()).hasSize(ruleTests.length);
        for (String prefix : ruleTests) {
            assertThat(failed).as("the failed tests; all outcomes:\n%s", run.summary()).anyMatch(name -> name.startsWith(prefix));
        }
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

    @Tag("broken-desk")
    static class SortsBatchByText extends BrokenKit {
        SortsBatchByText() {
            super(Defect.SORTS_BATCH_BY_TEXT);
        }
    }

    @Tag("broken-desk")
    static class RedeliversAfterDrop extends BrokenKit {
        RedeliversAfterDrop() {
            super(Defect.REDELIVERS_AFTER_DROP);
        }
    }

    @Tag("broken-desk")
    static class PersistedStateGrows extends BrokenKit {
        PersistedStateGrows() {
            super(Defect.PERSISTED_STATE_GROWS);
        }
    }

    @Tag("broken-desk")
    static class OutageNewestOnly extends BrokenKit {
        OutageNewestOnly() {
            super(Defect.OUTAGE_NEWEST_ONLY);
        }
    }

    @Tag("broken-desk")
    static class DropsAttachments extends BrokenKit {
        DropsAttachments() {
            super(Defect.DROPS_ATTACHMENTS);
        }
    }

    @Tag("broken-desk")
    static class IgnoresUpdateState extends BrokenKit {
        IgnoresUpdateState() {
            super(Defect.IGNORES_UPDATE_STATE);
        }
    }

    @Tag("broken-desk")
    static class NoCheckOnSelection extends BrokenKit {
        NoCheckOnSelection() {
            super(Defect.NO_CHECK_ON_SELECTION);
        }
    }

    @Tag("broken-desk")
    static class QueueAfterJoin extends BrokenKit {
        QueueAfterJoin() {
            super(Defect.QUEUE_AFTER_JOIN);
        }
    }

    @Tag("broken-desk")
    static class PersistsSecret extends BrokenKit {
        PersistsSecret() {
            super(Defect.PERSISTS_SECRET);
        }
    }

    @Tag("broken-desk")
    static class CallsBackAfterDetach extends BrokenKit {
        CallsBackAfterDetach() {
            super(Defect.CALLS_BACK_AFTER_DETACH);
        }
    }

    @Tag("broken-desk")
    static class DetachEndsChat extends BrokenKit {
        DetachEndsChat() {
            super(Defect.DETACH_ENDS_CHAT);
        }
    }

    @Tag("broken-desk")
    static class RetryOfFailedMessageDropped extends BrokenKit {
        RetryOfFailedMessageDropped() {
            super(Defect.RETRY_OF_FAILED_MESSAGE_DROPPED);
        }
    }

    @Tag("broken-desk")
    static class LosesMessagesInOutage extends BrokenKit {
        LosesMessagesInOutage() {
            super(Defect.LOSES_MESSAGES_IN_OUTAGE);
        }
    }

    @Tag("broken-desk")
    static class AnnouncesUndeclaredCapability extends BrokenKit {
        AnnouncesUndeclaredCapability() {
            super(Defect.ANNOUNCES_UNDECLARED_CAPABILITY, EnumSet.complementOf(EnumSet.of(Capability.USER_READ_RECEIPTS)));
        }
    }

    @Tag("broken-desk")
    static class SendsInParallel extends BrokenKit {
        SendsInParallel() {
            super(Defect.SENDS_IN_PARALLEL);
        }
    }

    @Tag("broken-desk")
    static class SendHangsWhileWaiting extends BrokenKit {
        SendHangsWhileWaiting() {
            super(Defect.SEND_HANGS_WHILE_WAITING);
        }
    }

    @Tag("broken-desk")
    static class KeepAliveOutlivesChat extends BrokenKit {
        KeepAliveOutlivesChat() {
            super(Defect.KEEP_ALIVE_OUTLIVES_CHAT);
        }
    }

    @Tag("broken-desk")
    static class CatchesUpMessagesOnly extends BrokenKit {
        CatchesUpMessagesOnly() {
            super(Defect.CATCHES_UP_MESSAGES_ONLY);
        }
    }
}

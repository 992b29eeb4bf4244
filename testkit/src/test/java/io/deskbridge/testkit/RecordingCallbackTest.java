package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.ContractViolation;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RecordingCallback and CallbackAssertions")
class RecordingCallbackTest {
    private static final AgentProfile ADA = new AgentProfile("ada", "Ada");

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final RecordingCallback recording = new RecordingCallback(scheduler.clock(), Duration.ofSeconds(10));

    private void joined() {
        recording.chatStarting();
        recording.chatStarted();
        recording.updateAgentAvailability(AgentAvailability.position(2));
        recording.agentJoined(ADA);
    }

    @Nested
    @DisplayName("recording")
    class Recording {

        @Test
        @DisplayName("keeps every call in order with its thread and the clock's time")
        void recordsInOrder() {
            joined();
            scheduler.advance(Duration.ofSeconds(3));
            recording.sendMessageToUser(AgentMessage.fromAgent("m1", "ada", "hi"));
            assertThat(recording.events()).hasSize(3);
            RecordingCallback.Entry last = recording.entries().get(2);
            assertThat(last.index()).isEqualTo(2);
            assertThat(last.thread()).isEqualTo(Thread.currentThread().getName());
            assertThat(last.at()).isEqualTo(VirtualScheduler.DEFAULT_START.plusSeconds(3));
            assertThat(recording.messages()).extracting(AgentMessage::id).containsExactly("m1");
            assertThat(recording.violations()).isEmpty();
        }

        @Test
        @DisplayName("a second agentEndedChat is rule 6, a callback after endChat is rule 7")
        void sequenceRules() {
            joined();
            recording.agentEndedChat();
            recording.agentEndedChat();
            assertThat(recording.violations()).extracting(ContractViolation::toString)
                    .containsExactly("rule 6: agentEndedChat called after agentEndedChat");

            RecordingCallback other = new RecordingCallback(scheduler.clock(), Duration.ofSeconds(10));
            other.chatStarting();
            other.chatStarted();
            assertThat(other.chatEndedByUser()).isZero();
            other.agentTyping(true);
            assertThat(other.violations()).extracting(ContractViolation::rule).containsExactly(7);
        }

        @Test
        @DisplayName("a callback on the thread inside a desk call is rule 12; one from another thread is not")
        void insideDeskCall() throws Exception {
            joined();
            recording.enterDeskCall("sendMessageToAgent");
            Thread other = new Thread(() -> recording.agentReadMessages());
            other.start();
            other.join(5000);
            assertThat(recording.violations()).isEmpty();
            recording.agentReadMessages();
            recording.exitDeskCall();
            recording.agentReadMessages();
            assertThat(recording.violations()).extracting(ContractViolation::toString)
                    .containsExactly("rule 12: agentReadMessages called from inside the application's call to sendMessageToAgent");
        }

        @Test
        @DisplayName("two callbacks in flight at once are rule 12")
        void overlap() throws Exception {
            joined();
            recording.slowDown(Duration.ofMillis(200));
            CountDownLatch go = new CountDownLatch(1);
            Thread first = new Thread(() -> awaitThen(go, recording::agentReadMessages));
            Thread second = new Thread(() -> awaitThen(go, recording::agentReadMessages));
            first.start();
            second.start();
            go.countDown();
            first.join(5000);
            second.join(5000);
            assertThat(recording.violations()).extracting(ContractViolation::rule).containsExactly(12);
        }

        private void awaitThen(CountDownLatch latch, Runnable action) {
            try {
                latch.await();
                action.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Test
        @DisplayName("awaitEvent returns an event another thread records, and times out naming what it waited for")
        void awaits() throws Exception {
            joined();
            Thread later = new Thread(() -> recording.sendMessageToUser(AgentMessage.fromAgent("m9", "ada", "late")));
            later.start();
            assertThat(recording.awaitEvent(messageWithId("m9"), "message m9", Duration.ofSeconds(5))).isNotNull();
            later.join(5000);
            assertThatThrownBy(() -> recording.awaitEvent(agentEnded(), "rule 6: the end", Duration.ofMillis(20)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("rule 6: the end: not seen within 20 ms")
                    .hasMessageContaining("MessageToUser");
        }
    }

    @Nested
    @DisplayName("assertions")
    class Assertions {

        @Test
        @DisplayName("containsSubsequence passes in order and fails naming the missing step")
        void subsequence() {
            joined();
            recording.agentTyping(true);
            recording.agentTyping(false);
            recording.sendMessageToUser(AgentMessage.fromAgent("m1", "ada", "hi"));
            CallbackAssertions.assertThat(recording)
                    .containsSubsequence(agentJoined(ADA), agentTyping(true), messageWithId("m1"))
                    .hasExactly(1, agentTyping(false))
                    .hasNo(agentEnded())
                    .endsWith(messageWithId("m1"))
                    .hasNoViolations();
            CallbackAssertions.assertThat(recording).messageIds().containsExactly("m1");
            assertThatThrownBy(() -> CallbackAssertions.assertThat(recording).containsSubsequence(messageWithId("m1"), agentTyping(true)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("found no agentTyping(true) in its place");
        }

        @Test
        @DisplayName("hasNoViolations fails listing each broken rule")
        void violations() {
            joined();
            recording.agentEndedChat();
            recording.agentLeftChat();
            assertThatThrownBy(() -> CallbackAssertions.assertThat(recording).hasNoViolations())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("rule 6: agentLeftChat called after agentEndedChat");
            CallbackAssertions.assertThat(recording).hasViolationOfRule(6);
        }
    }
}

package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.PersistedState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ContractMonitor")
class ContractMonitorTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final AgentProfile ALICE = new AgentProfile("alice", "Alice");
    static final AgentProfile BOB = new AgentProfile("bob", "Bob");
    static final CallbackEvent JOIN_ALICE = new CallbackEvent.AgentJoined(ALICE);
    static final CallbackEvent TYPING = new CallbackEvent.AgentTyping(true);
    static final CallbackEvent NOT_TYPING = new CallbackEvent.AgentTyping(false);

    final ManualClock clock = new ManualClock();
    final ContractMonitor monitor = new ContractMonitor(clock, TIMEOUT);

    static CallbackEvent message(String id) {
        return new CallbackEvent.MessageToUser(AgentMessage.fromAgent(id, "alice", "hi"));
    }

    static List<Integer> rules(ContractMonitor.Verdict verdict) {
        return verdict.violations().stream().map(ContractViolation::rule).collect(Collectors.toList());
    }

    ContractMonitor waiting() {
        assertThat(monitor.starting()).isEmpty();
        monitor.started();
        return monitor;
    }

    ContractMonitor joined() {
        waiting();
        assertThat(monitor.onEvent(JOIN_ALICE).deliver()).containsExactly(JOIN_ALICE);
        return monitor;
    }

    /** Asserts the event is delivered as is, with no violation. */
    void accepted(CallbackEvent event) {
        ContractMonitor.Verdict verdict = monitor.onEvent(event);
        assertThat(verdict.violations()).as("violations of %s", event).isEmpty();
        assertThat(verdict.deliver()).containsExactly(event);
    }

    /** Asserts the event is dropped as a violation of {@code rule}. */
    void dropped(CallbackEvent event, int rule) {
        ContractMonitor.Verdict verdict = monitor.onEvent(event);
        assertThat(verdict.deliver()).as("delivered of %s", event).isEmpty();
        assertThat(rules(verdict)).containsExactly(rule);
    }

    @Nested
    @DisplayName("the chat's life")
    class Life {

        @Test
        @DisplayName("NEW, STARTING, WAITING, JOINED, TRANSFERRING, AGENT_LEFT, JOINED, ENDED_BY_AGENT")
        void happyPath() {
            assertThat(monitor.status()).isEqualTo(ChatStatus.NEW);
            assertThat(monitor.starting()).isEmpty();
            assertThat(monitor.status()).isEqualTo(ChatStatus.STARTING);
            monitor.started();
            assertThat(monitor.status()).isEqualTo(ChatStatus.WAITING);
            accepted(new CallbackEvent.AvailabilityUpdated(AgentAvailability.position(2)));
            accepted(JOIN_ALICE);
            assertThat(monitor.status()).isEqualTo(ChatStatus.JOINED);
            assertThat(monitor.agent()).contains(ALICE);
            accepted(new CallbackEvent.TransferStarted(Optional.of(BOB)));
            assertThat(monitor.status()).isEqualTo(ChatStatus.TRANSFERRING);
            accepted(new CallbackEvent.AgentLeft());
            assertThat(monitor.status()).as("still transferring after the old agent left").isEqualTo(ChatStatus.TRANSFERRING);
            assertThat(monitor.agent()).isEmpty();
            accepted(new CallbackEvent.AgentJoined(BOB));
            assertThat(monitor.status()).isEqualTo(ChatStatus.JOINED);
            accepted(new CallbackEvent.AgentLeft());
            assertThat(monitor.status()).isEqualTo(ChatStatus.AGENT_LEFT);
            assertThat(monitor.status().isConnected()).isTrue();
            accepted(new CallbackEvent.AgentEnded());
            assertThat(monitor.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
            assertThat(monitor.status().isTerminal()).isTrue();
        }

        @Test
        @DisplayName("an agent may join before startChat completed; completion then keeps JOINED")
        void joinBeforeStartCompleted() {
            monitor.starting();
            accepted(JOIN_ALICE);
            monitor.started();
            assertThat(monitor.status()).isEqualTo(ChatStatus.JOINED);
        }

        @Test
        @DisplayName("the vendor may end a chat that is still waiting")
        void endWhileWaiting() {
            waiting();
            accepted(new CallbackEvent.AgentEnded());
            assertThat(monitor.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
        }

        @Test
        @DisplayName("endChat keeps a status that was already final")
        void endedByUserKeepsFinalStatus() {
            joined();
            monitor.onEvent(new CallbackEvent.AgentEnded());
            monitor.endedByUser();
            assertThat(monitor.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);

            ContractMonitor failed = new ContractMonitor(clock, TIMEOUT);
            failed.starting();
            failed.startFailed();
            failed.endedByUser();
            assertThat(failed.status()).isEqualTo(ChatStatus.FAILED);
        }

        @Test
        @DisplayName("reconnect true continues with an agent who may leave; false is FAILED")
        void reconnect() {
            monitor.starting();
            monitor.reconnected(true);
            assertThat(monitor.status()).isEqualTo(ChatStatus.JOINED);
            accepted(new CallbackEvent.TransferStarted(Optional.empty()));
            accepted(new CallbackEvent.AgentLeft());
            dropped(new CallbackEvent.AgentLeft(), 5);

            ContractMonitor gone = new ContractMonitor(clock, TIMEOUT);
            gone.starting();
            gone.reconnected(false);
            assertThat(gone.status()).isEqualTo(ChatStatus.FAILED);
        }

        @Test
        @DisplayName("while a reconnect is under way, replayed transfers, departures and outages are accepted")
        void replayWhileResuming() {
            assertThat(monitor.resuming()).isEmpty();
            accepted(new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true)));
            accepted(new CallbackEvent.TransferStarted(Optional.empty()));
            accepted(new CallbackEvent.AgentLeft());
            accepted(new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false)));
            monitor.reconnected(true);
            assertThat(monitor.status()).isEqualTo(ChatStatus.TRANSFERRING);

            ContractMonitor fresh = new ContractMonitor(clock, TIMEOUT);
            assertThat(fresh.starting()).isEmpty();
            assertThat(fresh.onEvent(new CallbackEvent.AgentLeft()).violations()).extracting(ContractViolation::rule).containsExactly(5);
        }
    }

    @Nested
    @DisplayName("violations, by rule")
    class Violations {

        @Test
        @DisplayName("rule 1: starting twice")
        void rule1() {
            waiting();
            assertThat(monitor.starting()).map(ContractViolation::rule).contains(1);
        }

        @Test
        @DisplayName("rule 2: Connecting after a join, Disconnected before the start, anything after a failed start")
        void rule2() {
            monitor.starting();
            dropped(new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true)), 2);
            accepted(new CallbackEvent.ErrorStatus(ErrorInfo.Connecting.of("queue full")));
            accepted(JOIN_ALICE);
            dropped(new CallbackEvent.ErrorStatus(ErrorInfo.Connecting.of("late")), 2);

            ContractMonitor failed = new ContractMonitor(clock, TIMEOUT);
            failed.starting();
            failed.startFailed();
            ContractMonitor.Verdict verdict = failed.onEvent(JOIN_ALICE);
            assertThat(verdict.deliver()).isEmpty();
            assertThat(rules(verdict)).containsExactly(2);
        }

        @Test
        @DisplayName("rule 3: the same agent joining twice, or a join before the start")
        void rule3() {
            dropped(JOIN_ALICE, 3);
            joined();
            dropped(JOIN_ALICE, 3);
            accepted(new CallbackEvent.AgentJoined(BOB));
        }

        @Test
        @DisplayName("rule 4: a transfer before any agent joined")
        void rule4() {
            waiting();
            dropped(new CallbackEvent.TransferStarted(Optional.of(BOB)), 4);
            assertThat(monitor.status()).isEqualTo(ChatStatus.WAITING);
        }

        @Test
        @DisplayName("rule 5: agentLeftChat with no agent in the chat")
        void rule5() {
            waiting();
            dropped(new CallbackEvent.AgentLeft(), 5);
            accepted(JOIN_ALICE);
            accepted(new CallbackEvent.AgentLeft());
            dropped(new CallbackEvent.AgentLeft(), 5);
        }

        @Test
        @DisplayName("rule 6: anything after agentEndedChat")
        void rule6() {
            joined();
            accepted(new CallbackEvent.AgentEnded());
            dropped(new CallbackEvent.AgentEnded(), 6);
            dropped(message("m1"), 6);
            dropped(new CallbackEvent.PersistedStateUpdated(PersistedState.empty()), 6);
        }

        @Test
        @DisplayName("rule 7: anything after endChat completed")
        void rule7() {
            joined();
            monitor.endedByUser();
            dropped(message("m1"), 7);
            dropped(new CallbackEvent.AgentEnded(), 7);
        }

        @Test
        @DisplayName("rule 8: a message id seen before")
        void rule8() {
            joined();
            accepted(message("m1"));
            accepted(message("m2"));
            dropped(message("m1"), 8);
        }

        @Test
        @DisplayName("rule 8: ids are remembered up to a bound, the oldest forgotten first")
        void rule8Bound() {
            joined();
            for (int i = 0; i <= ContractMonitor.REMEMBERED_MESSAGE_IDS; i++) {
                monitor.onEvent(message("m" + i));
            }
            dropped(message("m" + ContractMonitor.REMEMBERED_MESSAGE_IDS), 8);
            accepted(message("m0"));
        }

        @Test
        @DisplayName("rule 9: a message while typing is on gets agentTyping(false) first")
        void rule9Message() {
            joined();
            accepted(TYPING);
            assertThat(monitor.isAgentTyping()).isTrue();
            ContractMonitor.Verdict verdict = monitor.onEvent(message("m1"));
            assertThat(verdict.deliver()).containsExactly(NOT_TYPING, message("m1"));
            assertThat(rules(verdict)).containsExactly(9);
            assertThat(monitor.isAgentTyping()).isFalse();
        }

        @Test
        @DisplayName("rule 9: typing expires at the timeout, not before; typingDeadline says when")
        void rule9Expiry() {
            joined();
            accepted(TYPING);
            assertThat(monitor.typingDeadline()).contains(clock.instant().plus(TIMEOUT));
            clock.advance(TIMEOUT.minusMillis(1));
            assertThat(monitor.typingExpired().deliver()).isEmpty();
            clock.advance(Duration.ofMillis(1));
            ContractMonitor.Verdict verdict = monitor.typingExpired();
            assertThat(verdict.deliver()).containsExactly(NOT_TYPING);
            assertThat(rules(verdict)).containsExactly(9);
            assertThat(monitor.typingDeadline()).isEmpty();
            assertThat(monitor.typingExpired().deliver()).as("only once").isEmpty();
        }

        @Test
        @DisplayName("rule 9: an event after the timeout, before the timer ran, gets agentTyping(false) first")
        void rule9Late() {
            joined();
            accepted(TYPING);
            clock.advance(TIMEOUT);
            ContractMonitor.Verdict verdict = monitor.onEvent(new CallbackEvent.AgentRead());
            assertThat(verdict.deliver()).containsExactly(NOT_TYPING, new CallbackEvent.AgentRead());
            assertThat(rules(verdict)).containsExactly(9);
        }

        @Test
        @DisplayName("rule 9: a transfer while typing is on gets agentTyping(false) first")
        void rule9Transfer() {
            joined();
            accepted(TYPING);
            CallbackEvent transfer = new CallbackEvent.TransferStarted(Optional.of(BOB));
            ContractMonitor.Verdict verdict = monitor.onEvent(transfer);
            assertThat(verdict.deliver()).containsExactly(NOT_TYPING, transfer);
            assertThat(rules(verdict)).containsExactly(9);
            assertThat(verdict.violations().get(0).description()).contains("beginTransferToAnotherAgent");
            assertThat(monitor.isAgentTyping()).isFalse();
            assertThat(monitor.status()).isEqualTo(ChatStatus.TRANSFERRING);
        }

        @Test
        @DisplayName("rule 9: agentEndedChat while typing is on gets agentTyping(false) first")
        void rule9End() {
            joined();
            accepted(TYPING);
            ContractMonitor.Verdict verdict = monitor.onEvent(new CallbackEvent.AgentEnded());
            assertThat(verdict.deliver()).containsExactly(NOT_TYPING, new CallbackEvent.AgentEnded());
            assertThat(rules(verdict)).containsExactly(9);
            assertThat(verdict.violations().get(0).description()).contains("agentEndedChat");
            assertThat(monitor.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
        }

        @Test
        @DisplayName("rule 9: typing turned off before a message, transfer or end is no violation")
        void rule9Kept() {
            joined();
            accepted(TYPING);
            accepted(NOT_TYPING);
            accepted(message("m1"));
            accepted(TYPING);
            accepted(NOT_TYPING);
            accepted(new CallbackEvent.TransferStarted(Optional.empty()));
            accepted(new CallbackEvent.AgentJoined(BOB));
            accepted(TYPING);
            accepted(NOT_TYPING);
            accepted(new CallbackEvent.AgentEnded());
        }

        @Test
        @DisplayName("typing is turned off silently before a leave or a join, which rule 9 does not name")
        void typingOffBeforeLeaveOrJoin() {
            joined();
            accepted(TYPING);
            ContractMonitor.Verdict leave = monitor.onEvent(new CallbackEvent.AgentLeft());
            assertThat(leave.deliver()).containsExactly(NOT_TYPING, new CallbackEvent.AgentLeft());
            assertThat(leave.violations()).isEmpty();
            accepted(TYPING);
            ContractMonitor.Verdict join = monitor.onEvent(new CallbackEvent.AgentJoined(BOB));
            assertThat(join.deliver()).containsExactly(NOT_TYPING, new CallbackEvent.AgentJoined(BOB));
            assertThat(join.violations()).isEmpty();
            assertThat(monitor.isAgentTyping()).isFalse();
        }

        @Test
        @DisplayName("agentTyping(false) without a true before it is dropped silently; endChat turns typing off")
        void typingOffWithoutOn() {
            joined();
            ContractMonitor.Verdict verdict = monitor.onEvent(NOT_TYPING);
            assertThat(verdict.deliver()).isEmpty();
            assertThat(verdict.violations()).isEmpty();
            accepted(TYPING);
            monitor.endedByUser();
            assertThat(monitor.isAgentTyping()).isFalse();
            assertThat(monitor.typingDeadline()).isEmpty();
        }

        @Test
        @DisplayName("rule 10: repeated connection states are not shown twice")
        void rule10() {
            joined();
            CallbackEvent lost = new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true));
            CallbackEvent back = new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false));
            assertThat(monitor.onEvent(back).deliver()).isEmpty();
            accepted(lost);
            assertThat(monitor.isDisconnected()).isTrue();
            assertThat(monitor.onEvent(lost).deliver()).isEmpty();
            accepted(back);
            assertThat(monitor.isDisconnected()).isFalse();
        }

        @Test
        @DisplayName("rule 13: a large persisted state is delivered but reported")
        void rule13() {
            joined();
            CallbackEvent large = new CallbackEvent.PersistedStateUpdated(
                    PersistedState.empty().with("blob", "x".repeat(PersistedState.RECOMMENDED_MAX_CHARS)));
            ContractMonitor.Verdict verdict = monitor.onEvent(large);
            assertThat(verdict.deliver()).containsExactly(large);
            assertThat(rules(verdict)).containsExactly(13);
        }
    }

    @Test
    @DisplayName("a violation prints its rule and description; rules outside 1 to 14 are refused")
    void violation() {
        assertThat(new ContractViolation(8, "agent message m1 delivered twice")).hasToString("rule 8: agent message m1 delivered twice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContractViolation(15, "x")).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContractViolation(0, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}

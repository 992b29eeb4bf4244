package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AgentEvents")
class AgentEventsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final AgentProfile ANN = new AgentProfile("a1", "Ann");
    static final AgentProfile BOB = new AgentProfile("a2", "Bob");
    static final AgentAvailability THIRD = new AgentAvailability(OptionalInt.of(3), Optional.empty(), Optional.empty());

    final VirtualScheduler scheduler = new VirtualScheduler();
    final ChatLane lane = new ChatLane(scheduler, scheduler);
    final List<CallbackEvent> events = new ArrayList<>();
    final CallbackGate gate = new CallbackGate("chat-1", CallbackEvent.recorder(events::add), lane);
    final List<String> ends = new ArrayList<>();
    final AgentEvents agent = new AgentEvents("chat-1", lane, gate, TIMEOUT, () -> ends.add("end"));

    void onLane(Runnable task) {
        lane.execute(task);
        scheduler.runDueTasks();
    }

    @Test
    @DisplayName("rule 3: agentJoined once per agent, however often the vendor repeats the join; the queue's news only while waiting")
    void joinOncePerAgent() {
        onLane(() -> {
            agent.waiting(THIRD);
            agent.joined(ANN);
            agent.joined(ANN);
            agent.waiting(THIRD);
        });
        assertThat(events).containsExactly(new CallbackEvent.AvailabilityUpdated(THIRD), new CallbackEvent.AgentJoined(ANN));
        assertThat(agent.agent()).contains("a1");
        assertThat(agent.anyAgentJoined()).isTrue();
    }

    @Test
    @DisplayName("rules 4 and 5: no transfer before an agent joined; only the agent in the chat leaves, and the chat goes on")
    void transferAndLeave() {
        onLane(() -> {
            agent.transfer(Optional.empty());
            agent.joined(ANN);
            agent.left("a2");
            agent.transfer(Optional.of(BOB));
            agent.left("a1");
            agent.joined(BOB);
        });
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.TransferStarted(Optional.of(BOB)),
                new CallbackEvent.AgentLeft(), new CallbackEvent.AgentJoined(BOB));
        assertThat(ends).isEmpty();
    }

    @Test
    @DisplayName("rule 9: typing turns off before the agent's message, and by itself after the typing timeout")
    void typing() {
        AgentMessage hello = AgentMessage.fromAgent("m1", "a1", "hello");
        onLane(() -> {
            agent.joined(ANN);
            agent.typing();
            agent.message(hello);
            agent.typing();
        });
        scheduler.advance(TIMEOUT);
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                new CallbackEvent.MessageToUser(hello), new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false));
    }

    @Test
    @DisplayName("rule 6: the end is the last callback, typing is turned off before it, and the owner's end action runs after it")
    void ended() {
        onLane(() -> {
            agent.joined(ANN);
            agent.typing();
            agent.ended();
            agent.read();
        });
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                new CallbackEvent.AgentEnded());
        assertThat(ends).containsExactly("end");
    }

    @Test
    @DisplayName("after a reconnect: the agent there now joins once; the agent who is gone leaves, unless the chat is over")
    void agentNow() {
        onLane(() -> {
            agent.agentNow(Optional.of(ANN), false);
            agent.agentNow(Optional.of(ANN), false);
            agent.agentNow(Optional.empty(), true);
        });
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN));
        onLane(() -> agent.agentNow(Optional.empty(), false));
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.AgentLeft());
        assertThat(agent.agent()).isEmpty();
    }

    @Test
    @DisplayName("a resumed chat tells nothing again: the agent an earlier desk announced does not join twice, and may leave or transfer")
    void toldBefore() {
        onLane(() -> {
            agent.left();
            agent.toldBefore(Optional.of("a1"), true);
            agent.joined(ANN);
            agent.transfer(Optional.empty());
            agent.left();
            agent.left();
        });
        assertThat(events).containsExactly(new CallbackEvent.TransferStarted(Optional.empty()), new CallbackEvent.AgentLeft());
    }

    @Test
    @DisplayName("rule 4: a transfer the vendor shows several ways begins once; the next agent taking over leaves the last one first")
    void transferOnceAndTakeOver() {
        onLane(() -> {
            agent.transferOnce(Optional.empty());
            agent.takenOverBy(ANN);
            agent.takenOverBy(ANN);
            agent.typing();
            agent.transferOnce(Optional.of(BOB));
            agent.transferOnce(Optional.empty());
            agent.takenOverBy(BOB);
        });
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                new CallbackEvent.TransferStarted(Optional.of(BOB)), new CallbackEvent.AgentLeft(), new CallbackEvent.AgentJoined(BOB));
        assertThat(agent.transferring()).isFalse();
        events.clear();
        // A take-over nobody announced: the transfer begins with the new agent, and the typing indicator of the one
        // leaving is off at once, not after the typing timeout.
        onLane(() -> {
            agent.typing();
            agent.takenOverBy(ANN);
        });
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(events).containsExactly(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                new CallbackEvent.TransferStarted(Optional.of(ANN)), new CallbackEvent.AgentLeft(), new CallbackEvent.AgentJoined(ANN));
        assertThat(agent.agent()).contains("a1");
        assertThat(ends).isEmpty();
    }

    @Test
    @DisplayName("release forgets the typing indicator without a callback")
    void release() {
        onLane(() -> {
            agent.typing();
            agent.release();
        });
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(events).containsExactly(new CallbackEvent.AgentTyping(true));
    }
}

package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.testkit.VirtualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CallbackGate")
class CallbackGateTest {
    final ManualWorkers workers = new ManualWorkers();
    final ChatLane lane = new ChatLane(workers, new VirtualScheduler());
    final List<CallbackEvent> events = new ArrayList<>();
    final List<Boolean> onLane = new ArrayList<>();
    final CallbackGate gate = new CallbackGate("chat-1", CallbackEvent.recorder(event -> {
        events.add(event);
        onLane.add(lane.isCurrent());
    }), lane);

    @Test
    @DisplayName("rule 6: nothing reaches the application after agentEndedChat")
    void nothingAfterAgentEnded() {
        lane.execute(() -> {
            gate.agentJoined(new AgentProfile("a1", "Ann"));
            gate.agentEndedChat();
            gate.sendMessageToUser(AgentMessage.fromAgent("m1", "a1", "late"));
            gate.agentTyping(false);
        });
        workers.runAll();
        assertThat(events).containsExactly(new CallbackEvent.AgentJoined(new AgentProfile("a1", "Ann")), new CallbackEvent.AgentEnded());
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    @DisplayName("rule 7: nothing reaches the application once the gate is closed, not even calls already queued")
    void nothingAfterClose() {
        gate.agentLeftChat(); // off the lane: queued
        gate.close();
        lane.execute(gate::agentReadMessages);
        workers.runAll();
        assertThat(events).isEmpty();
    }

    @Test
    @DisplayName("rule 12: a call made off the lane (inside the application's call) is delivered later, on the lane")
    void offLaneHops() {
        gate.setErrorStatus(new ErrorInfo.UserMessage("u1", "not sent"));
        assertThat(events).isEmpty();
        workers.runAll();
        assertThat(events).containsExactly(new CallbackEvent.ErrorStatus(new ErrorInfo.UserMessage("u1", "not sent")));
        assertThat(onLane).containsExactly(true);
    }

    @Test
    @DisplayName("rule 12: a call made from inside a callback is delivered after that callback returned, in order")
    void neverReentrant() {
        List<String> trace = new ArrayList<>();
        CallbackGate[] holder = new CallbackGate[1];
        ServiceDeskCallback application = new IgnoringCallback() {
            @Override
            public void agentJoined(AgentProfile agent) {
                trace.add("joined: enter");
                holder[0].agentTyping(true); // the desk answers the application's call at once
                holder[0].agentTyping(false);
                trace.add("joined: leave");
            }

            @Override
            public void agentTyping(boolean isTyping) {
                trace.add("typing " + isTyping);
            }
        };
        holder[0] = new CallbackGate("chat-1", application, lane);
        lane.execute(() -> holder[0].agentJoined(new AgentProfile("a1", "Ann")));
        workers.runAll();
        assertThat(trace).containsExactly("joined: enter", "joined: leave", "typing true", "typing false");
    }

    @Test
    @DisplayName("a callback that throws is logged and the next one is still delivered")
    void throwingCallback() {
        List<String> trace = new ArrayList<>();
        CallbackGate throwing = new CallbackGate("chat-1", new IgnoringCallback() {
            @Override
            public void agentLeftChat() {
                throw new IllegalStateException("application bug");
            }

            @Override
            public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {
                trace.add("transfer");
            }
        }, lane);
        lane.execute(() -> {
            throwing.agentLeftChat();
            throwing.beginTransferToAnotherAgent(Optional.empty());
        });
        workers.runAll();
        assertThat(trace).containsExactly("transfer");
        assertThat(throwing.isClosed()).isFalse();
    }
}

package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.testkit.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AgentTypingIndicator")
class AgentTypingIndicatorTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final VirtualScheduler scheduler = new VirtualScheduler();
    final ChatLane lane = new ChatLane(scheduler, scheduler);
    final List<Boolean> typing = new ArrayList<>();
    final AgentTypingIndicator indicator = new AgentTypingIndicator(lane, new IgnoringCallback() {
        @Override
        public void agentTyping(boolean isTyping) {
            typing.add(isTyping);
        }
    }, TIMEOUT);

    void onLane(Runnable task) {
        lane.execute(task);
        scheduler.runDueTasks();
    }

    @Test
    @DisplayName("rule 9: the indicator turns on once and off when the timeout passes without news")
    void expires() {
        onLane(indicator::typing);
        onLane(indicator::typing);
        assertThat(typing).containsExactly(true);
        scheduler.advance(TIMEOUT.minusMillis(1));
        assertThat(typing).containsExactly(true);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(typing).containsExactly(true, false);
        assertThat(indicator.isOn()).isFalse();
    }

    @Test
    @DisplayName("rule 9: a new typing event restarts the expiry")
    void refreshRestartsExpiry() {
        onLane(indicator::typing);
        scheduler.advance(Duration.ofSeconds(8));
        onLane(indicator::typing);
        scheduler.advance(Duration.ofSeconds(8));
        assertThat(typing).containsExactly(true);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(typing).containsExactly(true, false);
    }

    @Test
    @DisplayName("rule 9: stop turns the indicator off at once, and its expiry never fires afterwards")
    void stopBeforeMessage() {
        onLane(indicator::typing);
        onLane(indicator::stop);
        onLane(indicator::stop);
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(typing).containsExactly(true, false);
    }

    @Test
    @DisplayName("release forgets the indicator without a callback (the chat is over for the application)")
    void releaseIsSilent() {
        onLane(indicator::typing);
        onLane(indicator::release);
        scheduler.advance(TIMEOUT.multipliedBy(2));
        assertThat(typing).containsExactly(true);
        assertThat(indicator.isOn()).isFalse();
    }

    @Test
    @DisplayName("rule 9: a duration the vendor gives replaces the timeout for that event")
    void vendorDuration() {
        onLane(() -> indicator.typing(Duration.ofSeconds(2)));
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(typing).containsExactly(true);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(typing).containsExactly(true, false);
    }

    @Test
    @DisplayName("a timeout that is not positive is refused")
    void positiveTimeout() {
        assertThatThrownBy(() -> new AgentTypingIndicator(lane, new IgnoringCallback(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }
}

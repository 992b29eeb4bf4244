package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.DeliveredIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CatchUpBuffer")
class CatchUpBufferTest {
    /** A test event: a message when it has an id. */
    record Event(String name, Optional<String> messageId) {
        static Event message(String id) {
            return new Event("message " + id, Optional.of(id));
        }

        static Event other(String name) {
            return new Event(name, Optional.empty());
        }
    }

    final List<String> handled = new ArrayList<>();
    final DeliveredIds delivered = new DeliveredIds();
    final CatchUpBuffer<Event> buffer = new CatchUpBuffer<>(Event::messageId, delivered, event -> handled.add(event.name()));

    @Test
    @DisplayName("rule 8: live events pass straight through, and a repeated message is handled once")
    void liveOnce() {
        buffer.offer(Event.message("m1"));
        buffer.offer(Event.other("typing"));
        buffer.offer(Event.message("m1"));
        buffer.offer(Event.other("typing"));
        assertThat(handled).containsExactly("message m1", "typing", "typing");
    }

    @Test
    @DisplayName("rule 10: during a catch-up live events wait; then the history, then the live events, each message once")
    void historyThenLive() {
        buffer.offer(Event.message("m1"));
        buffer.hold();
        buffer.offer(Event.message("m3")); // arrived live while the history was being read
        buffer.offer(Event.other("joined"));
        assertThat(handled).containsExactly("message m1");
        assertThat(buffer.isHolding()).isTrue();

        buffer.caughtUp(List.of(Event.message("m1"), Event.message("m2"), Event.message("m3")));

        assertThat(handled).containsExactly("message m1", "message m2", "message m3", "joined");
        assertThat(buffer.isHolding()).isFalse();
    }

    @Test
    @DisplayName("what the catch-up learned besides events runs after the history and before the live events that waited")
    void afterHistory() {
        buffer.hold();
        buffer.offer(Event.message("m3"));
        buffer.caughtUp(List.of(Event.message("m2")), () -> handled.add("agent left"));
        assertThat(handled).containsExactly("message m2", "agent left", "message m3");
    }

    @Test
    @DisplayName("a handler that holds again (another drop) leaves the rest waiting for the next catch-up")
    void holdAgain() {
        CatchUpBuffer<Event>[] self = new CatchUpBuffer[1];
        self[0] = new CatchUpBuffer<>(Event::messageId, delivered, event -> {
            handled.add(event.name());
            if (event.name().equals("lost")) {
                self[0].hold();
            }
        });
        self[0].hold();
        self[0].offer(Event.other("lost"));
        self[0].offer(Event.message("m5"));
        self[0].caughtUp(List.of());
        assertThat(handled).containsExactly("lost");
        self[0].caughtUp(List.of(Event.message("m4")));
        assertThat(handled).containsExactly("lost", "message m4", "message m5");
    }

    @Test
    @DisplayName("clear forgets what waits: nothing is handled after the end")
    void clear() {
        buffer.hold();
        buffer.offer(Event.message("m1"));
        buffer.clear();
        buffer.caughtUp(List.of());
        assertThat(handled).isEmpty();
        assertThat(delivered.contains("m1")).isFalse();
    }
}

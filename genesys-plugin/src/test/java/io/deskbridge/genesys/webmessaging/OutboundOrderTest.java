package io.deskbridge.genesys.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Genesys's order (channel.time, then id) restored within the reorder window, on a clock the test sets. */
class OutboundOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofMillis(300);

    private static StructuredMessage message(String id, String time) {
        String channel = time == null ? "" : ",\"channel\":{\"time\":\"" + time + "\",\"messageId\":\"" + id + "\"}";
        try {
            return JSON.readValue("{\"id\":\"" + id + "\",\"type\":\"Text\",\"direction\":\"Outbound\",\"text\":\"" + id + "\"" + channel + "}",
                    StructuredMessage.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> ids(List<StructuredMessage> messages) {
        return messages.stream().map(m -> m.id().orElseThrow()).toList();
    }

    @Test
    @DisplayName("Messages that arrive out of order are released in channel.time order once the first one's window is over")
    void restoresOrder() {
        OutboundOrder order = new OutboundOrder(WINDOW);
        assertThat(order.add(message("c", "2026-03-01T09:59:59.300Z"), T0)).isEmpty();
        assertThat(order.add(message("a", "2026-03-01T09:59:59.100Z"), T0.plusMillis(20))).isEmpty();
        assertThat(order.add(message("b", "2026-03-01T09:59:59.200Z"), T0.plusMillis(40))).isEmpty();
        assertThat(order.nextRelease()).contains(T0.plus(WINDOW));
        assertThat(order.releaseDue(T0.plus(WINDOW).minusMillis(1))).isEmpty();
        assertThat(ids(order.releaseDue(T0.plus(WINDOW)))).containsExactly("a", "b", "c");
        assertThat(order.size()).isZero();
    }

    @Test
    @DisplayName("No message is held longer than the window after it arrived; later ones wait for their own window")
    void heldAtMostTheWindow() {
        OutboundOrder order = new OutboundOrder(WINDOW);
        order.add(message("a", "2026-03-01T09:59:59.100Z"), T0);
        order.add(message("d", "2026-03-01T09:59:59.400Z"), T0.plusMillis(200));
        assertThat(ids(order.releaseDue(T0.plus(WINDOW)))).containsExactly("a");
        assertThat(order.nextRelease()).contains(T0.plusMillis(200).plus(WINDOW));
        assertThat(ids(order.releaseDue(T0.plusMillis(200).plus(WINDOW)))).containsExactly("d");
    }

    @Test
    @DisplayName("When a later-arriving message is due, every message before it in Genesys's order goes with it")
    void earlierMessagesGoFirst() {
        OutboundOrder order = new OutboundOrder(WINDOW);
        order.add(message("late", "2026-03-01T09:59:59.900Z"), T0);
        order.add(message("early", "2026-03-01T09:59:59.100Z"), T0.plusMillis(250));
        assertThat(ids(order.releaseDue(T0.plus(WINDOW)))).containsExactly("early", "late");
    }

    @Test
    @DisplayName("Equal times are ordered by message id; a message without a time keeps its arrival place")
    void tiesAndMissingTimes() {
        OutboundOrder order = new OutboundOrder(WINDOW);
        order.add(message("m-2", "2026-03-01T09:59:59.100Z"), T0);
        order.add(message("m-1", "2026-03-01T09:59:59.100Z"), T0);
        order.add(message("no-time", null), T0);
        assertThat(ids(order.releaseAll())).containsExactly("m-1", "m-2", "no-time");
        assertThat(order.nextRelease()).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("A zero window releases each message as it arrives")
    void zeroWindow() {
        OutboundOrder order = new OutboundOrder(Duration.ZERO);
        assertThat(ids(order.add(message("b", "2026-03-01T09:59:59.200Z"), T0))).containsExactly("b");
        assertThat(ids(order.add(message("a", "2026-03-01T09:59:59.100Z"), T0))).containsExactly("a");
    }

    @Test
    @DisplayName("A negative window is refused")
    void negativeWindow() {
        assertThatThrownBy(() -> new OutboundOrder(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}

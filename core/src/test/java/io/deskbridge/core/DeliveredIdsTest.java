package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DeliveredIds")
class DeliveredIdsTest {
    final DeliveredIds ids = new DeliveredIds();

    @Test
    @DisplayName("rule 8: an id is a first delivery once, a duplicate afterwards")
    void once() {
        assertThat(ids.firstDelivery("m1")).isTrue();
        assertThat(ids.firstDelivery("m1")).isFalse();
        assertThat(ids.contains("m1")).isTrue();
        assertThat(ids.contains("m2")).isFalse();
    }

    @Test
    @DisplayName("remembers the last CAPACITY ids, forgetting the oldest first")
    void bounded() {
        for (int i = 0; i <= DeliveredIds.CAPACITY; i++) {
            assertThat(ids.firstDelivery("m" + i)).isTrue();
        }
        assertThat(ids.size()).isEqualTo(DeliveredIds.CAPACITY);
        assertThat(ids.contains("m0")).isFalse();
        assertThat(ids.contains("m1")).isTrue();
        assertThat(ids.firstDelivery("m" + DeliveredIds.CAPACITY)).isFalse();
    }
}

package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Backoff")
class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofSeconds(60));

    @Test
    @DisplayName("doubles from the first wait up to the longest, less at most 20 % of jitter")
    void exponentialWithJitter() {
        long[] full = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
        for (int retry = 1; retry <= full.length; retry++) {
            for (int sample = 0; sample < 50; sample++) {
                long millis = backoff.delay(retry).toMillis();
                assertThat(millis).as("retry %d", retry).isBetween(full[retry - 1] * 4 / 5, full[retry - 1]);
            }
        }
    }

    @Test
    @DisplayName("jitter spreads the waits of chats dropped together")
    void jitterVaries() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(backoff.delay(3));
        }
        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    @DisplayName("a very late retry waits the longest wait, without overflowing")
    void noOverflow() {
        Backoff big = new Backoff(Duration.ofMillis(1_500), Duration.ofHours(1), Backoff.UNBOUNDED, Duration.ZERO);
        assertThat(big.delay(40).toMillis()).isBetween(Duration.ofHours(1).toMillis() * 4 / 5, Duration.ofHours(1).toMillis());
        assertThat(big.delay(Integer.MAX_VALUE).toMillis()).isLessThanOrEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    @DisplayName("is bounded: no retry after maxRetries")
    void bounded() {
        assertThat(backoff.next(5, Optional.empty())).isPresent();
        assertThat(backoff.next(6, Optional.empty())).isEmpty();
    }

    @Test
    @DisplayName("honours Retry-After as the vendor gave it, and gives up on one longer than maxRetryAfter")
    void retryAfter() {
        assertThat(backoff.next(1, Optional.of(Duration.ofSeconds(45)))).contains(Duration.ofSeconds(45));
        assertThat(backoff.next(1, Optional.of(Duration.ofSeconds(61)))).isEmpty();
        assertThat(backoff.next(1, Optional.of(Duration.ofSeconds(-3)))).contains(Duration.ZERO);
    }

    @Test
    @DisplayName("attempts count retries until reset, and stop counting when they are used up")
    void attempts() {
        Backoff.Attempts attempts = new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), 2, Duration.ZERO).attempts();
        assertThat(attempts.next()).isPresent();
        assertThat(attempts.next()).isPresent();
        assertThat(attempts.next()).isEmpty();
        assertThat(attempts.retries()).isEqualTo(2);
        attempts.reset();
        assertThat(attempts.retries()).isZero();
        assertThat(attempts.next().orElseThrow().toMillis()).isBetween(80L, 100L);
    }

    @Test
    @DisplayName("refuses settings that make no sense, naming them")
    void validation() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, -1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Backoff.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30)).next(1_000_000, Optional.empty())).isPresent();
    }
}

package io.deskbridge.webchat.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A log throttle")
class LogThrottleTest {

    @Test
    @DisplayName("lets one line through per interval and reports how many it held back")
    void throttles() {
        AtomicLong now = new AtomicLong();
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), now::get);
        assertThat(throttle.admit()).isZero();
        int written = 0;
        for (int i = 0; i < 66_888; i++) {
            now.addAndGet(1_000_000); // 1 ms apart: 67 seconds of repeated abuse
            if (throttle.admit() >= 0) {
                written++;
            }
        }
        assertThat(written).isEqualTo(6);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(throttle.admit()).isPositive();
    }
}

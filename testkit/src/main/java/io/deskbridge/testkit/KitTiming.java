package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the kit waits, in one place: what {@link ServiceDeskConformanceKit#timing()} returns. Its defaults suit a
 * desk on virtual time; a desk on real sockets shortens the typing timeout and the quiet period.
 *
 * @param awaitTimeout the longest any wait lasts, in real time
 * @param typingTimeout the longest the desk may leave {@code agentTyping(true)} on (rule 9); at least the desk's own
 * @param quietPeriod on real time, how long {@code settle()} watches for callbacks that must not come
 * @param idleTimeout on virtual time, how long a wait goes on with nothing scheduled, running or happening before it
 *     fails early
 * @param virtualWaitLimit how far one wait may move virtual time
 * @param settleTime how far {@code settle()} moves virtual time before a "nothing else happens" check
 */
public record KitTiming(Duration awaitTimeout, Duration typingTimeout, Duration quietPeriod, Duration idleTimeout,
        Duration virtualWaitLimit, Duration settleTime) {

    /** The kit's defaults: 10 s, 30 s, 200 ms, 1 s, 10 min and 1 min. */
    public static final KitTiming DEFAULTS = new KitTiming(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMinutes(1));

    public KitTiming {
        positive(awaitTimeout, "awaitTimeout");
        positive(typingTimeout, "typingTimeout");
        positive(quietPeriod, "quietPeriod");
        positive(idleTimeout, "idleTimeout");
        positive(virtualWaitLimit, "virtualWaitLimit");
        positive(settleTime, "settleTime");
    }

    private static void positive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }

    public KitTiming withAwaitTimeout(Duration value) {
        return new KitTiming(value, typingTimeout, quietPeriod, idleTimeout, virtualWaitLimit, settleTime);
    }

    public KitTiming withTypingTimeout(Duration value) {
        return new KitTiming(awaitTimeout, value, quietPeriod, idleTimeout, virtualWaitLimit, settleTime);
    }

    public KitTiming withQuietPeriod(Duration value) {
        return new KitTiming(awaitTimeout, typingTimeout, value, idleTimeout, virtualWaitLimit, settleTime);
    }

    public KitTiming withIdleTimeout(Duration value) {
        return new KitTiming(awaitTimeout, typingTimeout, quietPeriod, value, virtualWaitLimit, settleTime);
    }

    public KitTiming withVirtualWaitLimit(Duration value) {
        return new KitTiming(awaitTimeout, typingTimeout, quietPeriod, idleTimeout, value, settleTime);
    }

    public KitTiming withSettleTime(Duration value) {
        return new KitTiming(awaitTimeout, typingTimeout, quietPeriod, idleTimeout, virtualWaitLimit, value);
    }
}

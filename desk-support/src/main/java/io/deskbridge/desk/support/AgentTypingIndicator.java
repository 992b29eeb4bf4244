package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;

/**
 * The agent typing indicator of one chat (rule 9): {@code agentTyping(true)} once when the agent starts typing, and
 * {@code agentTyping(false)} when the typing timeout passes without news, or when the desk {@link #stop()}s it before
 * the agent's next message, a transfer, a departure or the end. Most vendors send no "stopped typing", so the expiry
 * is what turns the indicator off.
 *
 * <p>Used on the chat's lane only; the expiry runs there too, and a stop on the lane cancels it for certain.
 */
public final class AgentTypingIndicator {
    private final ChatLane lane;
    private final ServiceDeskCallback callback;
    private final Duration timeout;
    private boolean on;
    private ChatLane.Timer expiry;

    /**
     * @param lane the chat's lane, where the expiry runs
     * @param callback where {@code agentTyping} goes (the chat's {@link CallbackGate})
     * @param timeout how long the indicator stays on without a new typing event
     */
    public AgentTypingIndicator(ChatLane lane, ServiceDeskCallback callback, Duration timeout) {
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The agent is typing: turns the indicator on if it is off, and restarts its expiry either way. */
    public void typing() {
        typing(timeout);
    }

    /**
     * The agent is typing and the vendor says for how long ({@code duration}, e.g. Genesys web messaging's
     * {@code typing.duration}): as {@link #typing()}, expiring after {@code duration} instead of the timeout.
     */
    public void typing(Duration duration) {
        requireNonNull(duration, "duration is null");
        cancelExpiry();
        if (!on) {
            on = true;
            callback.agentTyping(true);
        }
        expiry = lane.schedule(duration, this::stop);
    }

    /** Turns the indicator off ({@code agentTyping(false)}) if it is on; nothing otherwise. */
    public void stop() {
        cancelExpiry();
        if (on) {
            on = false;
            callback.agentTyping(false);
        }
    }

    /** Forgets the indicator without a callback: the chat is over for the application. */
    public void release() {
        cancelExpiry();
        on = false;
    }

    /** Whether the application was last told the agent is typing. */
    public boolean isOn() {
        return on;
    }

    private void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }
}

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Finds a vendor connection that died without a close (a NAT or proxy forgot it, the peer vanished) without dropping
 * one that is merely quiet: after {@code quiet} with nothing heard, the connection is asked to prove it lives (a
 * WebSocket ping), and it is reported silent only if nothing (the pong, a frame) is heard within {@code answer}. So a
 * vendor that sends heartbeats less often than assumed, or none, costs a ping, not a reconnect; a dead connection is
 * found within {@code quiet + answer}.
 *
 * <p>Used on the chat's lane only: {@link #heard()} for every frame, pong or ping the connection delivers; the timers
 * run on the lane. One watch per connection: a new connection gets a new watch.
 */
public final class SilenceWatch {

    /** The connection being watched. Called on the lane. */
    public interface Probe {
        /** Sends a ping; a failed send counts as no answer. */
        CompletionStage<?> ping();

        /** Nothing was heard for {@code quiet}, nor within {@code answer} of the ping: the connection is dead. Called once. */
        void silent(String why);
    }

    private final ChatLane lane;
    private final Duration quiet;
    private final Duration answer;
    private final Probe probe;
    private Optional<ChatLane.Timer> timer = Optional.empty();
    private boolean pinged;
    /** Which ping is the current one, so that an old ping's late failure is not taken for this one's. */
    private long round;
    private boolean stopped;

    /**
     * @param lane the chat's lane, where the timers run
     * @param quiet how long the connection may say nothing before it is pinged (positive)
     * @param answer how long the ping's answer may take (positive)
     * @param probe pings the connection and hears that it is dead
     */
    public SilenceWatch(ChatLane lane, Duration quiet, Duration answer, Probe probe) {
        this.lane = requireNonNull(lane, "lane is null");
        this.quiet = positive(quiet, "quiet");
        this.answer = positive(answer, "answer");
        this.probe = requireNonNull(probe, "probe is null");
    }

    private static Duration positive(Duration value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** Starts watching (the connection just opened); the same as {@link #heard()}. */
    public void start() {
        heard();
    }

    /** Something arrived: the connection lives; the quiet time starts again. */
    public void heard() {
        if (stopped) {
            return;
        }
        pinged = false;
        timer.ifPresent(ChatLane.Timer::cancel);
        timer = Optional.of(lane.schedule(quiet, this::quietFor));
    }

    /** Whether a ping is waiting for its answer. */
    public boolean isPinging() {
        return pinged && !stopped;
    }

    /** Stops watching (the connection closed or was found dead); nothing more is reported. */
    public void stop() {
        stopped = true;
        timer.ifPresent(ChatLane.Timer::cancel);
        timer = Optional.empty();
    }

    private void quietFor() {
        if (stopped) {
            return;
        }
        pinged = true;
        long thisRound = ++round;
        timer = Optional.of(lane.schedule(answer, () -> unanswered("no answer to a ping within " + answer.toMillis() + " ms")));
        CompletionStage<?> sent;
        try {
            sent = probe.ping();
        } catch (RuntimeException e) {
            unanswered("the ping could not be sent: " + e.getMessage());
            return;
        }
        lane.whenComplete(sent, (ok, failure) -> {
            if (failure != null && pinged && round == thisRound) {
                unanswered("the ping could not be sent: " + failure.getMessage());
            }
        });
    }

    private void unanswered(String why) {
        if (stopped) {
            return;
        }
        stop();
        probe.silent("nothing heard for " + quiet.toMillis() + " ms and " + why);
    }
}

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.DeliveredIds;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Merges the history a desk reads after a reconnect with the live events that arrive while it reads, so that each
 * agent message is handled exactly once and in order (rules 8 and 10).
 *
 * <p>The usual sequence: the connection is back, the desk calls {@link #hold()} and asks the vendor for what it
 * missed; live events {@link #offer}ed meanwhile wait; {@link #caughtUp(List)} handles the history and then the
 * events that waited, in that order. Whenever an event carries a message id (see the constructor), an id already
 * delivered is skipped, live or from the history, so a message seen on both sides reaches the handler once.
 *
 * <p>Used on the chat's lane only.
 *
 * @param <E> the desk's event type
 */
public final class CatchUpBuffer<E> {
    private final Function<? super E, Optional<String>> messageId;
    private final DeliveredIds delivered;
    private final Consumer<? super E> handler;
    private final Queue<E> held = new ArrayDeque<>();
    private boolean holding;

    /**
     * @param messageId the message id of an event that is a message (empty for other events, handled every time)
     * @param delivered the chat's delivered-ids window
     * @param handler handles one event, on the lane
     */
    public CatchUpBuffer(Function<? super E, Optional<String>> messageId, DeliveredIds delivered, Consumer<? super E> handler) {
        this.messageId = requireNonNull(messageId, "messageId is null");
        this.delivered = requireNonNull(delivered, "delivered is null");
        this.handler = requireNonNull(handler, "handler is null");
    }

    /** A catch-up starts: live events wait until {@link #caughtUp}. Events already waiting keep waiting. */
    public void hold() {
        holding = true;
    }

    /** Whether live events wait for a catch-up. */
    public boolean isHolding() {
        return holding;
    }

    /** A live event: handled now (unless already delivered), or after the catch-up when one is running. */
    public void offer(E event) {
        requireNonNull(event, "event is null");
        if (holding) {
            held.add(event);
        } else {
            handleOnce(event);
        }
    }

    /**
     * The catch-up is done: handles {@code history} (oldest first) and then the live events that waited, each
     * message once. The handler may {@link #hold()} again (another drop), and then the rest waits for the next
     * catch-up.
     */
    public void caughtUp(List<? extends E> history) {
        caughtUp(history, () -> { });
    }

    /**
     * As {@link #caughtUp(List)}, with {@code afterHistory} run between the history and the live events that waited:
     * for what the catch-up learned that is not an event of its own, such as an agent who left while the stream was
     * down (after that agent's last messages, before anything that came live since).
     */
    public void caughtUp(List<? extends E> history, Runnable afterHistory) {
        requireNonNull(history, "history is null");
        requireNonNull(afterHistory, "afterHistory is null");
        holding = false;
        for (E event : history) {
            handleOnce(event);
        }
        afterHistory.run();
        while (!holding && !held.isEmpty()) {
            handleOnce(held.poll());
        }
    }

    /** Forgets the events that wait and stops holding: the chat is over. */
    public void clear() {
        held.clear();
        holding = false;
    }

    private void handleOnce(E event) {
        Optional<String> id = messageId.apply(event);
        if (id.isPresent() && !delivered.firstDelivery(id.get())) {
            return;
        }
        handler.accept(event);
    }
}

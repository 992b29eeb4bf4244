package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntSupplier;

/**
 * A routing queue: what queue lookup, queue observations and the estimated wait time report about it. Thread-safe;
 * changes show in the next request.
 *
 * <p>{@code oWaiting} of media type {@code chat} counts the queue's guest chat conversations that attached their event
 * stream and have no connected agent, and of media type {@code message} the web messaging chats (of the simulator's
 * default queue) that wait for an agent, unless a test set a number for both with {@link #setWaiting(int)};
 * {@code oInteracting} counts those with an agent. Agents are counted per {@link RoutingStatus}; a new queue has one {@link RoutingStatus#IDLE} agent.
 */
public final class SimulatedQueue {
    private final String id;
    private final String name;
    private final EnumMap<RoutingStatus, Integer> agents = new EnumMap<>(RoutingStatus.class);
    private OptionalInt waitingOverride = OptionalInt.empty();
    private Optional<Duration> estimatedWait = Optional.empty();
    private int waiting;
    private int interacting;
    private IntSupplier webMessagingWaiting = () -> 0;
    private IntSupplier webMessagingInteracting = () -> 0;

    SimulatedQueue(String id, String name) {
        this.id = requireNonNull(id, "id is null");
        this.name = requireNonNull(name, "name is null");
        agents.put(RoutingStatus.IDLE, 1);
    }

    /** The queue id, as queue lookup returns it. */
    public String id() {
        return id;
    }

    /** The queue name, the {@code targetAddress} of a routing target. */
    public String name() {
        return name;
    }

    /** One idle agent on queue ({@code true}), or no agent on queue at all ({@code false}). */
    public synchronized void setAgentsOnline(boolean online) {
        agents.clear();
        if (online) {
            agents.put(RoutingStatus.IDLE, 1);
        }
    }

    /** How many agents of this queue are in {@code status}. */
    public synchronized void setAgents(RoutingStatus status, int count) {
        requireNonNull(status, "status is null");
        if (count < 0) {
            throw new IllegalArgumentException("agent count is negative: " + count);
        }
        if (count == 0) {
            agents.remove(status);
        } else {
            agents.put(status, count);
        }
    }

    /** How many agents of this queue are in each status (statuses with none are absent). */
    public synchronized Map<RoutingStatus, Integer> agents() {
        return Map.copyOf(agents);
    }

    /** Reports {@code count} waiting conversations ({@code oWaiting}, of each media type) instead of counting them. */
    public synchronized void setWaiting(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("waiting count is negative: " + count);
        }
        waitingOverride = OptionalInt.of(count);
    }

    /** Counts waiting conversations again after {@link #setWaiting(int)}. */
    public synchronized void countWaiting() {
        waitingOverride = OptionalInt.empty();
    }

    /** The {@code oWaiting} of media type {@code chat} (guest chat) this queue reports now. */
    public synchronized int waiting() {
        return waitingOverride.orElse(waiting);
    }

    /** The {@code oInteracting} of media type {@code chat} (guest chat) this queue reports now. */
    public synchronized int interacting() {
        return interacting;
    }

    /** The {@code oWaiting} of media type {@code message} (web messaging) this queue reports now. */
    public synchronized int webMessagingWaiting() {
        return waitingOverride.orElseGet(webMessagingWaiting);
    }

    /** The {@code oInteracting} of media type {@code message} (web messaging) this queue reports now. */
    public synchronized int webMessagingInteracting() {
        return webMessagingInteracting.getAsInt();
    }

    /** Counts the web messaging chats of this queue too. */
    synchronized void countWebMessaging(IntSupplier waitingChats, IntSupplier interactingChats) {
        this.webMessagingWaiting = requireNonNull(waitingChats, "waitingChats is null");
        this.webMessagingInteracting = requireNonNull(interactingChats, "interactingChats is null");
    }

    /**
     * The estimated wait the queue reports; empty answers {@code {"results": []}} (simulator choice: Genesys does not
     * document the answer when it cannot estimate). Empty for a new queue.
     */
    public synchronized void setEstimatedWait(Optional<Duration> wait) {
        requireNonNull(wait, "wait is null");
        wait.ifPresent(w -> {
            if (w.isNegative()) {
                throw new IllegalArgumentException("estimated wait is negative: " + w);
            }
        });
        estimatedWait = wait;
    }

    /** The estimated wait the queue reports. */
    public synchronized Optional<Duration> estimatedWait() {
        return estimatedWait;
    }

    /** Where a conversation of this queue is, for the counts. */
    enum Phase {
        NOT_ROUTED,
        WAITING,
        INTERACTING,
        DONE
    }

    synchronized void move(Phase from, Phase to) {
        if (from == Phase.WAITING) {
            waiting--;
        } else if (from == Phase.INTERACTING) {
            interacting--;
        }
        if (to == Phase.WAITING) {
            waiting++;
        } else if (to == Phase.INTERACTING) {
            interacting++;
        }
    }

    @Override
    public String toString() {
        return "SimulatedQueue[" + name + " " + id + "]";
    }
}

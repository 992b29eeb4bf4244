package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a desk tells {@link VendorChat} about its vendor: how to connect a conversation's event stream, read where it
 * is, end it, find it again from the persisted state, and what each of its events means for the user. Calls that
 * return a stage may complete on any thread; {@link #handle} runs on the chat's lane.
 *
 * @param <C> the vendor's handle of a conversation (its id and token, say)
 * @param <E> the vendor's stream event
 */
public interface ChatVendor<C, E> {

    /** Connects the conversation's event stream, handing its events to {@code events}; closing the result closes it. */
    CompletionStage<? extends AutoCloseable> connect(C conversation, Events<E> events);

    /** Where the conversation is now and the events after message {@code afterMessageId} (all when empty), oldest first. */
    CompletionStage<Snapshot<E>> snapshot(C conversation, Optional<String> afterMessageId);

    /** Ends the conversation for the user; ending an ended conversation succeeds. */
    CompletionStage<Void> end(C conversation);

    /** The vendor's message id of {@code event} when it is a message (the user's own echoes too). */
    Optional<String> messageId(E event);

    /** One event of the stream or the history, each message once, in order: tells {@code agent} what happened. */
    void handle(E event, AgentEvents agent);

    /** What a new desk needs to find {@code conversation} again (no secret that outlives it, rule 13). */
    PersistedState save(C conversation);

    /** The conversation {@link #save} recorded, or empty when the state holds none. */
    Optional<C> load(PersistedState state);

    /**
     * The vendor's own failure {@code cause} of {@code action} ("send message m1") as a {@link ServiceDeskException} of
     * the kind that says who can fix it, or empty when it is not one of the vendor's (it then counts as {@code INTERNAL}).
     * None by default: a {@link VendorCallException} needs no mapping here.
     */
    default Optional<ServiceDeskException> failure(Throwable cause, String action, Optional<String> messageToUser) {
        return Optional.empty();
    }

    /** Where the vendor's event stream reports to. Any thread. */
    interface Events<E> {

        /** One event, in the vendor's order. */
        void event(E event);

        /** The stream dropped and the vendor's client reconnects by itself. */
        void lost(String reason);

        /** The stream is back; the events of the gap were not replayed. */
        void restored();
    }

    /**
     * Where a conversation is, as the vendor says when asked.
     *
     * @param ended whether the conversation is over (or unknown to the vendor)
     * @param agent the agent in the conversation now, if any
     * @param missed the events after the last message read, oldest first
     */
    record Snapshot<E>(boolean ended, Optional<AgentProfile> agent, List<E> missed) {
        public Snapshot {
            requireNonNull(agent, "agent is null");
            missed = List.copyOf(requireNonNull(missed, "missed is null"));
        }
    }
}

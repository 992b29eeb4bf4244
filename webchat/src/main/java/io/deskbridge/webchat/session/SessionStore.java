package io.deskbridge.webchat.session;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where browser sessions are kept between a page's visits, keyed by the hash of their resume token. The
 * {@link SessionRegistry} writes a session's record whenever something needed to resume it changes (a chat starts or
 * ends, a message, the desk's persisted state), and reads it when a page presents a token of a session it does not
 * hold live, for example after a restart. Implementations are thread-safe and do not block for long: they are
 * called from the sessions' executors.
 *
 * <p>A store is closed once, after every session of the server was closed ({@link #close()}); a durable store
 * writes what it still holds before it returns.
 */
public interface SessionStore extends AutoCloseable {

    /** Whether records survive a restart of the process. When they do, a shutdown leaves chats open to be resumed. */
    boolean isDurable();

    void save(SessionRecord record);

    Optional<SessionRecord> find(String tokenHash);

    void delete(String tokenHash);

    /**
     * Records that these sessions, held live by this process with a tab open, were active at {@code at}, so that a
     * durable store's purge of abandoned sessions never takes them. Called periodically; the default does nothing
     * (a store without a purge need not know).
     */
    default void touch(Collection<String> tokenHashes, Instant at) {}

    /**
     * Whether the store can be used now, for the server's readiness ({@code /ready}). Called from a request thread:
     * answers within a few seconds. The default, for a store in memory, is {@code true}.
     */
    default boolean isReachable() {
        return true;
    }

    /**
     * The leases through which several processes share this store ({@link ChatLeases}); empty when one process owns
     * every session it stores (the memory store, or a database store opened without leases).
     */
    default Optional<ChatLeases> leases() {
        return Optional.empty();
    }

    /**
     * For a graceful shutdown, before the sessions' tabs are told to reconnect: writes what was accepted (bounded)
     * and gives up this process's leases, so that the processes the tabs reach take the sessions over with their last
     * state. The default does nothing.
     */
    default void handOverAll() {}

    /** Releases the store; a durable store first writes what it has accepted. The default does nothing. */
    @Override
    default void close() {}
}

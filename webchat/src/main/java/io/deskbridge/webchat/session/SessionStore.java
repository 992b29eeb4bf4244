package io.deskbridge.webchat.session;

import java.util.Optional;

/**
 * Where browser sessions are kept between a page's visits, keyed by the hash of their resume token. The
 * {@link SessionRegistry} writes a session's record whenever something needed to resume it changes (a chat starts or
 * ends, a message, the desk's persisted state), and reads it when a page presents a token of a session it does not
 * hold live, for example after a restart. Implementations are thread-safe and do not block for long: they are
 * called from the sessions' executors.
 */
public interface SessionStore {

    /** Whether records survive a restart of the process. When they do, a shutdown leaves chats open to be resumed. */
    boolean isDurable();

    void save(SessionRecord record);

    Optional<SessionRecord> find(String tokenHash);

    void delete(String tokenHash);
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The newest change of one session that the {@link JdbcSessionStore} has not written yet: the write-behind queue keeps
 * one per session, so a session changed ten times before a write is written once.
 */
sealed interface PendingChange permits PendingChange.Save, PendingChange.Delete, PendingChange.Touch {

    /** A save; {@code fence} is the lease it was made under (0 without leases). */
    record Save(SessionRecord record, long fence) implements PendingChange {
        public Save {
            requireNonNull(record, "record is null");
        }
    }

    /** A delete; {@code fence} is the lease it was made under (0 without leases). */
    record Delete(long fence) implements PendingChange {}

    /** A session still active at {@code at} (a tab is open): only its {@code last_active} moves. */
    record Touch(Instant at) implements PendingChange {
        public Touch {
            requireNonNull(at, "at is null");
        }
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Sessions in this process's memory ({@code webchat.store=memory}): they end with the process. */
public final class MemorySessionStore implements SessionStore {
    private final ConcurrentMap<String, SessionRecord> records = new ConcurrentHashMap<>();

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public void save(SessionRecord record) {
        requireNonNull(record, "record is null");
        records.put(record.tokenHash(), record);
    }

    @Override
    public Optional<SessionRecord> find(String tokenHash) {
        return Optional.ofNullable(records.get(requireNonNull(tokenHash, "tokenHash is null")));
    }

    @Override
    public void delete(String tokenHash) {
        records.remove(requireNonNull(tokenHash, "tokenHash is null"));
    }

    /** How many sessions are stored. */
    public int size() {
        return records.size();
    }
}

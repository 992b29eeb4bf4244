package io.deskbridge.webchat;

import io.deskbridge.webchat.session.SessionRecord;
import io.deskbridge.webchat.session.SessionStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A session store that outlives a server, as a database would: tests hand one store to two servers in turn. */
final class DurableTestStore implements SessionStore {
    final Map<String, SessionRecord> records = new ConcurrentHashMap<>();
    /** When set, find fails as a database that is down does. */
    volatile boolean failFinds;

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public void save(SessionRecord record) {
        records.put(record.tokenHash(), record);
    }

    @Override
    public Optional<SessionRecord> find(String tokenHash) {
        if (failFinds) {
            throw new IllegalStateException("The session store could not be read (the test took it down)");
        }
        return Optional.ofNullable(records.get(tokenHash));
    }

    @Override
    public void delete(String tokenHash) {
        records.remove(tokenHash);
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Writes one batch of pending session changes to the {@link SessionTable} in one transaction: the saves (a batch of
 * {@code UPDATE}, then a batch of {@code INSERT} for the rows the update did not find), then the deletes, then the
 * touches. Portable upsert, without a vendor's {@code MERGE} or {@code ON CONFLICT}: two processes sharing the table
 * may race to insert the same new row, and the duplicate-key failure is the caller's to retry.
 *
 * <p>With {@link ChatLeases leases} every save and delete is fenced by the lease it was made under: a save that finds
 * no row under its fence is inserted only when it is the session's first write ({@link ChatLeases#mayInsert});
 * otherwise another process took the session over (or deleted it), and the save is dropped and, once the transaction
 * commits, reported {@linkplain ChatLeases#lost lost}. Used by the store's writer thread only.
 */
final class SessionBatchWriter {
    private final DataSource dataSource;
    private final SessionTable table;
    private final SessionRecordJson format;
    private final Optional<ChatLeases> leases;
    private final Clock clock;

    SessionBatchWriter(DataSource dataSource, SessionTable table, SessionRecordJson format, Optional<ChatLeases> leases, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.table = requireNonNull(table, "table is null");
        this.format = requireNonNull(format, "format is null");
        this.leases = requireNonNull(leases, "leases is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (leases.isPresent() != table.fenced()) {
            throw new IllegalArgumentException("the table's statements must be fenced exactly when there are leases");
        }
    }

    /** A record to save and its JSON. */
    private record Row(SessionRecord record, String json, long fence) {
        /** Sets the parameters of {@code UPDATE ... SET session_id, last_active, record WHERE token_hash [AND fence]}. */
        void bindUpdate(PreparedStatement update, boolean fenced) throws SQLException {
            update.setString(1, record.sessionId());
            update.setLong(2, record.lastActive().toEpochMilli());
            update.setString(3, json);
            update.setString(4, record.tokenHash());
            if (fenced) {
                update.setLong(5, fence);
            }
        }
    }

    /**
     * One transaction: the saves (update, then insert what was not there), deletes and touches of {@code batch}, by
     * token hash. Rolled back when anything fails; a record that cannot be serialized is logged and written as nothing.
     */
    void write(Map<String, PendingChange> batch) throws SQLException {
        List<Row> saves = new ArrayList<>();
        List<Map.Entry<String, Long>> deletes = new ArrayList<>();
        boolean fenced = leases.isPresent();
        List<Row> lost = new ArrayList<>();
        List<Map.Entry<String, Instant>> touches = new ArrayList<>();
        for (Map.Entry<String, PendingChange> entry : batch.entrySet()) {
            PendingChange change = entry.getValue();
            if (change instanceof PendingChange.Save save) {
                // A record that cannot be serialized is logged, written as nothing, and leaves the pending map with the batch.
                format.serialize(save.record()).ifPresent(text -> saves.add(new Row(save.record(), text, save.fence())));
            } else if (change instanceof PendingChange.Delete delete) {
                deletes.add(Map.entry(entry.getKey(), delete.fence()));
            } else if (change instanceof PendingChange.Touch touch) {
                touches.add(Map.entry(entry.getKey(), touch.at()));
            }
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!saves.isEmpty()) {
                    List<Row> missing = update(connection, saves, fenced);
                    if (fenced) {
                        // No row under this fence: a new session's first write inserts it; otherwise another process
                        // took the session over (or deleted it), and this write must not land.
                        for (Row row : List.copyOf(missing)) {
                            if (!leases.get().mayInsert(row.record().tokenHash(), row.fence())) {
                                missing.remove(row);
                                lost.add(row);
                            }
                        }
                    }
                    if (!missing.isEmpty()) {
                        insert(connection, missing, fenced);
                    }
                }
                if (!deletes.isEmpty()) {
                    delete(connection, deletes, fenced);
                }
                if (!touches.isEmpty()) {
                    touch(connection, touches);
                }
                connection.commit();
                if (fenced) {
                    ChatLeases l = leases.get();
                    saves.stream().filter(row -> !lost.contains(row)).forEach(row -> l.written(row.record().tokenHash(), row.fence()));
                    deletes.forEach(key -> l.deleted(key.getKey(), key.getValue()));
                    lost.forEach(row -> l.lost(row.record().tokenHash(), row.fence()));
                }
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /** Updates the rows of {@code saves}; returns the saves whose row the update did not find (under its fence). */
    private List<Row> update(Connection connection, List<Row> saves, boolean fenced) throws SQLException {
        List<Row> missing = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(table.update())) {
            for (Row row : saves) {
                row.bindUpdate(update, fenced);
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    missing.add(saves.get(i));
                } else if (counts[i] == Statement.SUCCESS_NO_INFO) {
                    // the driver does not say whether the row was there: ask for this one alone
                    update.clearBatch();
                    saves.get(i).bindUpdate(update, fenced);
                    if (update.executeUpdate() == 0) {
                        missing.add(saves.get(i));
                    }
                }
            }
        }
        return missing;
    }

    /** Inserts the rows of {@code missing}: owned by this process under a fresh lease when fenced, by none otherwise. */
    private void insert(Connection connection, List<Row> missing, boolean fenced) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(table.insert())) {
            for (Row row : missing) {
                insert.setString(1, row.record().tokenHash());
                insert.setString(2, row.record().sessionId());
                insert.setLong(3, row.record().lastActive().toEpochMilli());
                insert.setString(4, row.json());
                if (fenced) {
                    insert.setString(5, leases.get().instanceId());
                    insert.setLong(6, clock.millis() + leases.get().options().duration().toMillis());
                } else {
                    insert.setNull(5, Types.VARCHAR);
                    insert.setLong(6, 0);
                }
                insert.setLong(7, row.fence());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void delete(Connection connection, List<Map.Entry<String, Long>> deletes, boolean fenced) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(table.delete())) {
            for (Map.Entry<String, Long> key : deletes) {
                delete.setString(1, key.getKey());
                if (fenced) {
                    delete.setLong(2, key.getValue());
                }
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private void touch(Connection connection, List<Map.Entry<String, Instant>> touches) throws SQLException {
        try (PreparedStatement touch = connection.prepareStatement(table.touch())) {
            for (Map.Entry<String, Instant> entry : touches) {
                touch.setLong(1, entry.getValue().toEpochMilli());
                touch.setString(2, entry.getKey());
                touch.setLong(3, entry.getValue().toEpochMilli());
                touch.addBatch();
            }
            touch.executeBatch();
        }
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The session table of a {@link JdbcSessionStore}: its schema, created at start when it is absent and brought up to
 * date when an earlier version created it, and the statements the store runs on it. Everything is plain SQL that
 * PostgreSQL and H2 both accept: no vendor's {@code MERGE}, {@code ON CONFLICT} or types. The table's name is a plain
 * identifier ({@link JdbcSessionStore#isValidTable}), so it can be written into the statements as it is. The lease
 * statements are {@link ChatLeases}'s own.
 */
final class SessionTable {
    private final String name;
    private final boolean fenced;
    private final String select;
    private final String update;
    private final String insert;
    private final String delete;
    private final String touch;
    private final String idle;
    private final String purge;

    /**
     * @param name the table's name, already validated
     * @param fenced whether saves and deletes are fenced by a lease ({@code AND fence = ?} as their last parameter)
     */
    SessionTable(String name, boolean fenced) {
        this.name = requireNonNull(name, "name is null");
        this.fenced = fenced;
        String fence = fenced ? " AND fence = ?" : "";
        this.select = "SELECT session_id, record FROM " + name + " WHERE token_hash = ?";
        this.update = "UPDATE " + name + " SET session_id = ?, last_active = ?, record = ? WHERE token_hash = ?" + fence;
        this.insert = "INSERT INTO " + name + " (token_hash, session_id, last_active, record, owner, lease_until, fence)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        this.delete = "DELETE FROM " + name + " WHERE token_hash = ?" + fence;
        this.touch = "UPDATE " + name + " SET last_active = ? WHERE token_hash = ? AND last_active < ?";
        // A leased row belongs to a live process (or one that died less than a lease ago): never purged.
        this.idle = "SELECT token_hash FROM " + name + " WHERE last_active < ? AND lease_until < ?";
        this.purge = "DELETE FROM " + name + " WHERE token_hash = ? AND last_active < ? AND lease_until < ?";
    }

    String name() {
        return name;
    }

    /** Whether {@link #update()} and {@link #delete()} take the fence as their last parameter. */
    boolean fenced() {
        return fenced;
    }

    /** {@code (token_hash)} to {@code session_id, record}. */
    String select() {
        return select;
    }

    /** {@code (session_id, last_active, record, token_hash[, fence])}. */
    String update() {
        return update;
    }

    /** {@code (token_hash, session_id, last_active, record, owner, lease_until, fence)}. */
    String insert() {
        return insert;
    }

    /** {@code (token_hash[, fence])}. */
    String delete() {
        return delete;
    }

    /** {@code (last_active, token_hash, last_active)}: moves {@code last_active} forward only. */
    String touch() {
        return touch;
    }

    /** {@code (cutoff, now)} to the {@code token_hash} of rows idle since before the cutoff and not leased now. */
    String idle() {
        return idle;
    }

    /** {@code (token_hash, cutoff, now)}: deletes one row {@link #idle()} found, unless it was touched or leased since. */
    String purge() {
        return purge;
    }

    /**
     * Creates the table and its indexes when they are absent, and adds the lease columns to a table an earlier version
     * created (its rows stay readable, owned by none).
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} naming {@code webchat.store.table} if that fails
     */
    void create(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + name + " ("
                    + "token_hash VARCHAR(64) PRIMARY KEY, "
                    + "session_id VARCHAR(64) NOT NULL, "
                    + "last_active BIGINT NOT NULL, "
                    + "record TEXT NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS " + name + "_last_active ON " + name + " (last_active)");
            // The lease columns, added to a table an earlier version created (its rows stay readable, owned by none).
            statement.execute("ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS owner VARCHAR(100)");
            statement.execute("ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS lease_until BIGINT DEFAULT 0 NOT NULL");
            statement.execute("ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS fence BIGINT DEFAULT 0 NOT NULL");
            statement.execute("CREATE INDEX IF NOT EXISTS " + name + "_owner ON " + name + " (owner)");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "webchat.store.table: the session table " + name
                    + " could not be created (" + e.getMessage() + ")", e);
        }
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge of a {@link JdbcSessionStore}'s idle rows. A session no process holds any more (its process stopped and
 * its page never came back) would stay in the table forever: its row is deleted once its {@code last_active} is older
 * than the idle timeout. Live sessions with an open tab are touched by their process, so they are never purged, and
 * neither is a row under a lease. Runs on the store's writer thread, like the writes it must not overtake.
 */
final class IdleSessionPurge {
    /** Logs as the store: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    private final DataSource dataSource;
    private final SessionTable table;
    private final WriteBehindQueue writes;
    private final Duration idleTimeout;
    private final Clock clock;

    IdleSessionPurge(DataSource dataSource, SessionTable table, WriteBehindQueue writes, Duration idleTimeout, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.table = requireNonNull(table, "table is null");
        this.writes = requireNonNull(writes, "writes is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Deletes the rows idle longer than the idle timeout, except those of sessions with a change not written yet (a
     * touch of a live session kept during an outage is newer than its row). Nothing is purged while the database is
     * failing: the changes kept meanwhile are written first.
     *
     * @return how many rows were deleted
     */
    int purge() throws SQLException {
        if (writes.inOutage()) {
            LOG.debug("purge skipped: {} session change(s) wait for the database", writes.size());
            return 0;
        }
        long cutoff = clock.instant().minus(idleTimeout).toEpochMilli();
        int purged = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(table.idle());
                PreparedStatement delete = connection.prepareStatement(table.purge())) {
            connection.setAutoCommit(true);
            long now = clock.millis();
            select.setLong(1, cutoff);
            select.setLong(2, now);
            List<String> idle = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    idle.add(rows.getString(1));
                }
            }
            for (String hash : idle) {
                if (writes.pendingChange(hash).isPresent()) {
                    continue;
                }
                delete.setString(1, hash);
                delete.setLong(2, cutoff); // a row touched since it was selected stays
                delete.setLong(3, now); // and so does one leased since
                purged += delete.executeUpdate();
            }
        }
        if (purged > 0) {
            LOG.info("purged {} stored session(s) idle for longer than {}", purged, idleTimeout);
        }
        return purged;
    }

    /** {@link #purge()} at its interval: a failure is left for the next one. */
    void purgeQuietly() {
        try {
            purge();
        } catch (SQLException | RuntimeException e) {
            // an outage is reported by the writes; a missed purge is done at the next interval
            LOG.debug("purging idle sessions failed: {}", e.toString());
        }
    }
}

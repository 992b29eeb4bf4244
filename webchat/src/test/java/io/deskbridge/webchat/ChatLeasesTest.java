package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.webchat.session.ChatLeases;
import io.deskbridge.webchat.session.JdbcSessionStore;
import io.deskbridge.webchat.session.SessionRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Leases and fenced writes of {@link JdbcSessionStore} shared by several processes, each played by a store of its own
 * (its own pool and instance id) on one database: H2 here, PostgreSQL in {@link ChatLeasesPostgresTest}.
 */
@DisplayName("Session leases: one owner per session, fenced writes, take-over, migration")
class ChatLeasesTest {
    private static final Instant T0 = Instant.parse("2030-01-01T09:00:00Z");
    private static final Duration IDLE = Duration.ofMinutes(2);

    protected final String table = "leases_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final String h2 = "jdbc:h2:mem:leases-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final BrowserSessionTest.MutableClock clock = new BrowserSessionTest.MutableClock(T0);
    private final List<JdbcSessionStore> stores = new ArrayList<>();

    protected String url() {
        return h2;
    }

    protected Optional<String> user() {
        return Optional.empty();
    }

    protected Optional<io.deskbridge.core.Secret> password() {
        return Optional.empty();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user().orElse(null), password().map(io.deskbridge.core.Secret::reveal).orElse(null));
    }

    @AfterEach
    void closeStores() {
        stores.forEach(JdbcSessionStore::close);
    }

    /** A process: a store with leases named {@code instance}, renewing every third of {@code lease}. */
    private JdbcSessionStore process(String instance, Duration lease) {
        JdbcSessionStore store = JdbcSessionStore.open(url(), user(), password(),
                new JdbcSessionStore.Options(table, IDLE, Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(5)),
                Optional.of(new ChatLeases.Options(instance, lease)), clock);
        stores.add(store);
        return store;
    }

    private static SessionRecord record(String hash, String text) {
        return JdbcSessionStoreTest.fullRecord(hash, text, T0);
    }

    private static String agentText(SessionRecord record) {
        return record.chat().orElseThrow().transcript().get(2).text();
    }

    private static void awaitWritten(JdbcSessionStore store) {
        Await.until(() -> store.pendingWrites() == 0, "the pending session changes written");
    }

    private String storedText(String hash) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT record FROM " + table + " WHERE token_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getString(1) : "";
            }
        }
    }

    private String[] ownerAndFence(String hash) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("SELECT owner, fence FROM " + table + " WHERE token_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? new String[] {row.getString(1), String.valueOf(row.getLong(2))} : new String[0];
            }
        }
    }

    @Test
    @DisplayName("a new session's first write inserts it owned by its process with fence 1")
    void adoptInserts() throws SQLException {
        JdbcSessionStore a = process("a", Duration.ofMinutes(1));
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "first"));
        awaitWritten(a);
        assertThat(ownerAndFence("h1")).containsExactly("a", "1");
    }

    @Test
    @DisplayName("a take-over moves the fence: the former owner's later writes never land, and it is told it lost the session")
    void fencedWrites() throws SQLException {
        JdbcSessionStore a = process("a", Duration.ofMinutes(1));
        JdbcSessionStore b = process("b", Duration.ofMinutes(1));
        List<String> lostByA = new CopyOnWriteArrayList<>();
        a.leases().orElseThrow().onLost(lostByA::add);
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "written by a"));
        awaitWritten(a);

        Optional<ChatLeases.Claimed> claimed = b.leases().orElseThrow().claim("h1", r -> true);
        assertThat(claimed).isPresent();
        assertThat(claimed.get().fence()).isEqualTo(2);
        assertThat(agentText(claimed.get().record())).isEqualTo("written by a");
        assertThat(ownerAndFence("h1")).containsExactly("b", "2");

        b.save(record("h1", "written by b"));
        awaitWritten(b);
        a.save(record("h1", "a late write of a"));
        awaitWritten(a);
        assertThat(storedText("h1")).contains("written by b").doesNotContain("a late write");
        assertThat(lostByA).containsExactly("h1");
        // a no longer holds it: its further changes are not even tried
        a.save(record("h1", "after losing it"));
        a.delete("h1");
        assertThat(a.pendingWrites()).isZero();
        assertThat(storedText("h1")).contains("written by b");
    }

    @Test
    @DisplayName("a former owner that writes nothing learns at its next renewal that it lost the session")
    void renewalFindsLoss() {
        JdbcSessionStore a = process("a", Duration.ofMillis(300));
        JdbcSessionStore b = process("b", Duration.ofMinutes(1));
        List<String> lostByA = new CopyOnWriteArrayList<>();
        a.leases().orElseThrow().onLost(lostByA::add);
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "written by a"));
        awaitWritten(a);
        assertThat(a.leases().orElseThrow().holds("h1")).isTrue();

        b.leases().orElseThrow().claim("h1", r -> true).orElseThrow();
        Await.until(() -> lostByA.contains("h1"), "a's renewal to report the session lost");
        assertThat(a.leases().orElseThrow().size()).isZero();
    }

    @Test
    @DisplayName("holds() asks the database: false once another process claimed the session")
    void holdsAsksTheDatabase() {
        JdbcSessionStore a = process("a", Duration.ofMinutes(1));
        JdbcSessionStore b = process("b", Duration.ofMinutes(1));
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "x"));
        awaitWritten(a);
        b.leases().orElseThrow().claim("h1", r -> true).orElseThrow();
        assertThat(a.leases().orElseThrow().holds("h1")).isFalse();
        assertThat(b.leases().orElseThrow().holds("h1")).isTrue();
    }

    @Test
    @DisplayName("a claim the record does not accept (another user's token) leaves the owner and fence alone")
    void refusedClaimChangesNothing() throws SQLException {
        JdbcSessionStore a = process("a", Duration.ofMinutes(1));
        JdbcSessionStore b = process("b", Duration.ofMinutes(1));
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "x"));
        awaitWritten(a);
        assertThat(b.leases().orElseThrow().claim("h1", r -> false)).isEmpty();
        assertThat(b.leases().orElseThrow().claim("unknown", r -> true)).isEmpty();
        assertThat(ownerAndFence("h1")).containsExactly("a", "1");
    }

    @Test
    @DisplayName("a hand-over writes what is pending, then releases every lease of the process")
    void handOverReleases() throws SQLException {
        JdbcSessionStore a = process("a", Duration.ofMinutes(1));
        a.leases().orElseThrow().adopt("h1");
        a.save(record("h1", "the last state"));
        a.handOverAll();
        assertThat(storedText("h1")).contains("the last state");
        assertThat(ownerAndFence("h1")).containsExactly(null, "1");
    }

    @Test
    @DisplayName("a table of the version before leases gets the lease columns; its rows stay readable and are taken over")
    void migratesTheEarlierTable() throws SQLException {
        // A row in the earlier format: its JSON as a store writes it (elsewhere), in the table as that version made it.
        JdbcSessionStore elsewhere = JdbcSessionStore.open(url(), user(), password(),
                new JdbcSessionStore.Options(table + "_src", IDLE, Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(5)), clock);
        stores.add(elsewhere);
        elsewhere.save(record("h-old", "stored by the earlier version"));
        awaitWritten(elsewhere);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (token_hash VARCHAR(64) PRIMARY KEY, session_id VARCHAR(64) NOT NULL,"
                    + " last_active BIGINT NOT NULL, record TEXT NOT NULL)");
            s.execute("INSERT INTO " + table + " (token_hash, session_id, last_active, record)"
                    + " SELECT token_hash, session_id, last_active, record FROM " + table + "_src");
        }

        JdbcSessionStore b = process("b", Duration.ofMinutes(1));
        ChatLeases.Claimed claimed = b.leases().orElseThrow().claim("h-old", r -> true).orElseThrow();
        assertThat(agentText(claimed.record())).isEqualTo("stored by the earlier version");
        assertThat(claimed.fence()).isEqualTo(1);
        b.save(record("h-old", "written by b"));
        awaitWritten(b);
        assertThat(storedText("h-old")).contains("written by b");
    }
}

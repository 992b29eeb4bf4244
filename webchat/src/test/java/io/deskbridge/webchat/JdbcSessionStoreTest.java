package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Secret;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.session.JdbcSessionStore;
import io.deskbridge.webchat.session.SessionRecord;
import io.deskbridge.webchat.session.TranscriptEntry;
import java.net.URI;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The JDBC session store (webchat.store=jdbc), against H2")
class JdbcSessionStoreTest {
    private static final Instant T0 = Instant.parse("2030-01-01T09:00:00.123456789Z");
    private static final Duration IDLE = Duration.ofMinutes(2);

    /** The database under test: an H2 database of this test's own here; {@link JdbcSessionStorePostgresTest} overrides. */
    protected final String url = jdbcUrl();
    /** A table of this test's own, so that tests sharing a database do not see each other's rows. */
    protected final String table = "sessions_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    protected String jdbcUrl() {
        return "jdbc:h2:mem:sessions-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    protected Optional<String> user() {
        return Optional.empty();
    }

    protected Optional<Secret> password() {
        return Optional.empty();
    }

    /** A connection to the database under test, for looking at rows directly. */
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user().orElse(null), password().map(Secret::reveal).orElse(null));
    }

    private FlakyDataSource flaky() {
        return new FlakyDataSource(url, user(), password().map(Secret::reveal));
    }
    private final BrowserSessionTest.MutableClock clock = new BrowserSessionTest.MutableClock(T0);
    private final List<JdbcSessionStore> stores = new ArrayList<>();

    @AfterEach
    protected void closeStores() {
        stores.forEach(JdbcSessionStore::close);
        stores.clear();
    }

    /** A store that writes 20 ms after a change and purges only when the test asks. */
    private JdbcSessionStore open() {
        return open(Duration.ofMillis(20));
    }

    private JdbcSessionStore open(Duration flushDelay) {
        JdbcSessionStore store = JdbcSessionStore.open(url, user(), password(), options(flushDelay), clock);
        stores.add(store);
        return store;
    }

    private JdbcSessionStore over(FlakyDataSource dataSource) {
        JdbcSessionStore store = JdbcSessionStore.using(dataSource, options(Duration.ofMillis(20)), clock);
        stores.add(store);
        return store;
    }

    private JdbcSessionStore.Options options(Duration flushDelay) {
        return new JdbcSessionStore.Options(table, IDLE, flushDelay, Duration.ofHours(1), Duration.ofSeconds(5));
    }

    private static void awaitWritten(JdbcSessionStore store) {
        Await.until(() -> store.pendingWrites() == 0, "the pending session changes written");
    }

    /** A record with every field set: a verified user, a chat with desk state, an agent with an avatar, a transcript. */
    static SessionRecord fullRecord(String hash, String text, Instant lastActive) {
        List<TranscriptEntry> transcript = List.of(
                new TranscriptEntry(TranscriptEntry.From.USER, "m-1", "My invoice is wrong", Optional.empty(), Optional.empty(),
                        Optional.of(TranscriptEntry.Delivery.SENT), T0.plusSeconds(3)),
                new TranscriptEntry(TranscriptEntry.From.USER, "m-2", "Still there?", Optional.empty(), Optional.empty(),
                        Optional.of(TranscriptEntry.Delivery.FAILED), T0.plusSeconds(4)),
                new TranscriptEntry(TranscriptEntry.From.AGENT, "v-17", text, Optional.of("ada"), Optional.of("Ada"),
                        Optional.empty(), T0.plusSeconds(9)),
                new TranscriptEntry(TranscriptEntry.From.SYSTEM, "v-18", "Ada joined \"the chat\" ✓", Optional.empty(), Optional.empty(),
                        Optional.empty(), T0.plusSeconds(10)));
        SessionRecord.ChatRecord chat = new SessionRecord.ChatRecord("chat-k3J9x0aQ2m", false,
                Optional.of(new PersistedState(Map.of("conversationId", "c-42", "lastMessageId", "v-17"))),
                Optional.of(new AgentProfile("ada", "Ada", Optional.of(URI.create("https://cdn.example.com/ada.png")))), transcript);
        return new SessionRecord(hash, "s-abcdef12", Optional.of(new UserIdentity("u-7", Optional.of("Grace"), Optional.of("grace@example.com"))),
                Optional.of(chat), lastActive);
    }

    static SessionRecord bareRecord(String hash, Instant lastActive) {
        return new SessionRecord(hash, "s-" + hash, Optional.empty(), Optional.empty(), lastActive);
    }

    private int rows() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }

    private void insertRaw(String hash, String json) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO " + table + " (token_hash, session_id, last_active, record) VALUES (?, ?, ?, ?)")) {
            s.setString(1, hash);
            s.setString(2, "s-raw");
            s.setLong(3, T0.toEpochMilli());
            s.setString(4, json);
            s.executeUpdate();
        }
    }

    @Nested
    @DisplayName("records")
    class Records {
        @Test
        @DisplayName("a record with every field is read back equal, by this store and by a new one (another process)")
        void roundTrip() {
            JdbcSessionStore store = open();
            SessionRecord record = fullRecord("hash-1", "Let me look", T0);
            store.save(record);
            awaitWritten(store);
            assertThat(store.find("hash-1")).contains(record);
            assertThat(open().find("hash-1")).contains(record);
            assertThat(store.find("hash-unknown")).isEmpty();
            assertThat(store.isDurable()).isTrue();
        }

        @Test
        @DisplayName("a record without identity or chat round-trips too")
        void bare() {
            JdbcSessionStore store = open();
            store.save(bareRecord("hash-b", T0));
            awaitWritten(store);
            assertThat(open().find("hash-b")).contains(bareRecord("hash-b", T0));
        }

        @Test
        @DisplayName("a second save overwrites the first: one row, the newer record")
        void overwrite() throws SQLException {
            JdbcSessionStore store = open();
            store.save(fullRecord("hash-1", "first", T0));
            awaitWritten(store);
            SessionRecord newer = fullRecord("hash-1", "second", T0.plusSeconds(30));
            store.save(newer);
            awaitWritten(store);
            assertThat(open().find("hash-1")).contains(newer);
            assertThat(rows()).isEqualTo(1);
        }

        @Test
        @DisplayName("delete removes the row; find sees the delete before it is written")
        void delete() throws SQLException {
            JdbcSessionStore store = open();
            store.save(fullRecord("hash-1", "text", T0));
            store.save(bareRecord("hash-2", T0));
            awaitWritten(store);
            store.delete("hash-1");
            assertThat(store.find("hash-1")).isEmpty();
            awaitWritten(store);
            assertThat(rows()).isEqualTo(1);
            assertThat(open().find("hash-1")).isEmpty();
            assertThat(open().find("hash-2")).isPresent();
        }

        @Test
        @DisplayName("the table is created once: a second store on it, and a table name of the operator's choice, work")
        void schema() throws SQLException {
            open().save(bareRecord("hash-1", T0));
            JdbcSessionStore custom = JdbcSessionStore.open(url, user(), password(),
                    new JdbcSessionStore.Options(table + "_2", IDLE, Duration.ofMillis(20), Duration.ofHours(1), Duration.ofSeconds(5)), clock);
            stores.add(custom);
            custom.save(bareRecord("hash-c", T0));
            awaitWritten(custom);
            try (Connection c = connect(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT session_id, last_active FROM " + table + "_2")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("s-hash-c");
                assertThat(r.getLong(2)).isEqualTo(T0.toEpochMilli());
            }
            assertThat(open().find("hash-c")).isEmpty(); // another table
        }

        @Test
        @DisplayName("a row that cannot be read (damaged JSON, a newer format, a missing field) is treated as absent")
        void unreadableRow() throws SQLException {
            JdbcSessionStore store = open();
            insertRaw("hash-garbage", "{not json");
            insertRaw("hash-future", "{\"version\":99,\"sessionId\":\"s-x\",\"lastActive\":\"2030-01-01T09:00:00Z\"}");
            insertRaw("hash-no-version", "{\"sessionId\":\"s-x\",\"lastActive\":\"2030-01-01T09:00:00Z\"}");
            insertRaw("hash-broken", "{\"version\":1,\"sessionId\":\"s-x\"}");
            insertRaw("hash-bad-enum", "{\"version\":1,\"sessionId\":\"s-x\",\"lastActive\":\"2030-01-01T09:00:00Z\",\"chat\":{\"chatId\":\"c\","
                    + "\"over\":false,\"transcript\":[{\"from\":\"ROBOT\",\"id\":\"1\",\"text\":\"t\",\"at\":\"2030-01-01T09:00:00Z\"}]}}");
            assertThat(store.find("hash-garbage")).isEmpty();
            assertThat(store.find("hash-future")).isEmpty();
            assertThat(store.find("hash-no-version")).isEmpty();
            assertThat(store.find("hash-broken")).isEmpty();
            assertThat(store.find("hash-bad-enum")).isEmpty();
            // a readable row next to them, with a field a later version added, is read
            insertRaw("hash-ok", "{\"version\":1,\"sessionId\":\"s-ok\",\"lastActive\":\"2030-01-01T09:00:00Z\",\"addedLater\":true}");
            assertThat(store.find("hash-ok")).contains(new SessionRecord("hash-ok", "s-ok", Optional.empty(), Optional.empty(),
                    Instant.parse("2030-01-01T09:00:00Z")));
            // and a save over an unreadable row replaces it
            store.save(bareRecord("hash-garbage", T0));
            awaitWritten(store);
            assertThat(open().find("hash-garbage")).contains(bareRecord("hash-garbage", T0));
        }
    }

    @Nested
    @DisplayName("write-behind")
    class WriteBehind {
        @Test
        @DisplayName("save and delete return at once; find sees the pending change before the database has it")
        void findSeesPending() throws SQLException {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            store.save(bareRecord("hash-old", T0));
            awaitWritten(store);
            database.down();
            SessionRecord record = fullRecord("hash-1", "pending", T0);
            store.save(record);
            store.delete("hash-old");
            assertThat(store.find("hash-1")).contains(record);
            assertThat(store.find("hash-old")).isEmpty();
            assertThat(store.pendingWrites()).isEqualTo(2);
            assertThat(rows()).isEqualTo(1); // only hash-old, not yet deleted
            database.up();
            awaitWritten(store);
            assertThat(rows()).isEqualTo(1); // now only hash-1
            assertThat(open().find("hash-old")).isEmpty();
        }

        @Test
        @DisplayName("a change the database refuses for its data (a session id too long for its column) is dropped; the rest of its batch and later "
                + "changes are written")
        void refusedChangeDoesNotBlock() {
            JdbcSessionStore store = open();
            store.save(new SessionRecord("hash-bad", "s-" + "x".repeat(100), Optional.empty(), Optional.empty(), T0));
            store.save(bareRecord("hash-good", T0));
            awaitWritten(store);
            assertThat(open().find("hash-good")).contains(bareRecord("hash-good", T0));
            assertThat(open().find("hash-bad")).isEmpty();
            store.save(bareRecord("hash-later", T0));
            awaitWritten(store);
            assertThat(open().find("hash-later")).isPresent();
        }

        @Test
        @DisplayName("a lookup right after one failed fails at once without asking the database, so pages are not held while it is down")
        void lookupFailsFast() {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            store.save(bareRecord("hash-1", T0));
            awaitWritten(store);
            database.down();
            assertThatThrownBy(() -> store.find("hash-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not be read");
            int asked = database.refused.get();
            assertThatThrownBy(() -> store.find("hash-1")).hasMessageContaining("failed less than 2 s ago");
            assertThat(database.refused.get()).isEqualTo(asked);
            database.up();
            Await.until(() -> {
                try {
                    return store.find("hash-1").isPresent();
                } catch (IllegalStateException stillFailingFast) {
                    return false;
                }
            }, "lookups answered again once the database is back");
        }

        @Test
        @DisplayName("many saves of one session coalesce: one pending change, and the last record is the one stored")
        void coalescing() throws SQLException {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            database.down();
            for (int i = 1; i <= 50; i++) {
                store.save(fullRecord("hash-1", "version " + i, T0.plusSeconds(i)));
            }
            assertThat(store.pendingWrites()).isEqualTo(1);
            assertThat(store.find("hash-1").orElseThrow().chat().orElseThrow().transcript().get(2).text()).isEqualTo("version 50");
            database.up();
            awaitWritten(store);
            assertThat(rows()).isEqualTo(1);
            assertThat(open().find("hash-1")).contains(fullRecord("hash-1", "version 50", T0.plusSeconds(50)));
        }

        @Test
        @DisplayName("close writes what is pending before it returns; a change after close is not stored and throws nothing")
        void closeFlushes() {
            JdbcSessionStore store = open(Duration.ofHours(1)); // would not write on its own during the test
            SessionRecord record = fullRecord("hash-1", "written at close", T0);
            store.save(record);
            store.save(bareRecord("hash-2", T0));
            assertThat(store.pendingWrites()).isEqualTo(2);
            store.close();
            assertThat(store.pendingWrites()).isZero();
            JdbcSessionStore next = open();
            assertThat(next.find("hash-1")).contains(record);
            assertThat(next.find("hash-2")).isPresent();
            store.save(bareRecord("hash-late", T0)); // after close: logged, not stored, no exception
            store.close(); // idempotent
            assertThat(next.find("hash-late")).isEmpty();
        }

        @Test
        @DisplayName("while the database is down nothing accepted is lost: changes are kept, retried, and written when it is back")
        void databaseDown() throws SQLException {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            store.save(bareRecord("hash-gone", T0));
            awaitWritten(store);
            database.down();
            SessionRecord during = fullRecord("hash-1", "written after the outage", T0);
            store.save(during);
            store.delete("hash-gone");
            Await.until(() -> database.refused.get() >= 3, "the writer to retry against the database that is down");
            assertThat(store.pendingWrites()).isEqualTo(2);
            assertThat(store.find("hash-1")).contains(during);
            database.up();
            awaitWritten(store);
            assertThat(rows()).isEqualTo(1);
            assertThat(open().find("hash-1")).contains(during);
            assertThat(open().find("hash-gone")).isEmpty();
        }

        @Test
        @DisplayName("find fails with a clear error (not a crash) when the database is down and the change is not pending")
        void findWhileDown() {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            database.down();
            assertThatThrownBy(() -> store.find("hash-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The session store could not be read");
        }
    }

    @Nested
    @DisplayName("purge")
    class Purge {
        @Test
        @DisplayName("rows idle longer than webchat.sessionIdleTimeout are purged; younger and touched rows stay")
        void idleRowsPurged() throws SQLException {
            JdbcSessionStore store = open();
            store.save(bareRecord("hash-old", T0));
            store.save(bareRecord("hash-young", T0.plusSeconds(90)));
            store.save(bareRecord("hash-live", T0));
            awaitWritten(store);
            clock.advance(IDLE.plusSeconds(1));
            store.touch(List.of("hash-live"), clock.instant()); // its process still holds it with a tab open
            awaitWritten(store);
            assertThat(store.purgeIdleSessions()).isEqualTo(1);
            assertThat(store.find("hash-old")).isEmpty();
            assertThat(store.find("hash-young")).isPresent();
            assertThat(store.find("hash-live")).isPresent();
            clock.advance(Duration.ofSeconds(90));
            assertThat(store.purgeIdleSessions()).isEqualTo(1); // hash-young now
            assertThat(rows()).isEqualTo(1);
            clock.advance(IDLE);
            assertThat(store.purgeIdleSessions()).isEqualTo(1);
            assertThat(rows()).isZero();
        }

        @Test
        @DisplayName("after an outage longer than the idle timeout, a live session's touch kept meanwhile is written before any purge: its row stays")
        void outageDoesNotPurgeLiveSessions() throws SQLException {
            FlakyDataSource database = flaky();
            JdbcSessionStore store = over(database);
            store.save(bareRecord("hash-live", T0));
            store.save(bareRecord("hash-gone", T0));
            awaitWritten(store);
            database.down();
            clock.advance(IDLE.plusSeconds(1));
            store.touch(List.of("hash-live"), clock.instant()); // its tab is open: kept while the database is down
            Await.until(() -> database.refused.get() > 0, "the touch's write refused");
            database.up();
            assertThat(store.purgeIdleSessions()).as("no purge before the kept changes are written").isZero();
            awaitWritten(store);
            assertThat(store.purgeIdleSessions()).isEqualTo(1); // hash-gone, idle all along
            assertThat(open().find("hash-live")).isPresent();
            assertThat(open().find("hash-gone")).isEmpty();
        }

        @Test
        @DisplayName("a touch never brings back a deleted session, nor makes a pending record older")
        void touchAfterDelete() {
            JdbcSessionStore store = open(Duration.ofHours(1));
            store.delete("hash-1");
            store.touch(List.of("hash-1"), T0);
            assertThat(store.find("hash-1")).isEmpty();
            SessionRecord newer = bareRecord("hash-2", T0.plusSeconds(10));
            store.save(newer);
            store.touch(List.of("hash-2"), T0);
            assertThat(store.find("hash-2")).contains(newer);
            store.touch(List.of("hash-2"), T0.plusSeconds(20));
            assertThat(store.find("hash-2").orElseThrow().lastActive()).isEqualTo(T0.plusSeconds(20));
        }
    }

    @Nested
    @DisplayName("start-up")
    class StartUp {
        @Test
        @DisplayName("a database that cannot be reached fails start-up naming webchat.store.url, never printing the password")
        void unreachable() {
            assertThatThrownBy(() -> JdbcSessionStore.open("jdbc:h2:tcp://127.0.0.1:1/nothing;IFEXISTS=TRUE", Optional.of("sa"),
                    Optional.of(new Secret("pw-s3cr3t")), options(Duration.ofMillis(20)), clock))
                    .isInstanceOf(ServiceDeskException.class)
                    .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                    .hasMessageContaining("webchat.store.url: the session database jdbc:h2:tcp://127.0.0.1:1/nothing... cannot be used")
                    .hasMessageContaining("Connection refused")
                    .hasMessageContaining("that the database is reachable")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-s3cr3t"));
        }

        @Test
        @DisplayName("a URL no driver on the class path accepts fails start-up naming webchat.store.url and the missing driver")
        void missingDriver() {
            assertThatThrownBy(() -> JdbcSessionStore.open("jdbc:nosuchdb://db.example.com/chat?password=in-url-pw", Optional.of("sa"),
                    Optional.of(new Secret("pw-s3cr3t")), options(Duration.ofMillis(20)), clock))
                    .isInstanceOf(ServiceDeskException.class)
                    .hasMessageContaining("webchat.store.url: the session database jdbc:nosuchdb://db.example.com/chat... cannot be used")
                    .hasMessageContaining("no JDBC driver on the class path accepts it")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-s3cr3t", "in-url-pw"));
        }

        @Test
        @DisplayName("a table name that is not a plain SQL identifier is refused")
        void tableName() {
            assertThat(JdbcSessionStore.isValidTable("deskbridge_webchat_sessions")).isTrue();
            assertThat(JdbcSessionStore.isValidTable("Sessions2")).isTrue();
            for (String bad : List.of("", "1sessions", "public.sessions", "sessions; DROP TABLE x", "\"quoted\"", "s".repeat(49))) {
                assertThat(JdbcSessionStore.isValidTable(bad)).as(bad).isFalse();
                assertThatThrownBy(() -> new JdbcSessionStore.Options(bad, IDLE, Duration.ZERO, IDLE, IDLE))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.webchat.session.JdbcSessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The web chat server over a {@link JdbcSessionStore}: what it writes, what the purge spares, and start-up. */
@DisplayName("The web chat server with webchat.store=jdbc")
class JdbcStoreServerTest {
    private static final Duration IDLE = Duration.ofMinutes(2);

    private static String tokenHash(String token) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    @Test
    @DisplayName("a session with a tab open is touched, so the purge of idle rows spares it however long it stays quiet")
    void liveSessionsAreNotPurged() throws Exception {
        BrowserSessionTest.MutableClock clock = new BrowserSessionTest.MutableClock(Instant.parse("2030-01-01T09:00:00Z"));
        String url = "jdbc:h2:mem:server-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcSessionStore store = JdbcSessionStore.open(url, Optional.empty(), Optional.empty(),
                new JdbcSessionStore.Options(JdbcSessionStore.DEFAULT_TABLE, IDLE, Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(5)),
                clock);
        // the server's own sweep runs every 15 s at this timeout; the test drives the registry itself
        try (store; WebChatFixture web = WebChatFixture.start(new ScriptedDesk.Provider(), Map.of("webchat.sessionIdleTimeout", "2m"), clock, store);
                ChatClient quiet = ChatClient.greeted(web.uri()); ChatClient gone = ChatClient.greeted(web.uri())) {
            String quietHash = tokenHash(quiet.frames().get(0).path("resumeToken").asText());
            String goneHash = tokenHash(gone.frames().get(0).path("resumeToken").asText());
            Await.until(() -> store.pendingWrites() == 0 && store.find(quietHash).isPresent() && store.find(goneHash).isPresent(),
                    "both sessions written");
            gone.close();
            Await.until(() -> web.server.sessions().connectionCount() == 1, "the closed tab detached");
            Await.until(() -> store.pendingWrites() == 0, "the detach written");

            clock.advance(IDLE.plusMinutes(1));
            assertThat(web.server.sessions().touchConnectedSessions()).isEqualTo(1);
            Await.until(() -> store.pendingWrites() == 0, "the touch written");
            assertThat(store.purgeIdleSessions()).isEqualTo(1);
            assertThat(store.find(quietHash)).isPresent();
            assertThat(store.find(goneHash)).isEmpty();
            // touched at most every third of the timeout
            assertThat(web.server.sessions().touchConnectedSessions()).isZero();
            clock.advance(IDLE.dividedBy(3));
            assertThat(web.server.sessions().touchConnectedSessions()).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a session database that cannot be reached stops start-up with a configuration error naming webchat.store.url")
    void unreachableDatabase() {
        assertThatThrownBy(() -> WebChatApplication.start(Configuration.of(Map.of("webchat.port", "0", "webchat.store", "jdbc",
                "webchat.store.url", "jdbc:h2:tcp://127.0.0.1:1/sessions", "webchat.store.password", "db-pa55word"))))
                .isInstanceOf(ServiceDeskException.class)
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("webchat.store.url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("db-pa55word"));
    }
}

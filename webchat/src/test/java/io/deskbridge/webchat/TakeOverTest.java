package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.webchat.session.ChatLeases;
import io.deskbridge.webchat.session.JdbcSessionStore;
import io.deskbridge.webchat.session.WebSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two web chat servers in one JVM share a session database with leases (H2 here), as two processes would: a page
 * that comes back to the server not holding its chat takes it over, and the former owner lets go.
 */
@DisplayName("A chat taken over by another web chat server")
class TakeOverTest {
    private final String url = "jdbc:h2:mem:takeover-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final ScriptedDesk.Provider deskA = new ScriptedDesk.Provider();
    private final ScriptedDesk.Provider deskB = new ScriptedDesk.Provider();
    private JdbcSessionStore storeA;
    private JdbcSessionStore storeB;
    private WebChatFixture a;
    private WebChatFixture b;

    private JdbcSessionStore store(String instance) {
        return JdbcSessionStore.open(url, Optional.empty(), Optional.empty(),
                new JdbcSessionStore.Options("sessions", Duration.ofMinutes(2), Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(5)),
                Optional.of(new ChatLeases.Options(instance, Duration.ofMinutes(1))), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {a, b, storeA, storeB}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The one row of the session table, once written. */
    private Optional<StoredRow> storedRow() {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT owner, fence, record FROM sessions")) {
            return row.next() ? Optional.of(new StoredRow(row.getString(1), row.getLong(2), row.getString(3))) : Optional.empty();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private record StoredRow(String owner, long fence, String record) {}

    private static AgentMessage agentMessage(String id, String text) {
        return new AgentMessage(id, Optional.of("ada"), text, MessageOrigin.AGENT, Optional.empty());
    }

    @Test
    @DisplayName("the new owner resumes the desk and skips what the transcript holds; the former owner's tab is told to reconnect, its desk let go, "
            + "and its vendor's 'ended' is a hand-over")
    void takeOver() throws Exception {
        storeA = store("a");
        storeB = store("b");
        a = WebChatFixture.start(deskA, Map.of(), null, storeA);
        b = WebChatFixture.start(deskB, Map.of(), null, storeB);

        ChatClient first = ChatClient.greeted(a.uri());
        String token = first.frames().get(0).path("resumeToken").asText();
        first.send("{\"type\":\"startChat\"}");
        first.await("chatStarted");
        ScriptedDesk onA = deskA.latestChat();
        onA.vendor().updatePersistedState(new PersistedState(Map.of("conversation", "c-1")));
        onA.vendor().agentJoined(new AgentProfile("ada", "Ada", Optional.empty()));
        onA.vendor().sendMessageToUser(agentMessage("v-1", "Hello from A"));
        first.await("agentMessage");
        Await.until(() -> storeA.pendingWrites() == 0, "A to write the session");
        try (ChatClient secondTabOnA = ChatClient.connect(a.uri())) {
            secondTabOnA.send("{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}");
            secondTabOnA.await("welcome");
            first.close();

            try (ChatClient onB = ChatClient.connect(b.uri())) {
                onB.send("{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}");
                JsonNode welcome = onB.await("welcome");
                assertThat(welcome.path("resumed").asBoolean()).isTrue();
                assertThat(welcome.path("chat").path("transcript")).extracting(e -> e.path("text").asText()).containsExactly("Hello from A");
                ScriptedDesk resumed = deskB.latestChat();
                Await.until(resumed.reconnected::get, "B to reconnect the desk");
                onB.await("chatStarted");

                // A's vendor says the chat ended (as Genesys does when the session opens elsewhere): a hand-over.
                onA.vendor().agentEndedChat();
                assertThat(secondTabOnA.awaitClose()).isEqualTo(WebSession.CLOSE_RECONNECT);
                assertThat(secondTabOnA.all("agentEnded")).isEmpty();
                assertThat(secondTabOnA.all("chatEnded")).isEmpty();
                Await.until(onA.detached::get, "A to let go of its desk");
                Await.until(() -> a.server.sessions().size() == 0, "A to forget the session");

                // The resumed desk catches up from the saved state: what the transcript holds is not shown twice.
                resumed.vendor().sendMessageToUser(agentMessage("v-1", "Hello from A"));
                resumed.vendor().sendMessageToUser(agentMessage("v-2", "Hello from B"));
                onB.await("agentMessage", f -> f.path("id").asText().equals("v-2"));
                assertThat(onB.all("agentMessage")).extracting(f -> f.path("id").asText()).containsExactly("v-2");
                assertThat(resumed.ended.get()).isFalse();
                assertThat(onA.ended.get()).as("no process ended the vendor conversation").isFalse();

                // The page has the message before the session is saved with it (the frame goes out first): wait for the row.
                Await.until(() -> storedRow().filter(row -> row.record().contains("Hello from B")), "B to write the session with its message");
                StoredRow row = storedRow().orElseThrow();
                assertThat(row.owner()).isEqualTo("b");
                assertThat(row.fence()).isEqualTo(2);
            }
        }
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.webchat.session.MemorySessionStore;
import io.deskbridge.webchat.session.SessionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Browser sessions")
class BrowserSessionTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T09:00:00Z"));
    private ScriptedDesk.Provider desk;
    private WebChatFixture web;

    @BeforeEach
    void start() {
        desk = new ScriptedDesk.Provider();
        // An idle timeout far above the test's run time, so only the virtual clock can expire a session.
        web = WebChatFixture.start(desk, Map.of("webchat.sessionIdleTimeout", "1h"), clock, null);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private static String hello(String token) {
        return "{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}";
    }

    @Test
    @DisplayName("a reload resumes the same chat: welcome carries its state, agent and transcript in order")
    void reloadResumes() {
        String token;
        try (ChatClient tab = ChatClient.connect(web.uri())) {
            tab.send("{\"type\":\"hello\"}");
            token = tab.await("welcome").path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            ScriptedDesk chat = desk.latestChat();
            chat.vendor().agentJoined(new AgentProfile("ada", "Ada"));
            tab.await("agentJoined");
            tab.send("{\"type\":\"message\",\"id\":\"u1\",\"text\":\"My invoice is wrong\"}");
            tab.await("messageStatus");
            chat.vendor().sendMessageToUser(AgentMessage.fromAgent("a1", "ada", "Let me look"));
            tab.await("agentMessage");
            tab.send("{\"type\":\"message\",\"id\":\"u2\",\"text\":\"Thanks\"}");
            tab.await("messageStatus");
        }
        try (ChatClient reloaded = ChatClient.connect(web.uri())) {
            reloaded.send(hello(token));
            JsonNode welcome = reloaded.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isTrue();
            assertThat(welcome.path("resumeToken").asText()).isEqualTo(token);
            JsonNode chat = welcome.path("chat");
            assertThat(chat.path("status").asText()).isEqualTo("joined");
            assertThat(chat.path("agent").path("nickname").asText()).isEqualTo("Ada");
            assertThat(chat.path("transcript")).extracting(e -> e.path("from").asText() + ":" + e.path("id").asText() + ":" + e.path("text").asText())
                    .containsExactly("user:u1:My invoice is wrong", "agent:a1:Let me look", "user:u2:Thanks");
            assertThat(chat.path("transcript").get(0).path("status").asText()).isEqualTo("sent");
            assertThat(chat.path("transcript").get(1).path("agentName").asText()).isEqualTo("Ada");
            // The resumed tab carries on in the same chat at the same desk.
            reloaded.send("{\"type\":\"message\",\"id\":\"u3\",\"text\":\"Still here\"}");
            reloaded.await("messageStatus");
            assertThat(desk.chats()).hasSize(1);
            assertThat(desk.latestChat().messages).extracting(m -> m.id()).containsExactly("u1", "u2", "u3");
        }
    }

    @Test
    @DisplayName("the transcript is bounded by webchat.transcriptSize, keeping the latest messages")
    void boundedTranscript() {
        web.close();
        web = WebChatFixture.start(desk, Map.of("webchat.transcriptSize", "3"), clock, null);
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            String token = tab.frames().get(0).path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            for (int i = 1; i <= 5; i++) {
                tab.send("{\"type\":\"message\",\"id\":\"u" + i + "\",\"text\":\"number " + i + "\"}");
                tab.await("messageStatus");
            }
            try (ChatClient other = ChatClient.connect(web.uri())) {
                other.send(hello(token));
                assertThat(other.await("welcome").path("chat").path("transcript")).extracting(e -> e.path("id").asText())
                        .containsExactly("u3", "u4", "u5");
            }
        }
    }

    @Test
    @DisplayName("an unknown resume token starts a new session instead of failing")
    void unknownToken() {
        try (ChatClient tab = ChatClient.connect(web.uri())) {
            tab.send(hello("not-a-token-of-this-server"));
            JsonNode welcome = tab.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isFalse();
            assertThat(welcome.path("resumeToken").asText()).isNotEqualTo("not-a-token-of-this-server");
        }
    }

    @Test
    @DisplayName("two tabs with one token see the same chat: every desk event and each other's messages")
    void twoTabs() {
        try (ChatClient first = ChatClient.greeted(web.uri())) {
            String token = first.frames().get(0).path("resumeToken").asText();
            try (ChatClient second = ChatClient.connect(web.uri())) {
                second.send(hello(token));
                assertThat(second.await("welcome").path("resumed").asBoolean()).isTrue();
                first.send("{\"type\":\"startChat\"}");
                first.await("chatStarted");
                second.await("chatStarted");
                ScriptedDesk chat = desk.latestChat();
                chat.vendor().agentJoined(new AgentProfile("ada", "Ada"));
                first.await("agentJoined");
                second.await("agentJoined");

                first.send("{\"type\":\"message\",\"id\":\"from-first\",\"text\":\"Typed in tab one\"}");
                JsonNode echo = second.await("userMessage");
                assertThat(echo.path("id").asText()).isEqualTo("from-first");
                assertThat(echo.path("text").asText()).isEqualTo("Typed in tab one");
                assertThat(first.await("messageStatus").path("id").asText()).isEqualTo("from-first");
                assertThat(second.await("messageStatus").path("id").asText()).isEqualTo("from-first");
                assertThat(first.all("userMessage")).isEmpty();

                chat.vendor().sendMessageToUser(AgentMessage.fromAgent("a1", "ada", "Hello both"));
                assertThat(first.await("agentMessage").path("text").asText()).isEqualTo("Hello both");
                assertThat(second.await("agentMessage").path("text").asText()).isEqualTo("Hello both");

                second.send("{\"type\":\"endChat\"}");
                assertThat(first.await("chatEnded").path("reason").asText()).isEqualTo("user");
                assertThat(second.await("chatEnded").path("reason").asText()).isEqualTo("user");
            }
        }
    }

    @Test
    @DisplayName("a session whose tabs are all closed ends its chat after webchat.sessionIdleTimeout, not before")
    void idleExpiry() {
        String token;
        ScriptedDesk chat;
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            token = tab.frames().get(0).path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            chat = desk.latestChat();
        }
        Await.until(() -> web.server.sessions().connectionCount() == 0, "the closed tab detached");
        clock.advance(Duration.ofMinutes(59));
        assertThat(web.server.sessions().expireIdleSessions()).isZero();
        assertThat(chat.ended).isFalse();

        clock.advance(Duration.ofMinutes(1));
        assertThat(web.server.sessions().expireIdleSessions()).isEqualTo(1);
        Await.until(() -> chat.ended.get(), "the expired chat ended at the desk");
        assertThat(web.server.sessions().size()).isZero();

        try (ChatClient late = ChatClient.connect(web.uri())) {
            late.send(hello(token));
            JsonNode welcome = late.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isFalse();
            assertThat(welcome.has("chat")).isFalse();
        }
    }

    @Test
    @DisplayName("beyond webchat.maxSessions a new session is refused with SERVER_BUSY on a socket that stays up; a resume is always let in; hello "
            + "succeeds once a session ended")
    void sessionLimit() {
        web.close();
        web = WebChatFixture.start(desk, Map.of("webchat.sessionIdleTimeout", "1h", "webchat.maxSessions", "1"), clock, null);
        String token;
        try (ChatClient holder = ChatClient.greeted(web.uri())) {
            token = holder.frames().get(0).path("resumeToken").asText();
            holder.send("{\"type\":\"startChat\"}");
            holder.await("chatStarted");
        }
        Await.until(() -> web.server.sessions().connectionCount() == 0, "the closed tab detached");
        try (ChatClient refused = ChatClient.connect(web.uri())) {
            refused.send("{\"type\":\"hello\"}");
            JsonNode busy = refused.awaitBadRequest("SERVER_BUSY");
            assertThat(busy.path("messageToUser").asText()).contains("busy");
            assertThat(web.server.sessions().size()).isEqualTo(1);

            try (ChatClient reload = ChatClient.connect(web.uri())) {
                reload.send(hello(token));
                assertThat(reload.await("welcome").path("resumed").asBoolean()).isTrue();
                reload.send("{\"type\":\"endChat\"}");
                reload.await("chatEnded");
            }
            Await.until(() -> web.server.sessions().connectionCount() == 0, "the reload detached");
            clock.advance(Duration.ofHours(1).plusSeconds(1));
            assertThat(web.server.sessions().expireIdleSessions()).isEqualTo(1);

            refused.send("{\"type\":\"hello\"}"); // the same socket, later: now there is room
            assertThat(refused.await("welcome").path("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    @DisplayName("a session with an open tab never expires")
    void openTabKeepsSession() {
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            clock.advance(Duration.ofDays(1));
            assertThat(web.server.sessions().expireIdleSessions()).isZero();
            assertThat(tab.roundTrip().path("status").asText()).isEqualTo("ONLINE");
            assertThat(desk.latestChat().ended).isFalse();
        }
    }

    @Test
    @DisplayName("with a real idle timeout, the server's own sweep ends the chat of a closed browser")
    void sweepRuns() {
        web.close();
        web = WebChatFixture.start(desk, Map.of("webchat.sessionIdleTimeout", "200ms"));
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
        }
        ScriptedDesk chat = desk.latestChat();
        Await.until(() -> chat.ended.get(), "the idle chat ended by the periodic sweep");
        assertThat(web.server.sessions().size()).isZero();
    }

    @Test
    @DisplayName("a graceful shutdown with the memory store ends every chat and tells each tab (chatEnded shutdown, close 1001)")
    void shutdown() {
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            ScriptedDesk chat = desk.latestChat();
            web.server.close();
            assertThat(tab.await("chatEnded").path("reason").asText()).isEqualTo("shutdown");
            assertThat(tab.awaitClose()).isEqualTo(1001);
            assertThat(chat.ended).isTrue();
        }
    }

    @Test
    @DisplayName("the memory store records each session (token hashed) and forgets it when it expires")
    void memoryStore() {
        MemorySessionStore store = new MemorySessionStore();
        web.close();
        web = WebChatFixture.start(desk, Map.of("webchat.sessionIdleTimeout", "1h"), clock, store);
        String token;
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            token = tab.frames().get(0).path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            tab.send("{\"type\":\"message\",\"id\":\"u1\",\"text\":\"Recorded\"}");
            tab.await("messageStatus");
        }
        Await.until(() -> store.size() == 1, "one stored session");
        Await.until(() -> web.server.sessions().connectionCount() == 0, "the closed tab detached");
        clock.advance(Duration.ofHours(2));
        web.server.sessions().expireIdleSessions();
        Await.until(() -> store.size() == 0, "the expired session forgotten");
        assertThat(token).isNotEmpty();
    }

    @Test
    @DisplayName("a resume token that cannot be looked up because the store fails gets SERVER_BUSY, not a new session; the same hello later resumes the chat")
    void storeFailureKeepsTheToken() {
        DurableTestStore store = new DurableTestStore();
        web.close();
        web = WebChatFixture.start(desk, Map.of(), clock, store);
        String token;
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            token = tab.frames().get(0).path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            desk.latestChat().vendor().updatePersistedState(new PersistedState(Map.of("conversation", "c-7")));
            Await.until(() -> store.records.values().stream().anyMatch(r -> r.chat().flatMap(SessionRecord.ChatRecord::deskState).isPresent()),
                    "the chat stored");
            web.close(); // the next process holds no session live: a resume goes to the store
        }
        web = WebChatFixture.start(new ScriptedDesk.Provider(), Map.of(), clock, store);
        store.failFinds = true;
        try (ChatClient reloaded = ChatClient.connect(web.uri())) {
            reloaded.send(hello(token));
            assertThat(reloaded.awaitBadRequest("SERVER_BUSY").path("messageToUser").asText()).contains("cannot be looked up");
            assertThat(web.server.sessions().size()).isZero();
            store.failFinds = false;
            reloaded.send(hello(token));
            JsonNode welcome = reloaded.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isTrue();
            assertThat(welcome.path("resumeToken").asText()).isEqualTo(token);
        }
    }

    @Test
    @DisplayName("with a durable store, a new process resumes the chat: the desk reconnects and the transcript is replayed")
    void restartWithDurableStore() {
        DurableTestStore store = new DurableTestStore();
        web.close();
        web = WebChatFixture.start(desk, Map.of(), clock, store);
        String token;
        try (ChatClient tab = ChatClient.greeted(web.uri())) {
            token = tab.frames().get(0).path("resumeToken").asText();
            tab.send("{\"type\":\"startChat\"}");
            tab.await("chatStarted");
            ScriptedDesk chat = desk.latestChat();
            chat.vendor().updatePersistedState(new PersistedState(Map.of("conversation", "c-42")));
            chat.vendor().agentJoined(new AgentProfile("ada", "Ada"));
            chat.vendor().sendMessageToUser(AgentMessage.fromAgent("a1", "ada", "Before the restart"));
            tab.await("agentMessage");
            Await.until(() -> store.records.values().stream().anyMatch(r -> r.chat().flatMap(SessionRecord.ChatRecord::deskState).isPresent()
                    && !r.chat().get().transcript().isEmpty()), "the desk state and transcript stored");
            web.close(); // a durable store keeps the chat open at the desk
            assertThat(chat.ended).isFalse();
        }
        ScriptedDesk.Provider nextProcessDesk = new ScriptedDesk.Provider();
        web = WebChatFixture.start(nextProcessDesk, Map.of(), clock, store);
        try (ChatClient reloaded = ChatClient.connect(web.uri())) {
            reloaded.send(hello(token));
            JsonNode welcome = reloaded.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isTrue();
            assertThat(welcome.path("chat").path("transcript")).extracting(e -> e.path("text").asText()).containsExactly("Before the restart");
            reloaded.await("chatStarted");
            ScriptedDesk resumed = nextProcessDesk.latestChat();
            assertThat(resumed.reconnected).isTrue();
            resumed.vendor().sendMessageToUser(AgentMessage.fromAgent("a2", "ada", "After the restart"));
            assertThat(reloaded.await("agentMessage").path("text").asText()).isEqualTo("After the restart");
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault "process restart with a persisted session store": a Genesys organization (the simulator) outlives two
 * web chat processes that share a session database ({@code webchat.store=jdbc}, an H2 file), and a chat goes on
 * across the restart with nothing lost or repeated.
 */
@DisplayName("A web chat restart with webchat.store=jdbc loses no chat")
class ProcessRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private GenesysSimulator genesys;
    private WebChatApplication web;

    @BeforeEach
    void startGenesys() {
        genesys = GenesysSimulator.builder().build().start();
    }

    @AfterEach
    void stop() {
        if (web != null) {
            web.close();
        }
        genesys.close();
    }

    /** A web chat process on the Genesys desk (against the simulator) and the session database in the temp dir. */
    private WebChatApplication startWebChat(SimulatedTransport transport) {
        Map<String, String> keys = new HashMap<>(genesys.deskbridgeConfiguration(transport));
        keys.put("webchat.port", "0");
        keys.put("webchat.store", "jdbc");
        keys.putAll(storeKeys());
        return WebChatApplication.start(Configuration.of(keys));
    }

    /** The session database both processes share: an H2 file in the test's directory here. */
    protected Map<String, String> storeKeys() {
        return Map.of("webchat.store.url", "jdbc:h2:file:" + directory.resolve("sessions").toAbsolutePath(),
                "webchat.store.user", "webchat", "webchat.store.password", "db-pa55word");
    }

    private static String hello(String token) {
        return "{\"type\":\"hello\",\"resumeToken\":\"" + token + "\"}";
    }

    /** What the test does as the agent, and sees as the contact center, on either transport. */
    /** @param greeting what the agent says on joining (a web messaging agent is seen only by its messages) */
    private record Agent(Runnable joins, Consumer<String> sends, Supplier<List<String>> userTexts, BooleanSupplier endedByUser,
            List<String> greeting) {}

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private Agent webMessagingAgent() {
        SimulatedWebMessagingSession session = genesys.webMessaging().awaitSession(WAIT);
        return new Agent(() -> session.agentJoins("Ada Agent", Optional.empty()), session::agentSends, session::userTexts,
                session::endedByUser, List.of("Hello, this is Ada Agent."));
    }

    private Agent guestChatAgent() {
        SimulatedConversation chat = genesys.awaitConversation(WAIT);
        assertThat(chat.awaitRouted(WAIT)).isTrue();
        return new Agent(() -> chat.agentJoins("ada", "Ada Agent"), chat::agentSends, chat::guestMessages, chat::endedByGuest, List.of());
    }

    @Test
    @DisplayName("web messaging: resumed with its transcript, the message sent during the restart arrives once, the chat goes on and ends at Genesys")
    void webMessaging() {
        restart(SimulatedTransport.WEB_MESSAGING, this::webMessagingAgent);
    }

    @Test
    @DisplayName("guest chat: the same restart, on the legacy transport")
    void guestChat() {
        restart(SimulatedTransport.GUEST_CHAT, this::guestChatAgent);
    }

    private void restart(SimulatedTransport transport, Supplier<Agent> agentAtGenesys) {
        web = startWebChat(transport);
        String token;
        Agent agent;
        try (ChatClient page = ChatClient.greeted(web.server().uri())) {
            token = page.frames().get(0).path("resumeToken").asText();
            page.send("{\"type\":\"startChat\"}");
            page.await("chatStarted");
            agent = agentAtGenesys.get();
            agent.joins().run();
            assertThat(page.await("agentJoined").path("agent").path("nickname").asText()).isEqualTo("Ada Agent");
            page.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"My invoice is wrong\"}");
            assertThat(page.await("messageStatus").path("status").asText()).isEqualTo("sent");
            agent.sends().accept("Let me look");
            assertThat(page.await("agentMessage").path("text").asText()).isEqualTo("Let me look");

            web.close(); // a graceful stop: the chat stays open at Genesys for the next process
            web = null;
            page.awaitClose();
        }
        assertThat(agent.endedByUser().getAsBoolean()).isFalse();
        agent.sends().accept("Found it: you were charged twice"); // while no web chat runs

        web = startWebChat(transport);
        try (ChatClient page = ChatClient.connect(web.server().uri())) {
            page.send(hello(token));
            JsonNode welcome = page.await("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isTrue();
            assertThat(welcome.path("resumeToken").asText()).isEqualTo(token);
            assertThat(welcome.path("chat").path("agent").path("nickname").asText()).isEqualTo("Ada Agent");
            assertThat(welcome.path("chat").path("transcript")).extracting(e -> e.path("text").asText())
                    .containsExactlyElementsOf(concat(agent.greeting(), List.of("My invoice is wrong", "Let me look")));
            page.await("chatStarted"); // the desk reconnected to the same conversation
            // the desk catches up on what it missed while reconnecting, so this may come before or after chatStarted
            Await.until(() -> page.all("agentMessage").stream().anyMatch(f -> f.path("text").asText().equals("Found it: you were charged twice")),
                    "the agent's message sent during the restart");
            page.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"Thank you\"}");
            assertThat(page.await("messageStatus", f -> f.path("id").asText().equals("m2")).path("status").asText()).isEqualTo("sent");
            Await.until(() -> agent.userTexts().get().contains("Thank you"), "Genesys to receive the message sent after the restart");
            agent.sends().accept("Refund on its way");
            page.await("agentMessage", f -> f.path("text").asText().equals("Refund on its way"));

            // exactly once: nothing replayed twice, nothing the user sent posted again
            assertThat(page.all("agentMessage")).extracting(f -> f.path("text").asText())
                    .containsExactly("Found it: you were charged twice", "Refund on its way");
            assertThat(agent.userTexts().get()).containsExactly("My invoice is wrong", "Thank you");

            page.send("{\"type\":\"endChat\"}");
            assertThat(page.await("chatEnded").path("reason").asText()).isEqualTo("user");
            Await.until(agent.endedByUser(), "Genesys to see the user end the chat");
        }
    }
}

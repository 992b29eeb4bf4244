package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.genesys.simulator.InProcessGenesys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The web chat started as {@code ./webchat.sh --genesys-simulator} starts it: the Genesys simulator in the same
 * process, the Genesys desk pointed at it, chats reaching it.
 */
@DisplayName("The web chat with the Genesys simulator in-process")
class GenesysSimulatorModeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Configuration commandLine(Map<String, String> systemProperties, String... args) {
        Properties props = new Properties();
        props.setProperty("webchat.port", "0");
        systemProperties.forEach(props::setProperty);
        return Main.configuration(args, Map.of(), props);
    }

    private static JsonNode health(URI server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String printed(WebChatApplication app) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        app.printWelcome(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("--genesys-simulator: /health says desk genesys, the agent console URL is printed, the waiting web messaging chat is counted in the "
            + "queue, and it reaches the simulator both ways")
    void webMessaging() throws Exception {
        try (WebChatApplication app = WebChatApplication.start(commandLine(
                Map.of("genesys.availabilityRefreshInterval", "200ms"), "--genesys-simulator"))) {
            assertThat(health(app.server().uri()).path("desk").asText()).isEqualTo("genesys");
            InProcessGenesys genesys = (InProcessGenesys) app.simulator().orElseThrow();
            assertThat(genesys.transport()).isEqualTo(SimulatedTransport.WEB_MESSAGING);
            assertThat(genesys.deskbridgeConfiguration()).containsEntry("genesys.transport", "web-messaging");
            URI console = genesys.agentConsoleUrl().orElseThrow();
            assertThat(console.getHost()).isEqualTo("127.0.0.1");
            assertThat(printed(app)).contains("on the genesys desk: " + app.server().uri(), "Agent console: " + console);
            WebMessagingSimulator simulator = genesys.simulator().webMessaging();

            try (ChatClient client = ChatClient.greeted(app.server().uri())) {
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                // the queue's waiting count is of web messaging conversations (media type message), this one among them
                assertThat(client.await("availability", frame -> frame.path("positionInQueue").asInt() == 1)
                        .path("message").asText()).isEqualTo("1 chat is waiting for an agent.");
                SimulatedWebMessagingSession session = simulator.awaitSession(WAIT);
                session.agentJoins("Ada Agent", Optional.empty());
                assertThat(client.await("agentJoined").path("agent").path("nickname").asText()).isEqualTo("Ada Agent");

                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello from the browser\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                assertThat(session.userTexts()).contains("Hello from the browser");

                session.agentSends("Hello from the agent");
                assertThat(client.await("agentMessage").path("text").asText()).isEqualTo("Hello from the agent");

                session.agentEnds();
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("agent");
            }
        }
    }

    @Test
    @DisplayName("-Dgenesys.transport=guest-chat: the same simulator's guest chat, agents online, the waiting guest chat counted in the queue, "
            + "messages both ways, the user ends")
    void guestChat() throws Exception {
        try (WebChatApplication app = WebChatApplication.start(commandLine(Map.of("genesys.transport", "guest-chat",
                "genesys.availabilityRefreshInterval", "200ms"), "--genesys-simulator"))) {
            assertThat(health(app.server().uri()).path("desk").asText()).isEqualTo("genesys");
            InProcessGenesys genesys = (InProcessGenesys) app.simulator().orElseThrow();
            assertThat(genesys.transport()).isEqualTo(SimulatedTransport.GUEST_CHAT);
            assertThat(printed(app)).contains("(guest-chat)", "Agent console: " + genesys.agentConsoleUrl().orElseThrow());
            GenesysSimulator simulator = genesys.simulator();

            try (ChatClient client = ChatClient.greeted(app.server().uri())) {
                assertThat(client.roundTrip().path("status").asText()).isEqualTo("ONLINE");
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                SimulatedConversation chat = simulator.awaitConversation(WAIT);
                assertThat(chat.awaitRouted(WAIT)).isTrue();
                // the queue's waiting count is of guest chats (media type chat), this one among them
                assertThat(client.await("availability", frame -> frame.path("positionInQueue").asInt() == 1)
                        .path("message").asText()).isEqualTo("1 chat is waiting for an agent.");
                chat.agentJoins("alex", "Alex Agent");
                assertThat(client.await("agentJoined").path("agent").path("nickname").asText()).isEqualTo("Alex Agent");

                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello from the browser\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                assertThat(chat.guestMessages()).contains("Hello from the browser");

                chat.agentSends("Hello from the agent");
                assertThat(client.await("agentMessage").path("text").asText()).isEqualTo("Hello from the agent");

                client.send("{\"type\":\"endChat\"}");
                client.await("chatEnded");
                Await.until(chat::endedByGuest, "the simulator to see the guest end the chat");
            }
        }
    }

    @Test
    @DisplayName("without --genesys-simulator or webchat.simulator no simulator starts, and the desk is the configured one")
    void neverUnlessAskedFor() throws Exception {
        try (WebChatApplication app = WebChatApplication.start(commandLine(Map.of()))) {
            assertThat(app.simulator()).isEmpty();
            assertThat(health(app.server().uri()).path("desk").asText()).isEqualTo("example");
            assertThat(printed(app)).doesNotContain("simulator");
        }
        assertThat(WebChatSettings.defaults().simulator()).isEmpty();
    }

    @Test
    @DisplayName("-Dwebchat.simulator=genesys is the same as --genesys-simulator; a simulator not on the class path is refused at start, naming those that are")
    void key() {
        assertThat(WebChatSettings.read(commandLine(Map.of("webchat.simulator", "genesys"))).simulator())
                .contains("genesys");
        assertThat(WebChatSettings.read(commandLine(Map.of(), "--genesys-simulator")).simulator())
                .contains("genesys");
        assertThat(WebChatSettings.read(commandLine(Map.of("webchat.simulator", "None"))).simulator()).isEmpty();
        assertThatThrownBy(() -> WebChatSettings.read(commandLine(Map.of("webchat.simulator", "avaya cloud!"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.simulator must be none or a simulator's name");
        assertThatThrownBy(() -> WebChatApplication.start(commandLine(Map.of("webchat.simulator", "avaya"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.simulator=avaya: No simulator named 'avaya' is on the class path; known: genesys")
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION));
    }

    @Test
    @DisplayName("a simulator for another desk, or an unknown transport, is a configuration error naming the key")
    void wrongCombinations() {
        assertThatThrownBy(() -> WebChatApplication.start(commandLine(Map.of("desk", "example"), "--genesys-simulator")))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.simulator=genesys runs the genesys desk, but desk=example is configured")
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION));
        assertThatThrownBy(() -> WebChatApplication.start(commandLine(Map.of("genesys.transport", "carrier-pigeon"), "--genesys-simulator")))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("genesys.transport must be web-messaging or guest-chat");
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.webchat.simulator.InProcessGenesys;
import io.deskbridge.webchat.simulator.TerminalAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
    @DisplayName("--genesys-simulator: /health says desk genesys, the agent console URL is printed, and a chat reaches the simulator both ways")
    void guestChat() throws Exception {
        try (WebChatApplication app = WebChatApplication.start(commandLine(Map.of(), "--genesys-simulator"))) {
            assertThat(health(app.server().uri()).path("desk").asText()).isEqualTo("genesys");
            InProcessGenesys genesys = app.simulator().orElseThrow();
            assertThat(genesys.transport()).isEqualTo("guest-chat");
            GenesysSimulator simulator = genesys.guestChat().orElseThrow();
            URI console = genesys.agentConsoleUrl().orElseThrow();
            assertThat(console.getHost()).isEqualTo("127.0.0.1");
            assertThat(printed(app)).contains("on the genesys desk: " + app.server().uri(), "Agent console: " + console);

            try (ChatClient client = ChatClient.greeted(app.server().uri())) {
                assertThat(client.roundTrip().path("status").asText()).isEqualTo("ONLINE");
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                SimulatedConversation chat = simulator.awaitConversation(WAIT);
                assertThat(chat.awaitRouted(WAIT)).isTrue();
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
    @DisplayName("-Dgenesys.transport=web-messaging: the web messaging simulator, the agent played from the terminal")
    void webMessaging() throws Exception {
        try (WebChatApplication app = WebChatApplication.start(commandLine(Map.of("genesys.transport", "web-messaging"), "--genesys-simulator"))) {
            assertThat(health(app.server().uri()).path("desk").asText()).isEqualTo("genesys");
            InProcessGenesys genesys = app.simulator().orElseThrow();
            assertThat(genesys.transport()).isEqualTo("web-messaging");
            assertThat(genesys.agentConsoleUrl()).isEmpty();
            assertThat(printed(app)).contains("play the agent here", TerminalAgent.COMMANDS);
            WebMessagingSimulator simulator = genesys.webMessaging().orElseThrow();
            ByteArrayOutputStream terminal = new ByteArrayOutputStream();
            TerminalAgent agent = new TerminalAgent(simulator, new PrintStream(terminal, true, StandardCharsets.UTF_8));
            assertThat(agent.handle("say too early")).isFalse();
            assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("No chat yet");

            try (ChatClient client = ChatClient.greeted(app.server().uri())) {
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                Await.until(() -> agent.handle("join Ada Agent"), "a web messaging session for the terminal agent");
                assertThat(client.await("agentJoined").path("agent").path("nickname").asText()).isEqualTo("Ada Agent");

                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello from the browser\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                SimulatedWebMessagingSession session = simulator.session(simulator.receivedFrames().stream()
                        .filter(f -> f.has("token")).findFirst().orElseThrow().path("token").asText()).orElseThrow();
                assertThat(session.userTexts()).contains("Hello from the browser");

                assertThat(agent.handle("say Hello from the agent")).isTrue();
                assertThat(client.await("agentMessage").path("text").asText()).isEqualTo("Hello from the agent");
                assertThat(agent.handle("wave")).isFalse();
                assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("Unknown command 'wave'");

                assertThat(agent.handle("end")).isTrue();
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("agent");
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
        assertThat(WebChatSettings.defaults().simulator()).isEqualTo(WebChatSettings.SimulatorKind.NONE);
    }

    @Test
    @DisplayName("-Dwebchat.simulator=genesys is the same as --genesys-simulator")
    void key() {
        assertThat(WebChatSettings.read(commandLine(Map.of("webchat.simulator", "genesys"))).simulator())
                .isEqualTo(WebChatSettings.SimulatorKind.GENESYS);
        assertThat(WebChatSettings.read(commandLine(Map.of(), "--genesys-simulator")).simulator())
                .isEqualTo(WebChatSettings.SimulatorKind.GENESYS);
        assertThatThrownBy(() -> WebChatSettings.read(commandLine(Map.of("webchat.simulator", "avaya"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.simulator");
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
                .hasMessageContaining("genesys.transport must be guest-chat or web-messaging");
    }
}

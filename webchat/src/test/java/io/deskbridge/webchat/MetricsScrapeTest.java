package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.InProcessGenesys;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}, {@code /ready} and {@code /health} of a running web chat, scraped during real chats: the
 * counters move as the chat did, on the example desk and on the Genesys desk against its simulator.
 */
@DisplayName("The web chat's /metrics and /ready")
class MetricsScrapeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebChatApplication start(Map<String, String> systemProperties, String... args) {
        Properties props = new Properties();
        props.setProperty("webchat.port", "0");
        systemProperties.forEach(props::setProperty);
        Configuration configuration = Main.configuration(args, Map.of(), props);
        return WebChatApplication.start(configuration);
    }

    private static HttpResponse<String> get(URI server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Prometheus text of {@code /metrics}. */
    private static Scrape scrape(URI server) throws Exception {
        HttpResponse<String> response = get(server, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return new Scrape(response.body());
    }

    /** One scrape: the sum of the samples of a metric whose labels include the given ones. */
    record Scrape(String text) {
        double value(String metric, String... labels) {
            double sum = 0;
            boolean found = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                    continue;
                }
                String series = line.substring(0, line.lastIndexOf(' '));
                if (Arrays.stream(labels).allMatch(series::contains)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            assertThat(found).as("a sample of %s with %s in:%n%s", metric, Arrays.toString(labels), text).isTrue();
            return sum;
        }

        boolean has(String metric) {
            return text.lines().anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "));
        }
    }

    @Test
    @DisplayName("example desk: chats by state, the start, messages each way and the agent's end are counted as the chat goes; sockets, sessions and "
            + "the JVM are there; never a chat id")
    void exampleDesk() throws Exception {
        try (WebChatApplication app = start(Map.of("example.joinDelay", "20ms", "example.readDelay", "0ms",
                "example.typingPause", "10ms", "example.queueUpdateInterval", "1s"))) {
            URI server = app.server().uri();
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            JsonNode ready = JSON.readTree(get(server, "/ready").body());
            assertThat(ready.path("status").asText()).isEqualTo("READY");
            assertThat(ready.path("checks").path("store").asText()).isEqualTo("UP");
            Scrape before = scrape(server);
            assertThat(before.value("deskbridge_chats_started_total", "desk=\"example\"", "transport=\"default\"")).isZero();
            assertThat(before.has("jvm_memory_used_bytes")).isTrue();
            assertThat(before.has("jvm_threads_live_threads")).isTrue();
            assertThat(before.has("jvm_gc_pause_seconds_count") || before.has("jvm_gc_memory_allocated_bytes_total")).isTrue();

            String chatId;
            try (ChatClient client = ChatClient.greeted(server)) {
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                client.await("agentJoined");
                client.await("agentMessage");
                Scrape joined = scrape(server);
                assertThat(joined.value("deskbridge_chats", "state=\"with_agent\"", "desk=\"example\"")).isEqualTo(1);
                assertThat(joined.value("deskbridge_chats", "state=\"waiting\"")).isZero();
                assertThat(joined.value("deskbridge_chats_started_total", "kind=\"new\"", "outcome=\"started\"")).isEqualTo(1);
                assertThat(joined.value("deskbridge_webchat_sockets")).isEqualTo(1);
                assertThat(joined.value("deskbridge_webchat_sessions")).isEqualTo(1);

                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello from the browser\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                int greeting = client.all("agentMessage").size();
                Await.until(() -> client.all("agentMessage").size() > greeting, "the agent's answer");
                client.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"end chat\"}");
                client.await("chatEnded");
                int agentMessages = client.all("agentMessage").size();
                chatId = client.all("chatStarted").get(0).path("chatId").asText();

                Scrape ended = scrape(server);
                assertThat(ended.value("deskbridge_messages_total", "direction=\"to_agent\"")).isEqualTo(2);
                assertThat(ended.value("deskbridge_messages_total", "direction=\"to_user\"")).isEqualTo(agentMessages);
                assertThat(ended.value("deskbridge_chats_ended_total", "cause=\"agent\"")).isEqualTo(1);
                assertThat(ended.value("deskbridge_chats_ended_total", "cause=\"user\"")).isZero();
                assertThat(ended.value("deskbridge_chats")).isZero();
                assertThat(ended.text()).doesNotContain(chatId).doesNotContain("Hello from the browser");
            }
        }
    }

    @Test
    @DisplayName("Genesys web messaging on the simulator: vendor requests by endpoint and status, a dropped socket's reconnect and catch-up, a "
            + "refused message, the agent's end")
    void genesysWebMessaging() throws Exception {
        try (WebChatApplication app = start(Map.of("genesys.availabilityRefreshInterval", "200ms",
                "genesys.webMessagingReconnectBackoff", "20ms", "genesys.webMessagingReconnectBackoffMax", "50ms"), "--genesys-simulator")) {
            URI server = app.server().uri();
            InProcessGenesys genesys = (InProcessGenesys) app.simulator().orElseThrow();
            try (ChatClient client = ChatClient.greeted(server)) {
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
                client.await("chatStarted");
                SimulatedWebMessagingSession session = genesys.simulator().webMessaging().awaitSession(WAIT);
                assertThat(scrape(server).value("deskbridge_chats", "desk=\"genesys\"", "transport=\"web-messaging\"", "state=\"waiting\""))
                        .isEqualTo(1);
                session.agentJoins("Ada Agent", Optional.empty());
                client.await("agentJoined");

                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello from the browser\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                session.agentSends("Hello from the agent");
                client.await("agentMessage");

                session.dropConnection();
                client.await("error", frame -> frame.path("isDisconnected").asBoolean(false));
                session.agentSends("Sent while the socket was down");
                session.restoreConnection();
                client.await("error", frame -> frame.path("errorType").asText().equals("DISCONNECTED") && !frame.path("isDisconnected").asBoolean(true));
                Await.until(() -> client.all("agentMessage").stream()
                        .anyMatch(frame -> frame.path("text").asText().equals("Sent while the socket was down")), "the message sent while the socket was down");

                session.failNextMessage(400, "refused for the test");
                client.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"This one is refused\"}");
                assertThat(client.await("messageStatus", frame -> frame.path("id").asText().equals("m2")).path("status").asText())
                        .isEqualTo("failed");

                session.agentEnds();
                client.await("chatEnded");

                Scrape scrape = scrape(server);
                String[] desk = {"desk=\"genesys\"", "transport=\"web-messaging\""};
                assertThat(scrape.value("deskbridge_chats_started_total", append(desk, "outcome=\"started\""))).isEqualTo(1);
                assertThat(scrape.value("deskbridge_messages_total", append(desk, "direction=\"to_agent\""))).isEqualTo(1);
                // the agent's greeting (web messaging's join), the agent's message and the one sent while the socket was down
                assertThat(scrape.value("deskbridge_messages_total", append(desk, "direction=\"to_user\""))).isEqualTo(3);
                assertThat(scrape.value("deskbridge_messages_failed_total", desk)).isEqualTo(1);
                assertThat(scrape.value("deskbridge_vendor_reconnects_total", append(desk, "outcome=\"succeeded\""))).isGreaterThanOrEqualTo(1);
                assertThat(scrape.value("deskbridge_vendor_catchups_total", desk)).isGreaterThanOrEqualTo(1);
                assertThat(scrape.value("deskbridge_vendor_requests_seconds_count",
                        append(desk, "endpoint=\"GET /api/v2/webmessaging/messages\"", "status=\"200\"", "outcome=\"success\"")))
                        .isGreaterThanOrEqualTo(1);
                assertThat(scrape.value("deskbridge_vendor_requests_seconds_count", append(desk, "outcome=\"success\"")))
                        .as("platform API requests (OAuth, queue observations) too").isGreaterThan(1);
                assertThat(scrape.value("deskbridge_chats_ended_total", append(desk, "cause=\"agent\""))).isEqualTo(1);
                assertThat(scrape.text()).doesNotContain(session.token());
            }
        }
    }

    @Test
    @DisplayName("webchat.metrics=false: /metrics is not served; /health and /ready still are")
    void metricsOff() throws Exception {
        try (WebChatApplication app = start(Map.of("webchat.metrics", "false"))) {
            URI server = app.server().uri();
            assertThat(get(server, "/metrics").statusCode()).isEqualTo(404);
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
        }
    }

    private static String[] append(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.webchat.session.JdbcSessionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} follows the session store: a database store that cannot be reached makes the server not ready (503,
 * naming the store) while {@code /health} stays up, and ready again when the database is back; the write-behind
 * queue and its failures show in {@code /metrics}.
 */
@DisplayName("Readiness and the session store")
class ReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(URI server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a database store that is down: /ready 503 with store DOWN, /health 200, store failures counted; back up: /ready 200")
    void followsTheStore() throws Exception {
        FlakyDataSource database = new FlakyDataSource("jdbc:h2:mem:ready-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty());
        JdbcSessionStore store = JdbcSessionStore.using(database, new JdbcSessionStore.Options(JdbcSessionStore.DEFAULT_TABLE,
                Duration.ofMinutes(2), Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(5)), Clock.systemUTC());
        try (store; WebChatFixture web = WebChatFixture.start(new ScriptedDesk.Provider(), Map.of(), null, store)) {
            URI server = web.uri();
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);

            database.down();
            try (ChatClient client = ChatClient.greeted(server)) {
                HttpResponse<String> notReady = get(server, "/ready");
                assertThat(notReady.statusCode()).isEqualTo(503);
                JsonNode body = JSON.readTree(notReady.body());
                assertThat(body.path("status").asText()).isEqualTo("NOT_READY");
                assertThat(body.path("checks").path("store").asText()).isEqualTo("DOWN");
                assertThat(get(server, "/health").statusCode()).isEqualTo(200);
                Await.until(() -> store.failedWrites() > 0, "a failed write of the new session");
                String metrics = get(server, "/metrics").body();
                assertThat(metrics).contains("deskbridge_webchat_store_pending", "deskbridge_webchat_store_failures_total");
                assertThat(metrics.lines().filter(l -> l.startsWith("deskbridge_webchat_store_failures_total"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).isPositive();

                database.up();
                Await.until(() -> {
                    try {
                        return get(server, "/ready").statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                }, "ready again");
            }
        }
    }
}

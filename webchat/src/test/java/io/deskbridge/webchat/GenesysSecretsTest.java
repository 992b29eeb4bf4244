package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A whole chat on the Genesys simulator with a distinctive OAuth client secret, the access token expiring mid-chat:
 * neither the secret nor any access token the simulator issued appears in any log line (DEBUG and above, every
 * logger), any page or asset the server serves, any socket frame, {@code /health}, or any row of the session store.
 */
@DisplayName("Secrets of a Genesys chat")
class GenesysSecretsTest {
    private static final String CLIENT_ID = "deskbridge-secrets-test";

    @ParameterizedTest(name = "{0}")
    @EnumSource(SimulatedTransport.class)
    @DisplayName("never appear in logs, pages, frames, /health or the session store")
    void nowhere(SimulatedTransport transport) throws Exception {
        String secret = "Zx9-SECRET-" + UUID.randomUUID();
        String database = "jdbc:h2:mem:secrets-" + transport.configName() + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        List<String> haystack = new ArrayList<>();
        List<String> tokens;
        try (LogCapture logs = new LogCapture()) {
            try (GenesysWebChat genesys = GenesysWebChat.start(GenesysSimulator.builder().oauthClient(CLIENT_ID, secret), transport,
                    Map.of("webchat.store", "jdbc", "webchat.store.url", database, "genesys.availabilityRefreshInterval", "200ms"));
                    ChatClient page = ChatClient.greeted(genesys.uri())) {
                assertThat(genesys.configuration.get("genesys.clientSecret")).contains(secret);
                for (String path : List.of("/", "/index.html", "/chat.js", "/chat.css", "/health", "/no-such-page")) {
                    haystack.add(get(genesys.uri().resolve(path)));
                }
                page.roundTrip();
                page.send("{\"type\":\"startChat\",\"topic\":\"billing\",\"messageToAgent\":\"Please help\"}");
                page.await("chatStarted");
                GenesysWebChat.Agent agent = genesys.awaitChat();
                agent.joins();
                page.await("agentJoined");
                page.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"My invoice is wrong\"}");
                page.await("messageStatus", s -> s.path("id").asText().equals("m1"));
                agent.sends("Let me look");
                page.await("agentMessage");

                // The token expires mid-chat: the desk gets a new one with the same secret.
                int issued = genesys.simulator.issuedAccessTokens().size();
                genesys.simulator.expireAccessTokens();
                // Agents online is a platform call (answered 401 credentials.expired, then made with a new token) once the
                // queue's figures, shared by every chat for genesys.availabilityRefreshInterval, are due again.
                Await.until(() -> page.roundTrip() != null && genesys.simulator.issuedAccessTokens().size() > issued,
                        "a new access token after the old one expired");
                page.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"Thanks\"}");
                page.await("messageStatus", s -> s.path("id").asText().equals("m2"));
                agent.sends("Fixed it");
                page.await("agentMessage", f -> f.path("text").asText().equals("Fixed it"));
                haystack.add(get(genesys.uri().resolve("/health")));
                haystack.addAll(storeRows(database));

                agent.ends();
                page.await("chatEnded");
                haystack.addAll(storeRows(database));
                page.frames().forEach(f -> haystack.add(f.toString()));
                tokens = genesys.simulator.issuedAccessTokens();
            }
            haystack.addAll(logs.lines());
        }
        assertThat(tokens).as("access tokens issued (one expired mid-chat)").hasSizeGreaterThanOrEqualTo(2);
        List<String> needles = new ArrayList<>(tokens);
        needles.add(secret);
        needles.add(Base64.getEncoder().encodeToString((CLIENT_ID + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        for (String needle : needles) {
            assertThat(haystack.stream().filter(text -> text.contains(needle)).toList())
                    .as("where a secret (%s...) appears", needle.substring(0, 6)).isEmpty();
        }
        assertThat(haystack.size()).as("lines, pages, frames and rows scanned").isGreaterThan(50);
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.headers().map() + "\n" + response.body();
    }

    /** Every column of every row of every table, as text. */
    private static List<String> storeRows(String url) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                ResultSet tables = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                if (!"INFORMATION_SCHEMA".equalsIgnoreCase(tables.getString("TABLE_SCHEM"))) {
                    names.add(tables.getString("TABLE_SCHEM") + "." + tables.getString("TABLE_NAME"));
                }
            }
            assertThat(names).as("the session store's tables").isNotEmpty();
            for (String table : names) {
                try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder(table);
                        for (int c = 1; c <= columns; c++) {
                            Object value = result.getObject(c);
                            row.append(" | ").append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}

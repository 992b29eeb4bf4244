package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's OAuth and platform API")
class PlatformApiTest {
    private static final String OBSERVATIONS = "/api/v2/analytics/queues/observations/query";

    private MutableClock clock;
    private GenesysSimulator simulator;
    private GuestClient client;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
        simulator = GenesysSimulator.builder().clock(clock).heartbeatInterval(Duration.ZERO)
                .accessTokenLifetime(Duration.ofMinutes(5)).queue("Web Chat Queue").queue("Billing")
                .build().start();
        client = new GuestClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Nested
    @DisplayName("OAuth client credentials")
    class OAuth {
        @Test
        @DisplayName("issues a bearer token with expires_in for Basic credentials and grant_type=client_credentials")
        void issuesToken() {
            HttpResponse<String> response = client.oauth(GenesysSimulator.DEFAULT_CLIENT_ID,
                    GenesysSimulator.DEFAULT_CLIENT_SECRET, "grant_type=client_credentials");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode token = parse(response);
            assertThat(token.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("access_token", "token_type", "expires_in");
            assertThat(token.path("token_type").asText()).isEqualTo("bearer");
            assertThat(token.path("expires_in").asLong()).isEqualTo(300);
            RecordedRequest request = simulator.requests().get(0);
            assertThat(request.server()).isEqualTo(RecordedRequest.Server.LOGIN);
            assertThat(request.header("Authorization")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic "));
        }

        @Test
        @DisplayName("answers invalid_client for a wrong secret or an unknown client, in the OAuth error shape")
        void invalidClient() {
            HttpResponse<String> wrongSecret = client.oauth(GenesysSimulator.DEFAULT_CLIENT_ID, "wrong",
                    "grant_type=client_credentials");
            HttpResponse<String> unknown = client.oauth("nobody", "x", "grant_type=client_credentials");

            assertThat(wrongSecret.statusCode()).isEqualTo(401);
            assertThat(parse(wrongSecret).toString()).isEqualTo("{\"error\":\"invalid_client\","
                    + "\"description\":\"authentication failed\",\"error_description\":\"authentication failed\"}");
            assertThat(unknown.statusCode()).isEqualTo(401);
            assertThat(parse(unknown).path("error_description").asText()).isEqualTo("client not found");
        }

        @Test
        @DisplayName("refuses a missing or other grant type and a body that is not a form")
        void badGrant() {
            assertThat(parse(client.oauth(GenesysSimulator.DEFAULT_CLIENT_ID, GenesysSimulator.DEFAULT_CLIENT_SECRET,
                    "")).path("error").asText()).isEqualTo("invalid_request");
            assertThat(parse(client.oauth(GenesysSimulator.DEFAULT_CLIENT_ID, GenesysSimulator.DEFAULT_CLIENT_SECRET,
                    "grant_type=password")).path("error").asText()).isEqualTo("unsupported_grant_type");
            HttpResponse<String> json = client.send("POST", simulator.loginBaseUrl() + "/oauth/token",
                    "{\"grant_type\":\"client_credentials\"}", "application/json", "Authorization",
                    "Basic " + java.util.Base64.getEncoder().encodeToString((GenesysSimulator.DEFAULT_CLIENT_ID + ":"
                            + GenesysSimulator.DEFAULT_CLIENT_SECRET).getBytes()));
            assertThat(json.statusCode()).isEqualTo(400);
        }

        @Test
        @DisplayName("tokens expire after expires_in on the simulator's clock, and on demand")
        void expiry() {
            String token = client.accessToken();
            assertThat(queues(token, "Billing").statusCode()).isEqualTo(200);

            clock.advance(Duration.ofMinutes(5));

            HttpResponse<String> expired = queues(token, "Billing");
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(parse(expired).path("code").asText()).isEqualTo("credentials.expired");
            String fresh = client.accessToken();
            assertThat(queues(fresh, "Billing").statusCode()).isEqualTo(200);
            simulator.expireAccessTokens();
            assertThat(parse(queues(fresh, "Billing")).path("code").asText()).isEqualTo("credentials.expired");
        }

        @Test
        @DisplayName("platform calls without a token or with an unknown one answer 401")
        void platformAuth() {
            HttpResponse<String> none = client.send("GET", simulator.apiBaseUrl() + "/api/v2/routing/queues", null,
                    null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(parse(none).path("code").asText()).isEqualTo("authentication.required");
            assertThat(parse(queues("made-up", "Billing")).path("code").asText()).isEqualTo("bad.credentials");
        }

        @Test
        @DisplayName("a 429 fault on the login server carries Retry-After")
        void rateLimited() {
            simulator.injectFault(RequestFault.tooManyRequests(3).forRequests("POST", "/oauth/token"));

            HttpResponse<String> limited = client.oauth(GenesysSimulator.DEFAULT_CLIENT_ID,
                    GenesysSimulator.DEFAULT_CLIENT_SECRET, "grant_type=client_credentials");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        }
    }

    private HttpResponse<String> queues(String token, String name) {
        return client.platform("GET", "/api/v2/routing/queues?name=" + name.replace(" ", "%20"), token, null);
    }

    @Nested
    @DisplayName("queues, observations and estimated wait")
    class Availability {
        private String token;

        @BeforeEach
        void token() {
            token = client.accessToken();
        }

        @Test
        @DisplayName("finds a queue by name, ignoring case, with leading or trailing asterisks")
        void queueLookup() {
            JsonNode exact = parse(queues(token, "web chat queue"));
            assertThat(exact.path("entities")).hasSize(1);
            assertThat(exact.path("entities").get(0).path("id").asText())
                    .isEqualTo(simulator.queueByName("Web Chat Queue").orElseThrow().id());
            assertThat(exact.path("entities").get(0).path("name").asText()).isEqualTo("Web Chat Queue");
            assertThat(exact.path("total").asInt()).isEqualTo(1);
            assertThat(exact.path("pageSize").asInt()).isEqualTo(25);
            assertThat(exact.path("pageNumber").asInt()).isEqualTo(1);
            assertThat(exact.path("pageCount").asInt()).isEqualTo(1);
            assertThat(parse(queues(token, "*queue")).path("total").asInt()).isEqualTo(1);
            assertThat(parse(queues(token, "bill*")).path("total").asInt()).isEqualTo(1);
            assertThat(parse(queues(token, "Nothing")).path("entities")).isEmpty();
            assertThat(parse(client.platform("GET", "/api/v2/routing/queues", token, null)).path("total").asInt())
                    .isEqualTo(2);
        }

        private String query(String queueId, String... metrics) {
            StringBuilder list = new StringBuilder();
            for (String metric : metrics) {
                list.append(list.length() == 0 ? "" : ",").append('"').append(metric).append('"');
            }
            return "{\"filter\":{\"type\":\"or\",\"clauses\":[{\"type\":\"or\",\"predicates\":[{\"type\":\"dimension\","
                    + "\"dimension\":\"queueId\",\"operator\":\"matches\",\"value\":\"" + queueId + "\"}]}]},"
                    + "\"metrics\":[" + list + "]}";
        }

        @Test
        @DisplayName("answers observations in the §E.2 shape: oOnQueueUsers per routing status, oWaiting per media type")
        void observations() {
            SimulatedQueue queue = simulator.defaultQueue();
            queue.setAgents(RoutingStatus.IDLE, 2);
            queue.setAgents(RoutingStatus.INTERACTING, 3);
            queue.setAgents(RoutingStatus.OFF_QUEUE, 4);
            GuestClient.Created chat = client.createChat();
            client.openStream(chat);
            assertThat(simulator.awaitConversation(Duration.ofSeconds(1)).awaitRouted(Duration.ofSeconds(5))).isTrue();

            HttpResponse<String> response = client.platform("POST", OBSERVATIONS, token,
                    query(queue.id(), "oOnQueueUsers", "oWaiting"));

            assertThat(response.statusCode()).isEqualTo(200);
            String id = queue.id();
            assertThat(parse(response).toString()).isEqualTo("{\"results\":["
                    + "{\"group\":{\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"IDLE\",\"stats\":{\"count\":2}},"
                    + "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"INTERACTING\",\"stats\":{\"count\":3}}]},"
                    + "{\"group\":{\"mediaType\":\"voice\",\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oWaiting\",\"stats\":{\"count\":0}}]},"
                    + "{\"group\":{\"mediaType\":\"chat\",\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oWaiting\",\"stats\":{\"count\":1}}]},"
                    + "{\"group\":{\"mediaType\":\"email\",\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oWaiting\",\"stats\":{\"count\":0}}]},"
                    + "{\"group\":{\"mediaType\":\"callback\",\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oWaiting\",\"stats\":{\"count\":0}}]},"
                    + "{\"group\":{\"mediaType\":\"message\",\"queueId\":\"" + id + "\"},\"data\":["
                    + "{\"metric\":\"oWaiting\",\"stats\":{\"count\":0}}]}]}");
        }

        @Test
        @DisplayName("reports no on-queue entry when agents are offline, and a set waiting count")
        void offline() {
            SimulatedQueue queue = simulator.defaultQueue();
            queue.setAgentsOnline(false);
            queue.setWaiting(6);

            JsonNode results = parse(client.platform("POST", OBSERVATIONS, token,
                    query(queue.id(), "oOnQueueUsers", "oWaiting", "oOffQueueUsers"))).path("results");

            assertThat(results.get(0).path("data").toString())
                    .isEqualTo("[{\"metric\":\"oOffQueueUsers\",\"stats\":{\"count\":0}}]");
            assertThat(results.get(2).path("group").path("mediaType").asText()).isEqualTo("chat");
            assertThat(results.get(2).path("data").get(0).path("stats").path("count").asInt()).isEqualTo(6);
        }

        @Test
        @DisplayName("refuses a query without filter or metrics, or with an unknown metric")
        void badQueries() {
            String id = simulator.defaultQueue().id();
            assertThat(client.platform("POST", OBSERVATIONS, token, "{\"metrics\":[\"oWaiting\"]}").statusCode())
                    .isEqualTo(400);
            assertThat(client.platform("POST", OBSERVATIONS, token, query(id)).statusCode()).isEqualTo(400);
            HttpResponse<String> unknown = client.platform("POST", OBSERVATIONS, token, query(id, "oEverything"));
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(parse(unknown).path("message").asText()).contains("oEverything");
        }

        @Test
        @DisplayName("answers the estimated wait in the §E.3 shape, empty results when unknown, per conversation when set")
        void estimatedWait() {
            SimulatedQueue queue = simulator.defaultQueue();
            String path = "/api/v2/routing/queues/" + queue.id() + "/estimatedwaittime";

            assertThat(parse(client.platform("GET", path, token, null)).toString()).isEqualTo("{\"results\":[]}");
            queue.setEstimatedWait(Optional.of(Duration.ofSeconds(95)));
            assertThat(parse(client.platform("GET", path, token, null)).toString()).isEqualTo(
                    "{\"results\":[{\"intent\":\"CHAT\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":95}]}");
            GuestClient.Created chat = client.createChat();
            simulator.awaitConversation(Duration.ofSeconds(1)).setEstimatedWait(Optional.of(Duration.ofSeconds(30)));
            assertThat(parse(client.platform("GET", path + "?conversationId=" + chat.id(), token, null))
                    .path("results").get(0).path("estimatedWaitTimeSeconds").asInt()).isEqualTo(30);
            assertThat(parse(client.platform("GET", "/api/v2/routing/queues/" + queue.id()
                    + "/mediatypes/all/estimatedwaittime", token, null)).path("results").get(0).path("intent").asText())
                    .isEqualTo("ALL");
            assertThat(client.platform("GET", "/api/v2/routing/queues/unknown/estimatedwaittime", token, null)
                    .statusCode()).isEqualTo(404);
        }
    }

    @Nested
    @DisplayName("signed data")
    class SignedData {
        @Test
        @DisplayName("needs an access token and answers {jwt} carrying the posted user data")
        void signs() {
            assertThat(client.send("POST", simulator.apiBaseUrl() + "/api/v2/signeddata", "{}", "application/json")
                    .statusCode()).isEqualTo(401);

            HttpResponse<String> response = client.platform("POST", "/api/v2/signeddata", client.accessToken(),
                    "{\"authorized\":true,\"firstName\":\"John\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = parse(response);
            assertThat(body.fieldNames()).toIterable().containsExactly("jwt");
            JsonNode claims = GuestClient.jwtClaims(body.path("jwt").asText());
            assertThat(claims.path("data").path("firstName").asText()).isEqualTo("John");
            assertThat(claims.path("org").asText()).isEqualTo(simulator.organizationId());
        }

        @Test
        @DisplayName("a signed-data token past its lifetime is refused by an authenticated deployment")
        void expires() {
            simulator.putDeployment(simulator.defaultDeployment().requiringAuthentication());
            String jwt = parse(client.platform("POST", "/api/v2/signeddata", client.accessToken(), null))
                    .path("jwt").asText();

            clock.advance(Duration.ofHours(1));

            assertThat(parse(client.create(client.createRequest().put("memberAuthToken", jwt))).path("code").asText())
                    .isEqualTo("chat.deployment.bad.auth");
        }
    }
}

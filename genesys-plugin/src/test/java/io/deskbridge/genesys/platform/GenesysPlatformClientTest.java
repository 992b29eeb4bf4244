package io.deskbridge.genesys.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.deskbridge.core.Secret;
import io.deskbridge.genesys.platform.LocalHttpServer.Answer;
import io.deskbridge.genesys.platform.wire.QueueObservationQueryResponse;
import io.deskbridge.spi.ServiceDeskException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Genesys platform client")
class GenesysPlatformClientTest {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final String TOKEN_OK = "{\"access_token\":\"token-1\",\"token_type\":\"bearer\",\"expires_in\":600}";

    private LocalHttpServer server;
    private ScheduledExecutorService scheduler;
    private HttpClient http;
    private MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        http = HttpClient.newHttpClient();
        clock = new MutableClock();
    }

    @AfterEach
    void stop() {
        server.close();
        scheduler.shutdownNow();
    }

    private GenesysRestClient rest(RetryPolicy retry) {
        return new GenesysRestClient(http, JSON, scheduler, retry, Duration.ofSeconds(5));
    }

    private GenesysPlatformClient client(RetryPolicy retry) {
        GenesysRestClient rest = rest(retry);
        return new GenesysPlatformClient(rest, server.baseUrl(),
                Optional.of(new ClientCredentialsTokens(rest, clock, server.baseUrl(), "client-id", new Secret("client-secret"))));
    }

    private static RetryPolicy fastRetry() {
        return new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(2));
    }

    private static <T> T await(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Nested
    @DisplayName("OAuth client credentials")
    class OAuth {

        @Test
        @DisplayName("The token request is a Basic-authenticated form post of grant_type=client_credentials to /oauth/token")
        void tokenRequest() {
            server.on("/oauth/token", r -> Answer.json(200, TOKEN_OK));
            String token = await(new ClientCredentialsTokens(rest(RetryPolicy.none()), clock, server.baseUrl(), "client-id",
                    new Secret("client-secret")).accessToken());
            assertThat(token).isEqualTo("token-1");
            LocalHttpServer.Request request = server.requests("/oauth/token").get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("client-id:client-secret".getBytes(StandardCharsets.UTF_8)));
            assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(request.body()).isEqualTo("grant_type=client_credentials");
        }

        @Test
        @DisplayName("The token is cached, and replaced shortly before it expires")
        void cachedAndRefreshedBeforeExpiry() {
            server.once("/oauth/token", Answer.json(200, TOKEN_OK));
            server.on("/oauth/token", r -> Answer.json(200, "{\"access_token\":\"token-2\",\"token_type\":\"bearer\",\"expires_in\":600}"));
            ClientCredentialsTokens tokens = new ClientCredentialsTokens(rest(RetryPolicy.none()), clock, server.baseUrl(), "id", new Secret("s"));
            assertThat(await(tokens.accessToken())).isEqualTo("token-1");
            clock.advance(Duration.ofSeconds(500));
            assertThat(await(tokens.accessToken())).isEqualTo("token-1");
            assertThat(server.requests("/oauth/token")).hasSize(1);
            clock.advance(Duration.ofSeconds(41)); // 541 s of 600: inside the last tenth (60 s)
            assertThat(await(tokens.accessToken())).isEqualTo("token-2");
            assertThat(server.requests("/oauth/token")).hasSize(2);
        }

        @Test
        @DisplayName("A 401 on a platform call gets a new token and repeats the call once")
        void refreshedOn401() {
            server.once("/oauth/token", Answer.json(200, TOKEN_OK));
            server.on("/oauth/token", r -> Answer.json(200, "{\"access_token\":\"token-2\",\"token_type\":\"bearer\",\"expires_in\":600}"));
            server.on("/api/v2/routing/queues", r -> "Bearer token-2".equals(r.header("Authorization"))
                    ? Answer.json(200, "{\"entities\":[{\"id\":\"q-1\",\"name\":\"Web Chat Queue\"}]}")
                    : Answer.json(401, "{\"status\":401,\"code\":\"credentials.expired\",\"message\":\"expired\"}"));
            assertThat(await(client(RetryPolicy.none()).queueId("Web Chat Queue"))).isEqualTo("q-1");
            assertThat(server.requests("/oauth/token")).hasSize(2);
            assertThat(server.requests("/api/v2/routing/queues")).extracting(r -> r.header("Authorization"))
                    .containsExactly("Bearer token-1", "Bearer token-2");
        }

        @Test
        @DisplayName("Wrong client credentials fail with a CONFIGURATION error naming the keys")
        void badCredentials() {
            server.on("/oauth/token", r -> Answer.json(401,
                    "{\"error\":\"invalid_client\",\"description\":\"authentication failed\",\"error_description\":\"authentication failed\"}"));
            Throwable failure = failure(client(RetryPolicy.none()).queueId("Web Chat Queue"));
            assertThat(failure).isInstanceOf(ServiceDeskException.class)
                    .hasMessageContaining("genesys.clientId, genesys.clientSecret")
                    .hasMessageContaining("invalid_client")
                    .hasMessageContaining("authentication failed")
                    .hasMessageNotContaining("client-secret");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
        }

        @Test
        @DisplayName("Without client credentials every platform call fails with a CONFIGURATION error")
        void notConfigured() {
            GenesysPlatformClient client = new GenesysPlatformClient(rest(RetryPolicy.none()), server.baseUrl(), Optional.empty());
            assertThat(client.isConfigured()).isFalse();
            assertThat(failure(client.observeQueue("q", QueueMediaType.CHAT))).hasMessageContaining("set genesys.clientId and genesys.clientSecret");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Nested
    @DisplayName("Queues and availability")
    class Queues {

        @BeforeEach
        void token() {
            server.on("/oauth/token", r -> Answer.json(200, TOKEN_OK));
        }

        @Test
        @DisplayName("The queue is found by name with ?name=, matched exactly without case, and cached")
        void queueByName() {
            server.on("/api/v2/routing/queues", r -> Answer.json(200,
                    "{\"entities\":[{\"id\":\"q-0\",\"name\":\"Web Chat Queue 2\"},{\"id\":\"q-1\",\"name\":\"web chat queue\"}],\"total\":2}"));
            GenesysPlatformClient client = client(RetryPolicy.none());
            assertThat(await(client.queueId("Web Chat Queue"))).isEqualTo("q-1");
            assertThat(await(client.queueId("Web Chat Queue"))).isEqualTo("q-1");
            List<LocalHttpServer.Request> lookups = server.requests("/api/v2/routing/queues");
            assertThat(lookups).hasSize(1);
            assertThat(lookups.get(0).query()).contains("name=Web%20Chat%20Queue");
            assertThat(lookups.get(0).header("Authorization")).isEqualTo("Bearer token-1");
        }

        @Test
        @DisplayName("An unknown queue name fails with a CONFIGURATION error naming genesys.queueName")
        void unknownQueue() {
            server.on("/api/v2/routing/queues", r -> Answer.json(200, "{\"entities\":[]}"));
            Throwable failure = failure(client(RetryPolicy.none()).queueId("Nope"));
            assertThat(failure).hasMessageContaining("no routing queue named 'Nope' (genesys.queueName)");
        }

        @Test
        @DisplayName("The observation query filters on the queue id and sums every oOnQueueUsers entry, IDLE and INTERACTING as the agents "
                + "taking chats, IDLE separately, and oWaiting of the transport's media type")
        void observation() throws Exception {
            server.on("/api/v2/analytics/queues/observations/query", r -> Answer.json(200, """
                    { "results": [
                      { "group": { "queueId": "q-1" }, "data": [
                          { "metric": "oOnQueueUsers", "qualifier": "IDLE",        "stats": { "count": 2 } },
                          { "metric": "oOnQueueUsers", "qualifier": "INTERACTING", "stats": { "count": 3 } },
                          { "metric": "oOnQueueUsers", "qualifier": "NOT_RESPONDING", "stats": { "count": 1 } },
                          { "metric": "oActiveUsers", "stats": { "count": 9 } } ] },
                      { "group": { "queueId": "q-1", "mediaType": "voice" }, "data": [ { "metric": "oWaiting", "stats": { "count": 7 } } ] },
                      { "group": { "queueId": "q-1", "mediaType": "chat" }, "data": [ { "metric": "oWaiting", "stats": { "count": 4 } } ] },
                      { "group": { "queueId": "q-1", "mediaType": "message" }, "data": [ { "metric": "oWaiting", "stats": { "count": 6 } } ] } ] }"""));
            QueueObservation observation = await(client(RetryPolicy.none()).observeQueue("q-1", QueueMediaType.CHAT));
            assertThat(observation).isEqualTo(new QueueObservation("q-1", 6, 5, 2, 4));
            assertThat(await(client(RetryPolicy.none()).observeQueue("q-1", QueueMediaType.MESSAGE)))
                    .isEqualTo(new QueueObservation("q-1", 6, 5, 2, 6));
            LocalHttpServer.Request request = server.requests("/api/v2/analytics").get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("""
                    { "filter": { "type": "or", "clauses": [ { "type": "or", "predicates": [
                          { "type": "dimension", "dimension": "queueId", "operator": "matches", "value": "q-1" } ] } ] },
                      "metrics": ["oOnQueueUsers", "oWaiting"] }"""));
        }

        @Test
        @DisplayName("Missing metrics count as zero; oWaiting without media types is summed")
        void missingMetrics() {
            assertThat(GenesysPlatformClient.summarise("q", QueueMediaType.CHAT, new QueueObservationQueryResponse(List.of())))
                    .isEqualTo(new QueueObservation("q", 0, 0, 0, 0));
            QueueObservationQueryResponse unsplit = new QueueObservationQueryResponse(List.of(new QueueObservationQueryResponse.Result(
                    Map.of("queueId", "q"), List.of(
                            new QueueObservationQueryResponse.MetricData("oWaiting", Optional.empty(), new QueueObservationQueryResponse.Stats(3L)),
                            new QueueObservationQueryResponse.MetricData("oOnQueueUsers", Optional.empty(), new QueueObservationQueryResponse.Stats(null))))));
            assertThat(GenesysPlatformClient.summarise("q", QueueMediaType.MESSAGE, unsplit)).isEqualTo(new QueueObservation("q", 0, 0, 0, 3));
        }

        @Test
        @DisplayName("Agents who missed an alert (NOT_RESPONDING) or are on a non-ACD interaction (COMMUNICATING) take no chat: none available")
        void onlyIdleOrInteractingTakeChats() {
            QueueObservationQueryResponse notResponding = new QueueObservationQueryResponse(List.of(new QueueObservationQueryResponse.Result(
                    Map.of("queueId", "q"), List.of(
                            new QueueObservationQueryResponse.MetricData("oOnQueueUsers", Optional.of("NOT_RESPONDING"),
                                    new QueueObservationQueryResponse.Stats(2L)),
                            new QueueObservationQueryResponse.MetricData("oOnQueueUsers", Optional.of("COMMUNICATING"),
                                    new QueueObservationQueryResponse.Stats(1L))))));
            QueueObservation observed = GenesysPlatformClient.summarise("q", QueueMediaType.CHAT, notResponding);
            assertThat(observed).isEqualTo(new QueueObservation("q", 3, 0, 0, 0));
            assertThat(observed.anyAgentAvailable()).isFalse();
            assertThat(QueueAvailabilityClient.availability(observed, Optional.empty()).message())
                    .contains("No agent is available right now; your chat stays in the queue.");
            QueueObservationQueryResponse unqualified = new QueueObservationQueryResponse(List.of(new QueueObservationQueryResponse.Result(
                    Map.of("queueId", "q"), List.of(new QueueObservationQueryResponse.MetricData("oOnQueueUsers", Optional.empty(),
                            new QueueObservationQueryResponse.Stats(4L))))));
            assertThat(GenesysPlatformClient.summarise("q", QueueMediaType.CHAT, unqualified).availableAgents())
                    .as("without routing statuses, the on-queue count is all there is").isEqualTo(4);
        }

        @Test
        @DisplayName("The estimated wait is the queue's for the transport's media type (mediatypes/chat, mediatypes/message), preferring "
                + "that media type's prediction; no prediction is an empty estimate")
        void estimatedWait() {
            server.once("/api/v2/routing/queues/q-1/mediatypes/chat/estimatedwaittime", Answer.json(200,
                    "{\"results\":[{\"intent\":\"CALL\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":300},"
                            + "{\"intent\":\"CHAT\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":95}]}"));
            server.once("/api/v2/routing/queues/q-1/mediatypes/chat/estimatedwaittime", Answer.json(200, "{\"results\":[]}"));
            server.once("/api/v2/routing/queues/q-1/mediatypes/message/estimatedwaittime", Answer.json(200,
                    "{\"results\":[{\"intent\":\"CHAT\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":95},"
                            + "{\"intent\":\"MESSAGE\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":40}]}"));
            GenesysPlatformClient client = client(RetryPolicy.none());
            assertThat(await(client.estimatedWait("q-1", QueueMediaType.CHAT))).contains(Duration.ofSeconds(95));
            assertThat(await(client.estimatedWait("q-1", QueueMediaType.CHAT))).isEmpty();
            assertThat(await(client.estimatedWait("q-1", QueueMediaType.MESSAGE))).contains(Duration.ofSeconds(40));
            assertThat(server.requests("/api/v2/routing/queues/q-1/")).extracting(LocalHttpServer.Request::method, LocalHttpServer.Request::query)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple("GET", null));
        }

        @Test
        @DisplayName("Signed data posts the user's data with the OAuth token and returns the JWT")
        void signedData() throws Exception {
            server.on("/api/v2/signeddata", r -> Answer.json(200, "{\"jwt\":\"signed.jwt.value\"}"));
            String jwt = await(client(RetryPolicy.none()).signedData(Map.of("authorized", true, "userId", "u-1")));
            assertThat(jwt).isEqualTo("signed.jwt.value");
            LocalHttpServer.Request request = server.requests("/api/v2/signeddata").get(0);
            assertThat(request.header("Authorization")).isEqualTo("Bearer token-1");
            assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"authorized\":true,\"userId\":\"u-1\"}"));
        }
    }

    @Nested
    @DisplayName("Retries")
    class Retries {

        @BeforeEach
        void token() {
            server.on("/oauth/token", r -> Answer.json(200, TOKEN_OK));
        }

        @Test
        @DisplayName("A 429 is retried after its Retry-After")
        void retryAfter() {
            server.once("/api/v2/routing/queues", Answer.json(429, "{\"status\":429,\"code\":\"too.many.requests.retry.after\"}")
                    .withHeader("Retry-After", "1"));
            server.on("/api/v2/routing/queues", r -> Answer.json(200, "{\"entities\":[{\"id\":\"q-1\",\"name\":\"Q\"}]}"));
            long started = System.nanoTime();
            assertThat(await(client(fastRetry()).queueId("Q"))).isEqualTo("q-1");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(server.requests("/api/v2/routing/queues")).hasSize(2);
        }

        @Test
        @DisplayName("A Retry-After longer than the limit fails at once with the rate-limit error")
        void retryAfterTooLong() {
            server.on("/api/v2/routing/queues", r -> Answer.json(429, "{\"status\":429,\"code\":\"too.many.requests.retry.after\"}")
                    .withHeader("Retry-After", "600"));
            Throwable failure = failure(client(fastRetry()).queueId("Q"));
            assertThat(failure).isInstanceOf(GenesysApiException.class).hasMessageContaining("HTTP 429 too.many.requests.retry.after");
            assertThat(((GenesysApiException) failure).retryAfter()).contains(Duration.ofSeconds(600));
            assertThat(server.requests("/api/v2/routing/queues")).hasSize(1);
        }

        @Test
        @DisplayName("5xx answers are retried with a bounded backoff, then fail as VENDOR_UNAVAILABLE with the correlation id")
        void serverErrorsBounded() {
            server.on("/api/v2/routing/queues", r -> Answer.json(503,
                    "{\"status\":503,\"code\":\"service.unavailable\",\"message\":\"down\",\"contextId\":\"ctx-9\"}"));
            Throwable failure = failure(client(fastRetry()).queueId("Q"));
            assertThat(server.requests("/api/v2/routing/queues")).hasSize(4); // the first attempt and 3 retries
            assertThat(failure).isInstanceOf(GenesysApiException.class)
                    .hasMessageContaining("HTTP 503 service.unavailable (down) [contextId ctx-9]");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_UNAVAILABLE);
        }

        @Test
        @DisplayName("A 5xx that may have been processed is not repeated for a request that is not idempotent")
        void nonIdempotentNotRepeated() {
            server.on("/api/v2/signeddata", r -> Answer.json(500, "{\"status\":500,\"code\":\"internal.server.error\"}"));
            Throwable failure = failure(client(fastRetry()).signedData(Map.of("authorized", true)));
            assertThat(failure).hasMessageContaining("HTTP 500");
            assertThat(server.requests("/api/v2/signeddata")).hasSize(1);
        }

        @Test
        @DisplayName("A 4xx is not retried")
        void clientErrorNotRetried() {
            server.on("/api/v2/routing/queues", r -> Answer.json(400, "{\"status\":400,\"code\":\"bad.request\"}"));
            Throwable failure = failure(client(fastRetry()).queueId("Q"));
            assertThat(failure).hasMessageContaining("HTTP 400 bad.request");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
            assertThat(server.requests("/api/v2/routing/queues")).hasSize(1);
        }

        @Test
        @DisplayName("A 403 for a missing permission (missing.permissions, missing.any.permissions, missing.division.permission) is a "
                + "CONFIGURATION error with Genesys's message naming the permission, not retried")
        void missingPermission() {
            String[][] answers = {
                {"/api/v2/routing/queues", "missing.permissions", "Missing permission routing:queue:view"},
                {"/api/v2/analytics/queues/observations/query", "missing.any.permissions", "Missing any of analytics:queueObservation:view"},
                {"/api/v2/signeddata", "missing.division.permission", "Missing division permission for the queue's division"}};
            for (String[] answer : answers) {
                server.on(answer[0], r -> Answer.json(403, "{\"status\":403,\"code\":\"" + answer[1] + "\",\"message\":\"" + answer[2] + "\"}"));
            }
            GenesysPlatformClient client = client(fastRetry());
            List<CompletableFuture<?>> calls = List.of(client.queueId("Q"), client.observeQueue("q-1", QueueMediaType.CHAT),
                    client.signedData(Map.of("authorized", true)));
            for (int i = 0; i < answers.length; i++) {
                Throwable failure = failure(calls.get(i));
                assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("genesys.clientId")
                        .hasMessageContaining("HTTP 403 " + answers[i][1]).hasMessageContaining(answers[i][2]);
                assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
                assertThat(server.requests(answers[i][0])).hasSize(1);
            }
        }

        @Test
        @DisplayName("No server at all is a network failure, retried, then VENDOR_UNAVAILABLE")
        void networkFailure() throws Exception {
            java.net.URI closed;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort());
            }
            GenesysRestClient rest = rest(fastRetry());
            Throwable failure = failure(rest.send(GenesysRestClient.Call.get("read something", closed.resolve("/x"), null), Map.class));
            assertThat(failure).isInstanceOf(GenesysApiException.class).hasMessageContaining("Genesys could not read something: no response");
            assertThat(((GenesysApiException) failure).status()).isEqualTo(GenesysApiException.NETWORK_FAILURE);
        }

        @Test
        @DisplayName("The backoff doubles up to its cap, with at most 20 % jitter")
        void backoffShape() {
            RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(1));
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(80), Duration.ofMillis(100));
            assertThat(policy.backoff(3)).isBetween(Duration.ofMillis(320), Duration.ofMillis(400));
            assertThat(policy.backoff(9)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
            assertThat(policy.backoff(64)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
            ThrowableAssert.ThrowingCallable zero = () -> policy.backoff(0);
            org.assertj.core.api.Assertions.assertThatThrownBy(zero).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

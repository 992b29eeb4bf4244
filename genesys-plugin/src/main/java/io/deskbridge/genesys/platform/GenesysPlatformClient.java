package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.platform.wire.EstimatedWaitTime;
import io.deskbridge.genesys.platform.wire.QueueListing;
import io.deskbridge.genesys.platform.wire.QueueObservationQueryResponse;
import io.deskbridge.genesys.platform.wire.SignedData;
import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Genesys Cloud platform API calls a chat transport needs, made with the organization's OAuth client
 * (client credentials; see {@link ClientCredentialsTokens}): the queue id by name, queue observations, the
 * estimated wait time and signed data for authenticated chats. Shared by every chat and both transports.
 *
 * <p>Every call fails with {@link ServiceDeskException} of kind {@code CONFIGURATION} when no client credentials are
 * configured ({@link #isConfigured()}). A {@code 401} drops the cached token and repeats the call once with a new one.
 */
public final class GenesysPlatformClient {
    private static final Logger LOG = LoggerFactory.getLogger(GenesysPlatformClient.class);

    private final GenesysRestClient rest;
    private final URI apiBaseUrl;
    private final Optional<ClientCredentialsTokens> tokens;
    private final Map<String, CompletableFuture<String>> queueIds = new ConcurrentHashMap<>();

    /**
     * @param tokens the OAuth client, empty when the configuration has no client credentials
     */
    public GenesysPlatformClient(GenesysRestClient rest, URI apiBaseUrl, Optional<ClientCredentialsTokens> tokens) {
        this.rest = requireNonNull(rest, "rest is null");
        this.apiBaseUrl = requireNonNull(apiBaseUrl, "apiBaseUrl is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    /** Whether OAuth client credentials are configured, so that the platform calls can be made. */
    public boolean isConfigured() {
        return tokens.isPresent();
    }

    /**
     * The id of the queue named {@code queueName} (exact name, compared without case), cached once found.
     * Fails with {@code CONFIGURATION} when no queue has that name.
     */
    public CompletableFuture<String> queueId(String queueName) {
        requireNonNull(queueName, "queueName is null");
        CompletableFuture<String> cached = queueIds.get(queueName);
        if (cached != null && !cached.isCompletedExceptionally()) {
            return cached;
        }
        CompletableFuture<String> lookup = withToken("find the routing queue '" + queueName + "'", token -> rest.send(
                GenesysRestClient.Call.get("find the routing queue '" + queueName + "'",
                        api("/api/v2/routing/queues?pageSize=100&pageNumber=1&name=" + encode(queueName)), token),
                QueueListing.class))
                .thenApply(listing -> {
                    List<QueueListing.Queue> matches = listing.entities().stream()
                            .filter(q -> q.name() != null && q.name().trim().equalsIgnoreCase(queueName.trim()) && q.id() != null)
                            .toList();
                    if (matches.isEmpty()) {
                        throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                                "Genesys has no routing queue named '" + queueName + "' (genesys.queueName); check the name and the OAuth client's divisions");
                    }
                    if (matches.size() > 1) {
                        LOG.warn("{} Genesys queues are named '{}'; using {}", matches.size(), queueName, matches.get(0).id());
                    }
                    return matches.get(0).id();
                });
        queueIds.put(queueName, lookup);
        lookup.whenComplete((id, failure) -> {
            if (failure != null) {
                queueIds.remove(queueName, lookup);
            }
        });
        return lookup;
    }

    /**
     * The queue's agents and its waiting conversations of {@code mediaType} now ({@code oOnQueueUsers},
     * {@code oWaiting}).
     */
    public CompletableFuture<QueueObservation> observeQueue(String queueId, QueueMediaType mediaType) {
        requireNonNull(queueId, "queueId is null");
        requireNonNull(mediaType, "mediaType is null");
        Map<String, Object> query = Map.of(
                "filter", Map.of("type", "or", "clauses", List.of(Map.of("type", "or", "predicates", List.of(
                        Map.of("type", "dimension", "dimension", "queueId", "operator", "matches", "value", queueId))))),
                "metrics", List.of("oOnQueueUsers", "oWaiting"));
        String operation = "observe the queue " + queueId;
        return withToken(operation, token -> rest.send(
                GenesysRestClient.Call.post(operation, api("/api/v2/analytics/queues/observations/query"), token,
                        Optional.of(rest.write(query)), true),
                QueueObservationQueryResponse.class))
                .thenApply(response -> summarise(queueId, mediaType, response));
    }

    /**
     * Sums the observation: every {@code oOnQueueUsers} entry, those whose routing status takes chats ({@code IDLE},
     * {@code INTERACTING}), {@code IDLE} separately, and {@code oWaiting} of {@code mediaType} (of every media type
     * when Genesys does not split the count by media type). Genesys gives {@code oOnQueueUsers} one entry per routing
     * status (its qualifier); should it give only an unqualified count, that count is all there is to go by.
     */
    static QueueObservation summarise(String queueId, QueueMediaType mediaType, QueueObservationQueryResponse response) {
        long onQueue = 0;
        long available = 0;
        long unqualified = 0;
        boolean qualified = false;
        long idle = 0;
        long waitingOfType = 0;
        long waitingAll = 0;
        boolean split = false;
        for (QueueObservationQueryResponse.Result result : response.results()) {
            String group = result.group().get("mediaType");
            for (QueueObservationQueryResponse.MetricData data : result.data()) {
                if ("oOnQueueUsers".equals(data.metric())) {
                    onQueue += data.count();
                    if (data.qualifier().isEmpty()) {
                        unqualified += data.count();
                        continue;
                    }
                    qualified = true;
                    String status = data.qualifier().get();
                    if (status.equalsIgnoreCase("IDLE")) {
                        idle += data.count();
                        available += data.count();
                    } else if (status.equalsIgnoreCase("INTERACTING")) {
                        available += data.count();
                    }
                } else if ("oWaiting".equals(data.metric())) {
                    waitingAll += data.count();
                    if (group != null) {
                        split = true;
                        if (group.equalsIgnoreCase(mediaType.observationValue())) {
                            waitingOfType += data.count();
                        }
                    }
                }
            }
        }
        return new QueueObservation(queueId, onQueue, qualified ? available : unqualified, idle, split ? waitingOfType : waitingAll);
    }

    /**
     * The estimated wait of a chat of {@code mediaType} entering the queue now
     * ({@code GET /api/v2/routing/queues/{queueId}/mediatypes/{mediaType}/estimatedwaittime}), or empty when Genesys
     * cannot estimate it. The queue's estimate rather than one per conversation, so that every waiting chat shares
     * one request; the prediction for {@code mediaType} is preferred when Genesys gives several.
     */
    public CompletableFuture<Optional<Duration>> estimatedWait(String queueId, QueueMediaType mediaType) {
        requireNonNull(queueId, "queueId is null");
        requireNonNull(mediaType, "mediaType is null");
        String path = "/api/v2/routing/queues/" + encode(queueId) + "/mediatypes/" + encode(mediaType.observationValue()) + "/estimatedwaittime";
        String operation = "estimate the wait of the queue " + queueId;
        return withToken(operation, token -> rest.send(GenesysRestClient.Call.get(operation, api(path), token), EstimatedWaitTime.class))
                .thenApply(answer -> bestEstimate(answer, mediaType));
    }

    static Optional<Duration> bestEstimate(EstimatedWaitTime answer, QueueMediaType mediaType) {
        Optional<EstimatedWaitTime.Prediction> ofType = answer.results().stream()
                .filter(p -> p.estimatedWaitTimeSeconds() != null && p.estimatedWaitTimeSeconds() >= 0)
                .filter(p -> p.intent().filter(i -> i.equalsIgnoreCase(mediaType.intent())).isPresent())
                .findFirst();
        Optional<EstimatedWaitTime.Prediction> any = ofType.or(() -> answer.results().stream()
                .filter(p -> p.estimatedWaitTimeSeconds() != null && p.estimatedWaitTimeSeconds() >= 0)
                .findFirst());
        return any.map(p -> Duration.ofSeconds(p.estimatedWaitTimeSeconds()));
    }

    /**
     * A JWT Genesys signs over {@code data} ({@code POST /api/v2/signeddata}), for {@code memberAuthToken} of an
     * authenticated guest chat.
     */
    public CompletableFuture<String> signedData(Map<String, ?> data) {
        requireNonNull(data, "data is null");
        String operation = "sign the user's identity (signed data)";
        return withToken(operation, token -> rest.send(
                GenesysRestClient.Call.post(operation, api("/api/v2/signeddata"), token, Optional.of(rest.write(data)), false),
                SignedData.class))
                .thenApply(SignedData::jwt);
    }

    private <T> CompletableFuture<T> withToken(String operation, Function<String, CompletableFuture<T>> call) {
        if (tokens.isEmpty()) {
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Cannot " + operation + ": set genesys.clientId and genesys.clientSecret (an OAuth client with the client credentials grant)"));
        }
        ClientCredentialsTokens oauth = tokens.get();
        return oauth.accessToken().thenCompose(token -> call.apply("Bearer " + token).handle((value, failure) -> {
            Throwable cause = CompletionFailures.unwrap(failure);
            if (cause instanceof GenesysApiException api && api.status() == 401) {
                oauth.invalidate(token);
                return oauth.accessToken().thenCompose(fresh -> call.apply("Bearer " + fresh));
            }
            return failure == null ? CompletableFuture.completedFuture(value) : CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f)).handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            throw new CompletionException(explain(CompletionFailures.unwrap(failure)));
        });
    }

    /** A missing permission is the OAuth client's configuration, not a passing failure: said so, with Genesys's message. */
    private static Throwable explain(Throwable failure) {
        if (failure instanceof GenesysApiException api && api.isMissingPermission()) {
            return new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "The OAuth client (genesys.clientId) lacks a permission: "
                    + api.getMessage() + ". Give its role the permissions the deskbridge Genesys README lists (routing:queue:view, "
                    + "analytics:queueObservation:view, and for authenticated guest chats signed data) and the queue's division.", null, api);
        }
        return failure;
    }

    private URI api(String pathAndQuery) {
        return ClientCredentialsTokens.resolve(apiBaseUrl, pathAndQuery);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "GenesysPlatformClient{api=" + apiBaseUrl + ", credentials=" + (isConfigured() ? "configured" : "none") + "}";
    }
}

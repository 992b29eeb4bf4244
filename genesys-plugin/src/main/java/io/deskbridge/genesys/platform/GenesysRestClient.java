package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.platform.wire.ErrorBody;
import io.deskbridge.spi.DeskMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to Genesys over the shared {@link HttpClient}, turning every failure into a
 * {@link GenesysApiException} and retrying by a {@link RetryPolicy}: {@code 429} after its {@code Retry-After},
 * {@code 503} always, other {@code 5xx} and network failures only for requests that are safe to repeat. Retries
 * wait on the shared scheduler; no thread blocks. Thread-safe; one instance serves every chat.
 */
public final class GenesysRestClient {
    private static final Logger LOG = LoggerFactory.getLogger(GenesysRestClient.class);
    private static final int MAX_LOGGED_BODY = 300;

    private final HttpClient http;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final DeskMetrics metrics;

    public GenesysRestClient(HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler, RetryPolicy retry, Duration requestTimeout) {
        this(http, json, scheduler, retry, requestTimeout, DeskMetrics.none());
    }

    /**
     * @param metrics where each attempt's latency and status is reported, by endpoint (method and path template)
     */
    public GenesysRestClient(HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler, RetryPolicy retry, Duration requestTimeout,
            DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.http = requireNonNull(http, "http is null");
        this.json = requireNonNull(json, "json is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
    }

    /** The mapper requests and answers are written and read with. */
    public ObjectMapper json() {
        return json;
    }

    /**
     * A request and how to read its answer.
     *
     * @param operation what is asked, in words for messages ({@code "send a chat message"})
     * @param method {@code GET}, {@code POST}, {@code DELETE}
     * @param uri the full URL
     * @param authorization the {@code Authorization} header value, if any
     * @param contentType the body's media type (when there is a body)
     * @param body the body, if any
     * @param idempotent whether a request that may have been processed can be repeated safely (5xx, network errors)
     * @param headers further headers ({@code Origin}), by name
     */
    public record Call(String operation, String method, URI uri, Optional<String> authorization, String contentType,
            Optional<String> body, boolean idempotent, Map<String, String> headers) {
        public Call {
            requireNonNull(operation, "operation is null");
            requireNonNull(method, "method is null");
            requireNonNull(uri, "uri is null");
            requireNonNull(authorization, "authorization is null");
            requireNonNull(contentType, "contentType is null");
            requireNonNull(body, "body is null");
            headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        }

        /** A call with no further headers. */
        public Call(String operation, String method, URI uri, Optional<String> authorization, String contentType,
                Optional<String> body, boolean idempotent) {
            this(operation, method, uri, authorization, contentType, body, idempotent, Map.of());
        }

        /** This call with one more header ({@code name} replaces a header of that name). */
        public Call withHeader(String name, String value) {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put(name, value);
            return new Call(operation, method, uri, authorization, contentType, body, idempotent, all);
        }

        public static Call get(String operation, URI uri, String authorization) {
            return new Call(operation, "GET", uri, Optional.ofNullable(authorization), "application/json", Optional.empty(), true);
        }

        public static Call delete(String operation, URI uri, String authorization) {
            return new Call(operation, "DELETE", uri, Optional.ofNullable(authorization), "application/json", Optional.empty(), true);
        }

        public static Call post(String operation, URI uri, String authorization, Optional<String> jsonBody, boolean idempotent) {
            return new Call(operation, "POST", uri, Optional.ofNullable(authorization), "application/json", jsonBody, idempotent);
        }
    }

    /** Sends {@code call} and reads a JSON answer as {@code type}. */
    public <T> CompletableFuture<T> send(Call call, Class<T> type) {
        return send(call, json.constructType(type));
    }

    /** Sends {@code call} and reads a JSON answer as {@code type}. */
    public <T> CompletableFuture<T> send(Call call, JavaType type) {
        return exchange(call).thenApply(response -> read(call, response, type));
    }

    /** Sends {@code call} and ignores the answer's body (for {@code 204} answers). */
    public CompletableFuture<Void> sendDiscardingBody(Call call) {
        return exchange(call).thenApply(response -> null);
    }

    /** Writes {@code value} as JSON. */
    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private CompletableFuture<HttpResponse<String>> exchange(Call call) {
        CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
        attempt(call, 0, result);
        return result;
    }

    private void attempt(Call call, int retriesDone, CompletableFuture<HttpResponse<String>> result) {
        HttpRequest request;
        try {
            request = toRequest(call);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        long sentAt = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            metrics.vendorRequest(DeskMetrics.endpoint(call.method(), call.uri()), response == null ? DeskMetrics.NO_RESPONSE : response.statusCode(),
                    Duration.ofNanos(System.nanoTime() - sentAt));
            GenesysApiException failure;
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                failure = new GenesysApiException(call.operation(), GenesysApiException.NETWORK_FAILURE, null,
                        cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), null, null, cause);
            } else if (response.statusCode() / 100 == 2) {
                result.complete(response);
                return;
            } else {
                failure = failureOf(call, response);
            }
            int retryNumber = retriesDone + 1;
            Optional<Duration> delay = retry.delayBeforeRetry(retryNumber, failure, call.idempotent());
            if (delay.isEmpty()) {
                result.completeExceptionally(failure);
                return;
            }
            LOG.debug("{} {} failed ({}), retry {} of {} in {} ms", call.method(), call.uri().getPath(), failure.getMessage(),
                    retryNumber, retry.maxRetries(), delay.get().toMillis());
            try {
                scheduler.schedule(() -> attempt(call, retryNumber, result), delay.get().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                result.completeExceptionally(failure);
            }
        });
    }

    private HttpRequest toRequest(Call call) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri()).timeout(requestTimeout).header("Accept", "application/json");
        call.authorization().ifPresent(value -> builder.header("Authorization", value));
        call.headers().forEach(builder::setHeader);
        if (call.body().isPresent()) {
            builder.setHeader("Content-Type", call.contentType());
            builder.method(call.method(), HttpRequest.BodyPublishers.ofString(call.body().get()));
        } else {
            builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private GenesysApiException failureOf(Call call, HttpResponse<String> response) {
        ErrorBody error = null;
        String body = response.body();
        if (body != null && !body.isBlank()) {
            try {
                error = json.readValue(body, ErrorBody.class);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} {}: unreadable error body: {}", call.method(), call.uri().getPath(), abbreviate(body));
            }
        }
        String contextId = error != null && error.contextId().isPresent() ? error.contextId().get()
                : response.headers().firstValue("inin-correlation-id").orElse(null);
        return new GenesysApiException(call.operation(), response.statusCode(),
                error == null ? null : error.anyCode().orElse(null),
                error == null ? null : error.anyMessage().orElse(null),
                contextId, retryAfter(response).orElse(null), null);
    }

    /** {@code Retry-After} as seconds or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    private <T> T read(Call call, HttpResponse<String> response, JavaType type) {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException | RuntimeException e) {
            throw new GenesysApiException(call.operation(), response.statusCode(), null,
                    "unreadable answer: " + rootMessage(e), response.headers().firstValue("inin-correlation-id").orElse(null), null, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static String abbreviate(String body) {
        return body.length() <= MAX_LOGGED_BODY ? body : body.substring(0, MAX_LOGGED_BODY) + "…";
    }
}

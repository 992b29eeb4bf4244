package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.webmessaging.wire.Bodies;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The conversation history over REST: {@code GET /api/v2/webmessaging/messages?pageNumber=&pageSize=} with the
 * session's {@code getJwt} JWT as bearer token. Pages are newest-first.
 */
final class WebMessagingHistory {
    private final HttpClient http;
    private final ObjectMapper json;
    private final WebMessagingSettings settings;

    private final DeskMetrics metrics;

    WebMessagingHistory(HttpClient http, ObjectMapper json, WebMessagingSettings settings, DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.http = requireNonNull(http, "http is null");
        this.json = requireNonNull(json, "json is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** One page (1 = newest messages). */
    CompletionStage<Bodies.MessagePage> page(String jwt, int pageNumber) {
        String base = settings.apiBaseUrl().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v2/webmessaging/messages?pageNumber=" + pageNumber + "&pageSize=" + settings.historyPageSize());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.sendTimeout().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : settings.sendTimeout())
                .header("Authorization", "Bearer " + jwt)
                .header("Accept", "application/json")
                .GET();
        settings.origin().ifPresent(origin -> request.header("Origin", origin));
        long sentAt = System.nanoTime();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) ->
                metrics.vendorRequest(DeskMetrics.endpoint("GET", uri), response == null ? DeskMetrics.NO_RESPONSE : response.statusCode(),
                        Duration.ofNanos(System.nanoTime() - sentAt))).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new ServiceDeskException(response.statusCode() >= 500 || response.statusCode() == 429
                        ? ServiceDeskException.Kind.VENDOR_UNAVAILABLE : ServiceDeskException.Kind.VENDOR_REJECTED,
                        "Genesys web messaging history answered HTTP " + response.statusCode() + " for page " + pageNumber);
            }
            try {
                return json.readValue(response.body(), Bodies.MessagePage.class);
            } catch (IOException e) {
                throw new UncheckedIOException("Genesys web messaging history sent a page that is not a message list", e);
            }
        });
    }
}

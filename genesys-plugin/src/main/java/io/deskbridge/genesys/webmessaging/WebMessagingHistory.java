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
import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.genesys.webmessaging.wire.Direction;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation history over REST: {@code GET /api/v2/webmessaging/messages?pageNumber=&pageSize=} with the
 * session's {@code getJwt} JWT as bearer token. Pages are newest-first.
 */
final class WebMessagingHistory {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingHistory.class);
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
        request.header("Origin", settings.restOrigin());
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

    /**
     * What the chat has not seen, oldest first: pages are read newest first until the messages are older than what
     * the user has, past the newest outbound message already {@code delivered}, by {@code lookBehind} more (Genesys may
     * have sent a message just before it that never arrived live). Messages already delivered are skipped, never
     * collected twice. Continuations run on {@code serial}.
     */
    CompletableFuture<List<StructuredMessage>> missed(String chatId, String jwt, Predicate<String> delivered, Duration lookBehind,
            Executor serial) {
        return pages(chatId, jwt, 1, new ArrayList<>(), delivered, lookBehind, Optional.empty(), serial).thenApply(newestFirst -> {
            List<StructuredMessage> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            return oldestFirst;
        });
    }

    private CompletableFuture<List<StructuredMessage>> pages(String chatId, String jwt, int pageNumber, List<StructuredMessage> collected,
            Predicate<String> delivered, Duration lookBehind, Optional<Instant> knownHorizon, Executor serial) {
        return page(jwt, pageNumber).toCompletableFuture().thenComposeAsync(page -> {
            Optional<Instant> horizon = knownHorizon;
            boolean done = false;
            for (StructuredMessage message : page.entities()) {
                Optional<String> id = WebMessagingConversation.idOf(message);
                Optional<Instant> time = message.channel().flatMap(StructuredMessage.Channel::time).flatMap(WireValues::instant);
                if (horizon.isPresent() && (time.isEmpty() || time.get().isBefore(horizon.get()))) {
                    done = true;
                    break;
                }
                boolean outbound = message.messageDirection().orElse(null) == Direction.OUTBOUND;
                if (outbound && id.isPresent() && delivered.test(id.get())) {
                    if (horizon.isEmpty()) {
                        if (time.isEmpty() || lookBehind.isZero()) {
                            done = true;
                            break;
                        }
                        horizon = Optional.of(time.get().minus(lookBehind));
                    }
                    continue;
                }
                collected.add(message);
            }
            if (done || page.entities().isEmpty() || pageNumber >= page.pageCount() || pageNumber >= settings.historyMaxPages()) {
                LOG.debug("chat={} history catch-up read {} page(s), {} message(s) the chat had not seen", chatId, pageNumber, collected.size());
                return CompletableFuture.completedFuture(collected);
            }
            return pages(chatId, jwt, pageNumber + 1, collected, delivered, lookBehind, horizon, serial);
        }, serial);
    }
}

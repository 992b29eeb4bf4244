package io.deskbridge.core.metrics;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.DeskMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeskMetrics} over a Micrometer registry: one instance per process, shared by the desk's chats and its
 * vendor clients.
 *
 * <ul>
 *   <li>{@value #REQUESTS} (timer): vendor API requests by {@code endpoint}, {@code status} (the HTTP status, a
 *       vendor socket's answer code, or {@code none}) and {@code outcome} ({@code success}, {@code client_error},
 *       {@code rate_limited}, {@code server_error}, {@code no_response})</li>
 *   <li>{@value #RECONNECTS} (counter): attempts to restore a lost vendor connection, by {@code outcome}
 *       ({@code succeeded}, {@code failed})</li>
 *   <li>{@value #CATCH_UPS} (counter) and {@value #CATCH_UP_MESSAGES} (counter): catch-ups after a lost connection,
 *       and the messages they recovered</li>
 *   <li>{@value #RATE_LIMIT_WAITS} (timer): requests held back to stay under the vendor's rate limit</li>
 * </ul>
 */
public final class MicrometerDeskMetrics implements DeskMetrics {
    public static final String REQUESTS = "deskbridge.vendor.requests";
    public static final String RECONNECTS = "deskbridge.vendor.reconnects";
    public static final String CATCH_UPS = "deskbridge.vendor.catchups";
    public static final String CATCH_UP_MESSAGES = "deskbridge.vendor.catchup.messages";
    public static final String RATE_LIMIT_WAITS = "deskbridge.vendor.ratelimit.waits";

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerDeskMetrics.class);
    // A desk that passes unbounded endpoint names would grow the registry without end: past this many, they are pooled.
    private static final int MAX_ENDPOINTS = 200;

    private final MeterRegistry registry;
    private final DeskTags tags;
    private final Counter reconnected;
    private final Counter reconnectFailed;
    private final Counter catchUps;
    private final Counter catchUpMessages;
    private final Timer rateLimitWaits;
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();

    public MicrometerDeskMetrics(MeterRegistry registry, DeskTags tags) {
        this.registry = requireNonNull(registry, "registry is null");
        this.tags = requireNonNull(tags, "tags is null");
        this.reconnected = Counter.builder(RECONNECTS).description("Attempts to restore a lost vendor connection")
                .tags(tags.with("outcome", "succeeded")).register(registry);
        this.reconnectFailed = Counter.builder(RECONNECTS).description("Attempts to restore a lost vendor connection")
                .tags(tags.with("outcome", "failed")).register(registry);
        this.catchUps = Counter.builder(CATCH_UPS).description("Catch-ups of what a chat missed while its vendor connection was down")
                .tags(tags.with()).register(registry);
        this.catchUpMessages = Counter.builder(CATCH_UP_MESSAGES).description("Messages recovered by catch-ups")
                .tags(tags.with()).register(registry);
        this.rateLimitWaits = Timer.builder(RATE_LIMIT_WAITS).description("Requests held back to stay under the vendor's rate limit")
                .tags(tags.with()).register(registry);
    }

    @Override
    public void vendorRequest(String endpoint, int status, Duration latency) {
        try {
            String name = endpoint == null || endpoint.isBlank() ? "unknown" : endpoint;
            if (!endpoints.contains(name)) {
                if (endpoints.size() >= MAX_ENDPOINTS) {
                    name = "other";
                } else if (endpoints.add(name) && endpoints.size() == MAX_ENDPOINTS) {
                    LOG.warn("desk={} reported {} vendor endpoints; later ones are counted as endpoint=other", tags.desk(), MAX_ENDPOINTS);
                }
            }
            Timer.builder(REQUESTS).description("Requests to the vendor's API")
                    .tags(tags.with("endpoint", name, "status", status == NO_RESPONSE ? "none" : Integer.toString(status),
                            "outcome", outcome(status)))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry)
                    .record(latency == null || latency.isNegative() ? Duration.ZERO : latency);
        } catch (RuntimeException e) {
            LOG.debug("a vendor request could not be recorded", e);
        }
    }

    /**
     * The class of a status, as the {@code outcome} tag names it: an HTTP status by its class, and a vendor socket's
     * four-digit answer code (Genesys web messaging's 4000 to 4999 for a refused request, 5000 and up for its own
     * failure) as the HTTP class it stands for.
     */
    static String outcome(int status) {
        if (status == NO_RESPONSE) {
            return "no_response";
        }
        if (status >= 1000) {
            return status >= 5000 ? "server_error" : "client_error";
        }
        if (status == 429) {
            return "rate_limited";
        }
        if (status >= 500) {
            return "server_error";
        }
        return status >= 400 ? "client_error" : "success";
    }

    @Override
    public void vendorReconnect(boolean succeeded) {
        (succeeded ? reconnected : reconnectFailed).increment();
    }

    @Override
    public void vendorCatchUp(int messages) {
        catchUps.increment();
        catchUpMessages.increment(Math.max(0, messages));
    }

    @Override
    public void rateLimitWait(Duration waited) {
        rateLimitWaits.record(waited == null || waited.isNegative() ? Duration.ZERO : waited);
    }
}

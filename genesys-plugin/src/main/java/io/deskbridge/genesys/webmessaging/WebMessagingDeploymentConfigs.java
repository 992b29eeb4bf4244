package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CompletionFailures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's public configuration, shared by every chat of the desk: read from
 * {@link WebMessagingSettings#deploymentConfigUri()} by the first chat that needs it, and read again in the background
 * by the first chat that asks after {@link WebMessagingSettings#configRefresh()} passed (that chat goes on with the
 * configuration it has). A read that fails keeps the last configuration; before any read succeeded the SDK's defaults
 * apply ({@link WebMessagingDeploymentConfig#DEFAULTS}: no Clear, no user typing), and the next chat tries again.
 *
 * <p>Thread-safe.
 */
final class WebMessagingDeploymentConfigs {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingDeploymentConfigs.class);

    private final WebMessagingSettings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private WebMessagingDeploymentConfig current;
    private Instant readAt;
    private CompletableFuture<WebMessagingDeploymentConfig> reading;

    WebMessagingDeploymentConfigs(WebMessagingSettings settings, HttpClient http, ObjectMapper json, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = requireNonNull(http, "http is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The configuration to use now: the one read, or the first read's outcome. Never fails. */
    synchronized CompletableFuture<WebMessagingDeploymentConfig> current() {
        Instant now = clock.instant();
        if (current != null) {
            if (reading == null && !now.isBefore(readAt.plus(settings.configRefresh()))) {
                read();
            }
            return CompletableFuture.completedFuture(current);
        }
        return reading != null ? reading : read();
    }

    /**
     * Starts a read; called holding the lock. {@code reading} is set before the request leaves: a read that completes
     * at once, in this thread (a client that fails or answers synchronously), then clears it itself, instead of
     * leaving a finished read in {@code reading} that would stop every later refresh (and every retry after a failed
     * first read).
     */
    private CompletableFuture<WebMessagingDeploymentConfig> read() {
        CompletableFuture<WebMessagingDeploymentConfig> result = new CompletableFuture<>();
        reading = result;
        CompletableFuture<WebMessagingDeploymentConfig> fetched;
        try {
            HttpRequest request = HttpRequest.newBuilder(settings.deploymentConfigUri()).timeout(timeout())
                    .header("Accept", "application/json").header("Origin", settings.effectiveOrigin()).GET().build();
            fetched = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                }
                try {
                    return WebMessagingDeploymentConfig.of(json.readTree(response.body()));
                } catch (IOException e) {
                    throw new IllegalStateException("not JSON", e);
                }
            });
        } catch (RuntimeException e) {
            fetched = CompletableFuture.failedFuture(e);
        }
        fetched.whenComplete((config, failure) -> result.complete(settle(config, failure)));
        return result;
    }

    /** The configuration a finished read leaves: the one read, else the last one, else Genesys's defaults. */
    private synchronized WebMessagingDeploymentConfig settle(WebMessagingDeploymentConfig config, Throwable failure) {
        reading = null;
        if (failure == null) {
            DisconnectConfigWarning.read(current, config, settings.deploymentConfigUri());
            current = config;
            readAt = clock.instant();
            LOG.debug("read the deployment's configuration: clear={} userTyping={} readOnlyDisconnect={} files={}",
                    config.clearEnabled(), config.showUserTypingIndicator(), config.disconnectReadOnly(), config.acceptsFiles());
            return config;
        }
        Throwable cause = CompletionFailures.unwrap(failure);
        LOG.warn("could not read the Genesys deployment's configuration {} ({}); {}", settings.deploymentConfigUri(), cause.getMessage(),
                current != null ? "keeping the last one" : "assuming Genesys's defaults (no Clear, no user typing)");
        return current != null ? current : WebMessagingDeploymentConfig.DEFAULTS;
    }

    private Duration timeout() {
        return settings.sendTimeout().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : settings.sendTimeout();
    }
}

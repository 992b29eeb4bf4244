package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.spi.Capability;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every web messaging chat of one desk shares.
 *
 * @param http the shared client, for REST (history, pre-signed uploads)
 * @param sockets the clients of the chat sockets
 * @param queue the queue's agents and wait, for {@code AGENTS_ONLINE} and {@code QUEUE_STATUS}
 * @param capabilities what each chat declares (with or without client credentials), before the deployment's configuration
 *     takes away what it turns off
 * @param configs the deployment's configuration, read once for every chat and refreshed
 */
record WebMessagingRuntime(WebMessagingSettings settings, HttpClient http, GenesysSocketClients sockets, ObjectMapper json,
        ScheduledExecutorService scheduler, Executor workers, Clock clock, WebMessagingAuthCodeSource authCodes,
        QueueAvailabilityClient queue, Set<Capability> capabilities, WebMessagingDeploymentConfigs configs) {
    WebMessagingRuntime {
        requireNonNull(settings, "settings is null");
        requireNonNull(http, "http is null");
        requireNonNull(sockets, "sockets is null");
        requireNonNull(json, "json is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(workers, "workers is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(authCodes, "authCodes is null");
        requireNonNull(queue, "queue is null");
        capabilities = Set.copyOf(capabilities);
        requireNonNull(configs, "configs is null");
    }
}

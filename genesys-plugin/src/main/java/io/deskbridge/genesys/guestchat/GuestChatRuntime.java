package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.platform.GenesysPlatformClient;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every guest chat desk of one runtime shares: settings, clients and the shared threads. REST goes through
 * {@code http}; event streams through {@code sockets}, whose listeners run inline so that a dropped stream is always
 * noticed (see {@link GenesysSocketClients}).
 */
record GuestChatRuntime(GenesysSettings settings, GuestChatApi api, GenesysPlatformClient platform, QueueAvailabilityClient queue,
        HttpClient http, GenesysSocketClients sockets, ObjectMapper json, ScheduledExecutorService scheduler, ExecutorService workers) {
    GuestChatRuntime {
        requireNonNull(settings, "settings is null");
        requireNonNull(api, "api is null");
        requireNonNull(platform, "platform is null");
        requireNonNull(queue, "queue is null");
        requireNonNull(http, "http is null");
        requireNonNull(sockets, "sockets is null");
        requireNonNull(json, "json is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(workers, "workers is null");
    }
}

package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates one {@link WebMessagingServiceDesk} per chat over the shared HTTP client, scheduler and workers, plus a
 * few socket clients for the chats' sockets ({@link GenesysSocketClients}). Creating a desk does no I/O.
 */
@Singleton
public final class WebMessagingDeskFactory implements ServiceDeskFactory {
    private final WebMessagingRuntime runtime;

    @Inject
    public WebMessagingDeskFactory(WebMessagingSettings settings, HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler,
            ExecutorService workers, Clock clock, WebMessagingAuthCodeSource authCodes, QueueAvailabilityClient queue) {
        requireNonNull(queue, "queue is null");
        this.runtime = new WebMessagingRuntime(settings, http, GenesysSocketClients.forProcessors(http), json, scheduler, workers, clock,
                authCodes, queue, WebMessagingCapabilities.of(queue.isConfigured(), settings.readReceipts()),
                new WebMessagingDeploymentConfigs(settings, http, json, clock));
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        requireNonNull(context, "context is null");
        return new WebMessagingServiceDesk(context, runtime);
    }

    @Override
    public Set<Capability> capabilities() {
        return runtime.capabilities();
    }
}

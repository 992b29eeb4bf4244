package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.GenesysTransport;
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
 *
 * <p>The factory and every desk declare {@link GenesysSettings#capabilities()}, the set the provider also gives for
 * the same configuration; a chat narrows it with {@code updateCapabilities} where the deployment's configuration
 * turns user typing or files off.
 */
@Singleton
public final class WebMessagingDeskFactory implements ServiceDeskFactory {
    private final WebMessagingRuntime runtime;

    @Inject
    public WebMessagingDeskFactory(GenesysSettings genesys, HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler,
            ExecutorService workers, Clock clock, WebMessagingAuthCodeSource authCodes, QueueAvailabilityClient queue) {
        requireNonNull(genesys, "genesys is null");
        if (genesys.transport() != GenesysTransport.WEB_MESSAGING) {
            throw new IllegalArgumentException("the web messaging desk factory needs genesys.transport="
                    + GenesysTransport.WEB_MESSAGING.configName() + ", not " + genesys.transport().configName());
        }
        WebMessagingSettings settings = genesys.webMessaging();
        this.runtime = new WebMessagingRuntime(settings, http, GenesysSocketClients.forProcessors(http), json, scheduler, workers, clock,
                authCodes, queue, genesys.capabilities(), new WebMessagingDeploymentConfigs(settings, http, json, clock));
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

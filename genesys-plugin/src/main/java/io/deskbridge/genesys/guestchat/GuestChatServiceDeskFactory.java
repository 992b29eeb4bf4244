package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.platform.GenesysPlatformClient;
import io.deskbridge.genesys.platform.GenesysRestClient;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates one {@link GuestChatServiceDesk} per chat, all sharing the HTTP client, a few socket clients for the event
 * streams ({@link GenesysSocketClients}), the platform client and the shared threads. Creating a desk does no I/O.
 */
@Singleton
public final class GuestChatServiceDeskFactory implements ServiceDeskFactory {

    /** What a guest chat desk supports whatever its configuration (Genesys guest chat has no read receipts or files). */
    public static final Set<Capability> BASE_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.UPDATE_STATE, Capability.USER_TYPING,
            Capability.RECONNECT, Capability.AGENT_TYPING, Capability.TRANSFER, Capability.CONNECTION_RECOVERY));

    /** What OAuth client credentials add: the queue's agents and wait. */
    public static final Set<Capability> PLATFORM_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS));

    private final GuestChatRuntime runtime;
    private final Set<Capability> capabilities;

    @Inject
    public GuestChatServiceDeskFactory(GenesysSettings settings, GenesysRestClient rest, GenesysPlatformClient platform,
            QueueAvailabilityClient queue, HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler, ExecutorService workers) {
        requireNonNull(settings, "settings is null");
        this.runtime = new GuestChatRuntime(settings, new GuestChatApi(rest, settings.apiBaseUrl(), settings.origin()), platform, queue, http,
                GenesysSocketClients.forProcessors(http), json,
                scheduler, workers);
        this.capabilities = settings.capabilities();
    }

    /** The capabilities of a guest chat desk with or without OAuth client credentials. */
    public static Set<Capability> capabilitiesFor(boolean clientCredentials) {
        EnumSet<Capability> all = EnumSet.copyOf(BASE_CAPABILITIES);
        if (clientCredentials) {
            all.addAll(PLATFORM_CAPABILITIES);
        }
        return Set.copyOf(all);
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        requireNonNull(context, "context is null");
        return new GuestChatServiceDesk(context, runtime, capabilities);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }
}

package io.deskbridge.genesys;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.deskbridge.genesys.guestchat.GuestChatServiceDeskFactory;
import io.deskbridge.genesys.platform.ClientCredentialsTokens;
import io.deskbridge.genesys.platform.GenesysPlatformClient;
import io.deskbridge.genesys.platform.GenesysRestClient;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.genesys.platform.QueueMediaType;
import io.deskbridge.genesys.webmessaging.WebMessagingDeskFactory;
import io.deskbridge.genesys.webmessaging.WebMessagingSettings;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.ServiceDeskFactory;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires the Genesys desk: the settings, the REST and platform clients every chat shares, and the
 * {@link ServiceDeskFactory} of the transport {@code genesys.transport} selects. Installed in the child injector
 * of the shared infrastructure (clock, scheduler, workers, HTTP client, JSON mapper).
 */
public final class GenesysModule extends AbstractModule {
    private final GenesysSettings settings;

    public GenesysModule(GenesysSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(GenesysSettings.class).toInstance(settings);
        bind(WebMessagingSettings.class).toInstance(settings.webMessaging());
        bind(ServiceDeskFactory.class).to(factoryFor(settings.transport()));
    }

    /** The desk factory of each transport. */
    static Class<? extends ServiceDeskFactory> factoryFor(GenesysTransport transport) {
        return switch (transport) {
            case WEB_MESSAGING -> WebMessagingDeskFactory.class;
            case GUEST_CHAT -> GuestChatServiceDeskFactory.class;
        };
    }

    @Provides
    @Singleton
    GenesysRestClient restClient(HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler, DeskMetrics metrics) {
        return new GenesysRestClient(http, json, scheduler, settings.restRetry(), settings.requestTimeout(), metrics);
    }

    @Provides
    @Singleton
    GenesysPlatformClient platformClient(GenesysRestClient rest, Clock clock) {
        Optional<ClientCredentialsTokens> tokens = settings.clientId().isPresent() && settings.clientSecret().isPresent()
                ? Optional.of(new ClientCredentialsTokens(rest, clock, settings.loginBaseUrl(), settings.clientId().get(), settings.clientSecret().get()))
                : Optional.empty();
        return new GenesysPlatformClient(rest, settings.apiBaseUrl(), tokens);
    }

    @Provides
    @Singleton
    QueueAvailabilityClient queueAvailability(GenesysPlatformClient platform, ScheduledExecutorService scheduler, Clock clock) {
        QueueMediaType mediaType = settings.transport() == GenesysTransport.GUEST_CHAT ? QueueMediaType.CHAT : QueueMediaType.MESSAGE;
        return new QueueAvailabilityClient(platform, settings.queueName(), mediaType, scheduler, clock, settings.availabilityRefreshInterval());
    }
}

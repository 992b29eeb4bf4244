package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Creates one {@link WebMessagingServiceDesk} per chat over the shared HTTP client, scheduler and workers. */
public final class WebMessagingDeskFactory implements ServiceDeskFactory {
    private final WebMessagingSettings settings;
    private final HttpClient http;
    private final ObjectMapper json;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Clock clock;
    private final WebMessagingAuthCodeSource authCodes;

    @Inject
    public WebMessagingDeskFactory(WebMessagingSettings settings, HttpClient http, ObjectMapper json, ScheduledExecutorService scheduler,
            ExecutorService workers, Clock clock, WebMessagingAuthCodeSource authCodes) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = requireNonNull(http, "http is null");
        this.json = requireNonNull(json, "json is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.authCodes = requireNonNull(authCodes, "authCodes is null");
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        return new WebMessagingServiceDesk(context, settings, http, json, scheduler, workers, clock, authCodes);
    }

    @Override
    public Set<Capability> capabilities() {
        return WebMessagingServiceDesk.CAPABILITIES;
    }
}

package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/** Creates an {@link ExampleServiceDesk} per chat, all sharing the one {@link ExampleContactCenter} and scheduler. */
final class ExampleServiceDeskFactory implements ServiceDeskFactory {
    private final ExampleContactCenter center;
    private final ScheduledExecutorService scheduler;
    private final ExampleSettings settings;

    @Inject
    ExampleServiceDeskFactory(ExampleContactCenter center, ScheduledExecutorService scheduler, ExampleSettings settings) {
        this.center = requireNonNull(center, "center is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        return new ExampleServiceDesk(center, scheduler, settings, context);
    }

    @Override
    public Set<Capability> capabilities() {
        return ExampleServiceDesk.CAPABILITIES;
    }
}

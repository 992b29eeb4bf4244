package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Creates an {@link ExampleServiceDesk} per chat, all sharing the one {@link ExampleContactCenter}, the scheduler and
 * the worker pool (which reads the files users send).
 */
final class ExampleServiceDeskFactory implements ServiceDeskFactory {
    private final ExampleContactCenter center;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final ExampleSettings settings;

    @Inject
    ExampleServiceDeskFactory(ExampleContactCenter center, ScheduledExecutorService scheduler, ExecutorService workers,
            ExampleSettings settings) {
        this.center = requireNonNull(center, "center is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        return new ExampleServiceDesk(center, scheduler, workers, settings, context);
    }

    @Override
    public Set<Capability> capabilities() {
        return ExampleServiceDesk.CAPABILITIES;
    }
}

package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Creates one {@link TemplateServiceDesk} per chat, on its own lane over the shared threads; does no I/O. */
@Singleton
public final class TemplateServiceDeskFactory implements ServiceDeskFactory {
    private final TemplateSettings settings;
    private final TemplateVendorClient vendor;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    @Inject
    public TemplateServiceDeskFactory(TemplateSettings settings, TemplateVendorClient vendor, ExecutorService workers,
            ScheduledExecutorService scheduler) {
        this.settings = requireNonNull(settings, "settings is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    @Override
    public ServiceDesk create(DeskContext context) {
        return new TemplateServiceDesk(context, settings, vendor, new ChatLane(context.chatId(), workers, scheduler));
    }

    @Override
    public Set<Capability> capabilities() {
        return TemplateServiceDesk.CAPABILITIES;
    }
}

package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.deskbridge.desk.support.DeskFactory;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires the {@code template} desk in the child injector of the selected desk. The parent injector provides what every
 * desk shares: {@code Clock}, {@code ScheduledExecutorService}, {@code ExecutorService}, {@code HttpClient},
 * {@code ObjectMapper} and {@code Configuration}. The tests bind a fake vendor in place of the real client
 * ({@code Modules.override}); nothing fake is bound here.
 */
public final class TemplateModule extends AbstractModule {
    private final TemplateSettings settings;

    public TemplateModule(TemplateSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** One desk per chat, each on its own lane over the shared threads; does no I/O. */
    @Provides
    @Singleton
    ServiceDeskFactory factory(TemplateVendorClient vendor, ExecutorService workers, ScheduledExecutorService scheduler) {
        return new DeskFactory(TemplateServiceDesk.CAPABILITIES, workers, scheduler,
                (context, lane) -> new TemplateServiceDesk(context, lane, settings, vendor));
    }

    /**
     * Step 2 (scaffold): the vendor's real client, built on the shared {@code HttpClient} and {@code ObjectMapper} with
     * {@code settings.baseUrl()} and {@code settings.apiKey()}. Step 14 (authentication): the API key stays on this
     * server. Until it is written, selecting the desk fails at start-up, saying so.
     */
    @Provides
    @Singleton
    TemplateVendorClient vendorClient() {
        throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "The template desk has no client for its vendor yet: "
                + "implement TemplateVendorClient over the vendor's API and return it from TemplateModule.vendorClient() "
                + "(step 2 of docs/adding-a-desk.md)");
    }
}

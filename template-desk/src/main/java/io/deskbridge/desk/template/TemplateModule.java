package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.deskbridge.desk.template.fake.FakeTemplateVendor;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.spi.ServiceDeskFactory;

/**
 * Wires the {@code template} desk in the child injector of the selected desk. The parent injector provides what every
 * desk shares: {@code Clock}, {@code ScheduledExecutorService}, {@code ExecutorService}, {@code HttpClient},
 * {@code ObjectMapper} and {@code Configuration}.
 */
public final class TemplateModule extends AbstractModule {
    private final TemplateSettings settings;

    public TemplateModule(TemplateSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(TemplateSettings.class).toInstance(settings);
        // Step 2 (scaffold): bind the vendor's real client here, built on the shared HttpClient and ObjectMapper, with
        // settings.baseUrl() and settings.apiKey(). Step 14 (authentication): the API key stays on this server.
        // The fake stays useful in tests: bind it there with Modules.override(..).
        bind(FakeTemplateVendor.class).in(Singleton.class);
        bind(TemplateVendorClient.class).to(FakeTemplateVendor.class);
        bind(ServiceDeskFactory.class).to(TemplateServiceDeskFactory.class);
    }
}

package io.deskbridge.desk.template;

import com.google.inject.Module;
import com.google.inject.Singleton;
import com.google.inject.util.Modules;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.desk.template.fake.FakeTemplateVendor;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.spi.Capability;
import java.util.Set;

/**
 * The {@code template} desk as registered, with the fake vendor bound in place of the real client: what the tests
 * hand to deskbridge. Not registered for {@code ServiceLoader}: the real provider is.
 */
final class FakeVendorProvider implements ServiceDeskProvider {
    private final TemplateServiceDeskProvider desk = new TemplateServiceDeskProvider();

    @Override
    public String name() {
        return desk.name();
    }

    @Override
    public Set<Capability> capabilities() {
        return desk.capabilities();
    }

    @Override
    public Module module(Configuration configuration) {
        return Modules.override(desk.module(configuration)).with(binder -> {
            binder.bind(FakeTemplateVendor.class).in(Singleton.class);
            binder.bind(TemplateVendorClient.class).to(FakeTemplateVendor.class);
        });
    }
}

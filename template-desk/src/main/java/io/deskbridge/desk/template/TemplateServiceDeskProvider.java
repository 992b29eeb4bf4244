package io.deskbridge.desk.template;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import java.util.Set;

/**
 * Registers the {@code template} desk with deskbridge ({@code desk=template}). Cheap to construct: the settings are
 * read, and every problem reported, only when the desk is selected.
 */
@AutoService(ServiceDeskProvider.class)
public final class TemplateServiceDeskProvider implements ServiceDeskProvider {

    /** The desk's name: {@code desk=template} selects it, and its settings are {@code template.*}. */
    public static final String NAME = "template";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return TemplateServiceDesk.CAPABILITIES;
    }

    @Override
    public Module module(Configuration configuration) {
        return new TemplateModule(TemplateSettings.from(configuration));
    }
}

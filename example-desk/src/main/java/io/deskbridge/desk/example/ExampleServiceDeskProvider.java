package io.deskbridge.desk.example;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import java.util.Set;

/**
 * Registers the example desk ({@code desk=example}, the default desk): a simulated contact center with simulated
 * agents inside the JVM. Its settings are the {@code example.*} keys described on {@link ExampleSettings}.
 */
@AutoService(ServiceDeskProvider.class)
public final class ExampleServiceDeskProvider implements ServiceDeskProvider {
    /** The desk's name, its {@code desk=} value and configuration prefix. */
    public static final String NAME = ExampleSettings.PREFIX;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return ExampleServiceDesk.CAPABILITIES;
    }

    @Override
    public Module module(Configuration configuration) {
        return new ExampleModule(ExampleSettings.from(configuration));
    }
}

package io.deskbridge.testkit.reference;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Secret;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.core.Settings;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The reference desk as a plugin, named {@code reference}. Handed to the kit directly (not registered for
 * {@code ServiceLoader}), with the capabilities it declares and, for the kit's own tests, a {@link Defect}.
 * Settings: {@code reference.typingTimeout} (default 10s), {@code reference.vendorPassphrase} (a secret, declared with
 * {@code Settings.secret} although its name does not look secret).
 */
public final class ReferenceServiceDeskProvider implements ServiceDeskProvider {

    private final Set<Capability> capabilities;
    private final Defect defect;

    /** A correct desk that supports everything. */
    public ReferenceServiceDeskProvider() {
        this(EnumSet.allOf(Capability.class), Defect.NONE);
    }

    public ReferenceServiceDeskProvider(Set<Capability> capabilities, Defect defect) {
        this.capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        this.defect = requireNonNull(defect, "defect is null");
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Module module(Configuration configuration) {
        Settings settings = configuration.settings(name());
        Duration typingTimeout = settings.duration("typingTimeout", Duration.ofSeconds(10), Duration.ofMillis(50));
        Optional<Secret> passphrase = settings.secret("vendorPassphrase");
        settings.validate();
        return new AbstractModule() {
            @Provides
            @Singleton
            FakeContactCenter contactCenter(ScheduledExecutorService scheduler) {
                return new FakeContactCenter(scheduler);
            }

            @Provides
            @Singleton
            ServiceDeskFactory factory(FakeContactCenter vendor, ScheduledExecutorService scheduler) {
                return new ServiceDeskFactory() {
                    @Override
                    public ServiceDesk create(DeskContext context) {
                        return new ReferenceServiceDesk(vendor, scheduler, typingTimeout, capabilities, defect, passphrase, context);
                    }

                    @Override
                    public Set<Capability> capabilities() {
                        return capabilities;
                    }
                };
            }
        };
    }
}

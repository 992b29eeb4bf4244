package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.deskbridge.spi.ServiceDeskFactory;

/**
 * Wires the example desk into the desk's child injector. It uses the shared {@code ScheduledExecutorService} and
 * {@code Clock} of the parent injector, and binds:
 * <ul>
 *   <li>{@link ExampleSettings}, as read from the configuration;</li>
 *   <li>{@link ExampleContactCenter}, one per runtime: tests and tools reach it with
 *       {@code deskbridge.getInstance(ExampleContactCenter.class)} to play the agent or inject faults;</li>
 *   <li>{@link ServiceDeskFactory}, creating an {@code ExampleServiceDesk} per chat;</li>
 *   <li>{@link SimulatedAgent}, created eagerly when {@link ExampleSettings#autopilot()} is on.</li>
 * </ul>
 */
public final class ExampleModule extends AbstractModule {
    private final ExampleSettings settings;

    public ExampleModule(ExampleSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(ExampleSettings.class).toInstance(settings);
        bind(ExampleContactCenter.class).in(Singleton.class);
        bind(ServiceDeskFactory.class).to(ExampleServiceDeskFactory.class).in(Singleton.class);
        if (settings.autopilot()) {
            bind(SimulatedAgent.class).asEagerSingleton();
        }
    }
}

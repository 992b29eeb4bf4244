package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A provider of {@link FakeDesk}s that remembers every desk it created and how often its module was asked for. */
final class FakeDeskProvider implements ServiceDeskProvider {
    private final String name;
    private final Set<Capability> capabilities;
    private final List<FakeDesk> desks = new CopyOnWriteArrayList<>();
    private final AtomicInteger modules = new AtomicInteger();
    private volatile Consumer<FakeDesk> onCreate = desk -> {};

    FakeDeskProvider(String name, Set<Capability> capabilities) {
        this.name = requireNonNull(name, "name is null");
        this.capabilities = Set.copyOf(capabilities);
    }

    FakeDeskProvider(String name) {
        this(name, Set.of(Capability.USER_TYPING, Capability.RECONNECT, Capability.AGENT_TYPING, Capability.TRANSFER));
    }

    /** Scripts each new desk before the session uses it. */
    FakeDeskProvider onCreate(Consumer<FakeDesk> script) {
        this.onCreate = requireNonNull(script, "script is null");
        return this;
    }

    List<FakeDesk> desks() {
        return List.copyOf(desks);
    }

    FakeDesk lastDesk() {
        List<FakeDesk> all = desks();
        if (all.isEmpty()) {
            throw new IllegalStateException("no desk was created");
        }
        return all.get(all.size() - 1);
    }

    int moduleCalls() {
        return modules.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Module module(Configuration configuration) {
        modules.incrementAndGet();
        ServiceDeskFactory factory = new ServiceDeskFactory() {
            @Override
            public ServiceDesk create(DeskContext context) {
                FakeDesk desk = new FakeDesk(context, capabilities);
                onCreate.accept(desk);
                desks.add(desk);
                return desk;
            }

            @Override
            public Set<Capability> capabilities() {
                return capabilities;
            }
        };
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(ServiceDeskFactory.class).toInstance(factory);
            }
        };
    }
}

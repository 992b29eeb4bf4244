package io.deskbridge.core;

import com.google.inject.Module;
import io.deskbridge.spi.Capability;
import java.util.Set;

/** A provider with a name and nothing else: selecting it is a test failure, as its module must never be created. */
class NamedProvider implements ServiceDeskProvider {
    private final String name;

    NamedProvider(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Module module(Configuration configuration) {
        throw new AssertionError("the " + name + " desk was not selected, yet its module was created");
    }
}

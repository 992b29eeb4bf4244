package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Starts a {@link VendorSimulator}: found through {@link ServiceLoader} by {@link #name()}, as desks are, so that an
 * application can offer "run against the simulator" for whatever desk jars are on its class path without compiling
 * against any of them.
 */
public interface VendorSimulatorProvider {

    /** The name that selects this simulator, usually its desk's name ({@code genesys}). */
    String name();

    /**
     * Starts the simulator on loopback ports of its own.
     *
     * @param configuration the application's configuration, for the simulator's own choices (for example which of
     *     the desk's transports to point the desk at)
     * @throws ServiceDeskException of kind {@code CONFIGURATION} when the configuration does not fit the simulator
     */
    VendorSimulator start(Configuration configuration);

    /**
     * The provider named {@code name} on the class path of {@code classLoader}.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} when none is, listing those that are, or when a
     *     provider cannot be loaded
     */
    static VendorSimulatorProvider find(String name, ClassLoader classLoader) {
        requireNonNull(name, "name is null");
        List<VendorSimulatorProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(VendorSimulatorProvider.class, classLoader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Cannot load vendor simulators: " + e.getMessage(), e);
        }
        TreeSet<String> known = new TreeSet<>();
        for (VendorSimulatorProvider provider : found) {
            if (provider.name().equals(name)) {
                return provider;
            }
            known.add(provider.name());
        }
        throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "No simulator named '" + name
                + "' is on the class path" + (known.isEmpty() ? " (none is)" : "; known: " + String.join(", ", known)));
    }
}

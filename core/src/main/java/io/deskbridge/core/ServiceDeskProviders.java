package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The desks available to this process, by name. Loading is strict: a provider that cannot be constructed, two
 * providers with one name, or a malformed name fail start-up with a message naming the classes involved, rather than
 * a desk silently missing. No static registry: tests hand providers in with {@link #of(List)}.
 */
public final class ServiceDeskProviders {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final Map<String, ServiceDeskProvider> byName;

    private ServiceDeskProviders(Map<String, ServiceDeskProvider> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Every provider registered for {@link ServiceLoader} on the class path of {@code classLoader}. */
    public static ServiceDeskProviders load(ClassLoader classLoader) {
        List<ServiceDeskProvider> providers = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        Iterator<ServiceDeskProvider> iterator = ServiceLoader.load(ServiceDeskProvider.class, classLoader).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                providers.add(iterator.next());
            } catch (ServiceConfigurationError e) {
                String problem = describe(e);
                if (broken.contains(problem)) {
                    // The loader reports the same failure again (an unreadable registry): it will not move on.
                    break;
                }
                broken.add(problem);
            }
        }
        if (!broken.isEmpty()) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Cannot load service desk providers:\n  - " + String.join("\n  - ", broken)
                            + "\nFix or remove the desk's jar from the class path.");
        }
        return of(providers);
    }

    /** The providers on the class path of this library. */
    public static ServiceDeskProviders load() {
        return load(ServiceDeskProviders.class.getClassLoader());
    }

    /** Exactly these providers. */
    public static ServiceDeskProviders of(List<? extends ServiceDeskProvider> providers) {
        Map<String, ServiceDeskProvider> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ServiceDeskProvider provider : providers) {
            requireNonNull(provider, "provider is null");
            String name = provider.name();
            if (name == null || !NAME.matcher(name).matches()) {
                problems.add(provider.getClass().getName() + " has an invalid desk name '" + name
                        + "' (lower-case letters, digits and '-', starting with a letter, at most 40 characters)");
                continue;
            }
            ServiceDeskProvider previous = byName.putIfAbsent(name, provider);
            if (previous != null) {
                problems.add("two desks are named '" + name + "': " + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        if (!problems.isEmpty()) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Invalid service desk providers:\n  - " + String.join("\n  - ", problems));
        }
        return new ServiceDeskProviders(byName);
    }

    /** The names of the available desks, sorted. */
    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /**
     * The desk called {@code name}.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} listing the known desks if there is none
     */
    public ServiceDeskProvider select(String name) {
        ServiceDeskProvider provider = byName.get(name);
        if (provider == null) {
            String choices = names().isEmpty()
                    ? "no desk is on the class path: add a desk's jar, for example deskbridge-example-desk"
                    : "set desk to one of: " + String.join(", ", names());
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "Unknown desk '" + name + "' (" + choices + ")");
        }
        return provider;
    }

    private static String describe(ServiceConfigurationError error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" caused by ").append(cause);
        }
        return text.toString();
    }
}

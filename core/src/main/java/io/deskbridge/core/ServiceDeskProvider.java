package io.deskbridge.core;

import com.google.inject.Module;
import io.deskbridge.spi.Capability;
import java.util.Set;

/**
 * A desk as a plugin: the one type a desk module registers for {@link java.util.ServiceLoader}, with
 * {@code @AutoService(ServiceDeskProvider.class)}.
 *
 * <p>Construction is cheap and does no I/O: every provider on the class path is constructed at start-up, but only
 * the selected desk's {@link #module(Configuration)} is created. The module reads the desk's settings (its own key
 * prefix, {@code name() + "."}), reporting every problem at once through {@link Settings}, and binds a
 * {@link io.deskbridge.spi.ServiceDeskFactory}. It is installed in a child injector whose parent holds the shared
 * infrastructure ({@link java.time.Clock}, {@link java.util.concurrent.ScheduledExecutorService},
 * {@link java.util.concurrent.ExecutorService}, {@link java.net.http.HttpClient},
 * {@link com.fasterxml.jackson.databind.ObjectMapper}, {@link Configuration}).
 */
public interface ServiceDeskProvider {

    /** The desk's unique, lower-case name, used as {@code desk=NAME} and as its configuration prefix. */
    String name();

    /** What the desk supports in its default configuration, known without starting it. */
    Set<Capability> capabilities();

    /**
     * What the desk supports when configured by {@code configuration}: what its factory will declare. Defaults to
     * {@link #capabilities()}; a desk whose capabilities depend on its settings (a choice of vendor transport,
     * optional credentials) overrides it. Reads only, does no I/O and does not fail: a malformed setting, which
     * {@link #module(Configuration)} reports, falls back to the default.
     */
    default Set<Capability> capabilities(Configuration configuration) {
        return capabilities();
    }

    /**
     * Which of the desk's vendor transports {@code configuration} selects, for the {@code transport} tag of its
     * metrics (lower case, such as {@code web-messaging}). Defaults to {@code default}, for a desk with one transport.
     * Reads only, does no I/O and does not fail: a malformed setting falls back to the default transport.
     */
    default String transport(Configuration configuration) {
        return "default";
    }

    /**
     * The Guice module that wires the desk with its settings read from {@code configuration}.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} naming every missing, malformed
     *     or unknown key under the desk's prefix
     */
    Module module(Configuration configuration);
}

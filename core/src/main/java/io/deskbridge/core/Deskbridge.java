package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import io.deskbridge.core.metrics.ChatMetrics;
import io.deskbridge.core.metrics.DeskTags;
import io.deskbridge.core.metrics.MicrometerDeskMetrics;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of one process: the selected desk, wired, and the factory of {@link ChatSession}s.
 *
 * <pre>{@code
 * try (Deskbridge deskbridge = Deskbridge.builder().configuration(Configuration.load(args, Map.of())).build()) {
 *     ChatSession chat = deskbridge.openChat("chat-1", myCallback);
 *     chat.startChat(ConnectRequest.of("billing", "The user asks about an invoice"), StartChatOptions.none());
 * }
 * }</pre>
 *
 * <p>Start-up is eager: the desk named by {@code desk} (default {@value #DEFAULT_DESK}) is looked up among the
 * {@link ServiceDeskProvider}s, its settings are validated (every problem reported at once), and its module is
 * installed in a child injector of the shared infrastructure. Only the selected desk's module is created.
 * Thread-safe; close it to stop the shared threads it owns.
 */
public final class Deskbridge implements AutoCloseable {
    /** The desk used when {@code desk} is not configured. */
    public static final String DEFAULT_DESK = "example";

    private static final Logger LOG = LoggerFactory.getLogger(Deskbridge.class);

    private final Configuration configuration;
    private final ServiceDeskProvider provider;
    private final Injector deskInjector;
    private final ServiceDeskFactory factory;
    private final SessionSettings sessionSettings;
    private final SharedThreads ownedThreads;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CompositeMeterRegistry meters;
    private final ChatMetrics chatMetrics;
    private final DeskMetrics deskMetrics;

    private Deskbridge(Builder builder) {
        this.configuration = builder.configuration;
        ServiceDeskProviders providers = builder.providers != null ? builder.providers : ServiceDeskProviders.load();
        String deskName = configuration.desk().orElse(DEFAULT_DESK);
        this.provider = providers.select(deskName);

        Settings core = configuration.settings("deskbridge");
        this.sessionSettings = SessionSettings.read(core);
        int httpBufferSize = core.integer("httpBufferSize", HttpClientBuffers.DEFAULT_BYTES, 512, 1 << 20);
        core.validate();
        // Before the first HTTP client of the runtime exists: the JDK reads its read buffer size once.
        HttpClientBuffers.apply(httpBufferSize);

        // A composite: meters work as no-ops until a registry is added (the web chat adds its Prometheus one).
        this.meters = new CompositeMeterRegistry();
        builder.meterRegistries.forEach(meters::add);
        DeskTags tags = new DeskTags(provider.name(), provider.transport(configuration));
        this.chatMetrics = new ChatMetrics(meters, tags);
        this.deskMetrics = new MicrometerDeskMetrics(meters, tags);

        this.ownedThreads = SharedThreads.create(sessionSettings.schedulerThreads(), sessionSettings.workerThreads());
        try {
            Module infrastructure = new CoreModule(configuration, ownedThreads, meters, deskMetrics);
            if (!builder.overrides.isEmpty()) {
                infrastructure = Modules.override(infrastructure).with(builder.overrides);
            }
            Injector parent = Guice.createInjector(Stage.PRODUCTION, infrastructure);
            Module deskModule = provider.module(configuration);
            this.deskInjector = parent.createChildInjector(deskModule);
            this.factory = deskInjector.getInstance(ServiceDeskFactory.class);
            this.workers = parent.getInstance(ExecutorService.class);
            this.scheduler = parent.getInstance(ScheduledExecutorService.class);
            this.clock = parent.getInstance(Clock.class);
        } catch (RuntimeException e) {
            ownedThreads.close();
            throw wiringFailure(provider.name(), e);
        }
        Set<Capability> announced = provider.capabilities(configuration);
        if (!announced.equals(factory.capabilities())) {
            LOG.warn("desk={} announces capabilities {} for this configuration but its factory declares {}",
                    provider.name(), announced, factory.capabilities());
        }
        LOG.info("deskbridge started with desk={} capabilities={}", provider.name(), factory.capabilities());
    }

    /**
     * The exception to report for a failure while wiring the desk: the desk's own {@link ServiceDeskException} (also
     * when Guice wraps it), or a {@code CONFIGURATION} error naming the desk.
     */
    private static ServiceDeskException wiringFailure(String deskName, RuntimeException failure) {
        if (failure instanceof ServiceDeskException sde) {
            return sde;
        }
        boolean fromGuice = failure instanceof com.google.inject.CreationException
                || failure instanceof com.google.inject.ConfigurationException
                || failure instanceof com.google.inject.ProvisionException;
        if (fromGuice && failure.getCause() instanceof ServiceDeskException sde) {
            return sde;
        }
        return new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                "Cannot wire the " + deskName + " desk: " + failure.getMessage(), failure);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration this runtime was built with. */
    public Configuration configuration() {
        return configuration;
    }

    /** The selected desk's name ({@code example}, {@code genesys}…). */
    public String deskName() {
        return provider.name();
    }

    /** What the selected desk supports. */
    public Set<Capability> capabilities() {
        return factory.capabilities();
    }

    /** The settings every session of this runtime uses. */
    public SessionSettings sessionSettings() {
        return sessionSettings;
    }

    /**
     * An object from the selected desk's injector (for tests and tools that drive the desk's vendor side, and for
     * the shared infrastructure: {@code Clock}, {@code ObjectMapper}, {@code HttpClient}…).
     */
    public <T> T getInstance(Class<T> type) {
        return deskInjector.getInstance(type);
    }

    /**
     * Where this runtime's meters are registered: chats, messages and the desk's vendor metrics (see
     * {@link ChatMetrics} and {@link MicrometerDeskMetrics}), tagged with the desk and its transport. A composite:
     * {@link CompositeMeterRegistry#add add} a registry to publish them (meters already registered follow).
     */
    public CompositeMeterRegistry meterRegistry() {
        return meters;
    }

    /** The facade the desk's chats and shared clients report their vendor's requests through. */
    public DeskMetrics deskMetrics() {
        return deskMetrics;
    }

    /** A new chat on a fresh desk (rule 1). Nothing is sent to the vendor until {@link ChatSession#startChat}. */
    public ChatSession openChat(String chatId, ServiceDeskCallback callback) {
        return new ChatSession(chatId, factory, callback, Optional.empty(), workers, scheduler, clock, sessionSettings,
                chatMetrics, deskMetrics);
    }

    /**
     * A session for a chat an earlier desk instance (perhaps in another process) ran, created with the state that
     * desk last persisted. Call {@link ChatSession#reconnect()} next.
     */
    public ChatSession resumeChat(String chatId, PersistedState state, ServiceDeskCallback callback) {
        requireNonNull(state, "state is null");
        return new ChatSession(chatId, factory, callback, Optional.of(state), workers, scheduler, clock, sessionSettings,
                chatMetrics, deskMetrics);
    }

    @Override
    public void close() {
        ownedThreads.close();
    }

    /** Builds a {@link Deskbridge}. */
    public static final class Builder {
        private Configuration configuration = Configuration.empty();
        private ServiceDeskProviders providers;
        private final List<Module> overrides = new ArrayList<>();
        private final List<MeterRegistry> meterRegistries = new ArrayList<>();

        private Builder() {}

        /** Where {@code desk} and every setting come from (default: empty, so the example desk). */
        public Builder configuration(Configuration configuration) {
            this.configuration = requireNonNull(configuration, "configuration is null");
            return this;
        }

        /** The desks to choose from (default: those on the class path, through {@link java.util.ServiceLoader}). */
        public Builder providers(ServiceDeskProviders providers) {
            this.providers = requireNonNull(providers, "providers is null");
            return this;
        }

        /**
         * Replaces shared infrastructure (for example a virtual {@code Clock} and {@code ScheduledExecutorService}
         * in tests). May be called more than once.
         */
        public Builder overrideInfrastructure(Module module) {
            overrides.add(requireNonNull(module, "module is null"));
            return this;
        }

        /**
         * Publishes the runtime's meters to {@code registry} too (a Prometheus registry, a test's
         * {@code SimpleMeterRegistry}). May be called more than once; see {@link Deskbridge#meterRegistry()}.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            meterRegistries.add(requireNonNull(registry, "registry is null"));
            return this;
        }

        /**
         * @throws ServiceDeskException of kind {@code CONFIGURATION} naming every problem of the configuration
         */
        public Deskbridge build() {
            return new Deskbridge(this);
        }
    }
}

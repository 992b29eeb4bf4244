package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.deskbridge.spi.DeskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The parent injector's bindings: the infrastructure every desk shares. Tests replace any of it with
 * {@link Deskbridge.Builder#overrideInfrastructure(com.google.inject.Module)}.
 */
final class CoreModule extends AbstractModule {
    private final Configuration configuration;
    private final SharedThreads threads;
    private final MeterRegistry meters;
    private final DeskMetrics deskMetrics;

    CoreModule(Configuration configuration, SharedThreads threads, MeterRegistry meters, DeskMetrics deskMetrics) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.deskMetrics = requireNonNull(deskMetrics, "deskMetrics is null");
    }

    @Override
    protected void configure() {
        bind(Configuration.class).toInstance(configuration);
        bind(Clock.class).toInstance(Clock.systemUTC());
        // Tasks carry the chat id of the thread that submitted them into the log MDC (ChatLogContext).
        bind(ScheduledExecutorService.class).toInstance(ChatContextExecutors.propagating(threads.scheduler()));
        bind(ExecutorService.class).toInstance(ChatContextExecutors.propagating(threads.workers()));
        // Shared vendor clients of a desk report through the same facade as its chats (DeskContext.metrics()).
        bind(MeterRegistry.class).toInstance(meters);
        bind(DeskMetrics.class).toInstance(deskMetrics);
    }

    @Provides
    @Singleton
    HttpClient httpClient(ExecutorService workers) {
        // One client for every chat: it shares one selector thread and the worker pool, never a thread per chat.
        return HttpClient.newBuilder()
                .executor(workers)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return newObjectMapper();
    }

    /** The JSON mapper deskbridge uses everywhere: records, {@code Optional}, {@code java.time}, lenient on unknown fields. */
    static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}

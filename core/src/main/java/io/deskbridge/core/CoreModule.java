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

    CoreModule(Configuration configuration, SharedThreads threads) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.threads = requireNonNull(threads, "threads is null");
    }

    @Override
    protected void configure() {
        bind(Configuration.class).toInstance(configuration);
        bind(Clock.class).toInstance(Clock.systemUTC());
        bind(ScheduledExecutorService.class).toInstance(threads.scheduler());
        bind(ExecutorService.class).toInstance(threads.workers());
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

package io.deskbridge.core;

import static io.deskbridge.core.ConfigurationErrors.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Deskbridge")
class DeskbridgeTest {

    static Deskbridge build(Map<String, String> configuration, ServiceDeskProvider... providers) {
        return Deskbridge.builder().configuration(Configuration.of(configuration)).providers(ServiceDeskProviders.of(List.of(providers))).build();
    }

    /** A desk that reads its settings as real desks do: in module(), or inside the Guice module. */
    static final class StrictProvider implements ServiceDeskProvider {
        private final boolean validateInsideGuice;

        StrictProvider(boolean validateInsideGuice) {
            this.validateInsideGuice = validateInsideGuice;
        }

        @Override
        public String name() {
            return "strict";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public Module module(Configuration configuration) {
            Runnable read = () -> {
                Settings settings = configuration.settings("strict");
                settings.requiredString("queue");
                settings.integer("agents", 1, 1, 5);
                settings.validate();
            };
            if (!validateInsideGuice) {
                read.run();
            }
            return new AbstractModule() {
                @Override
                protected void configure() {
                    read.run();
                }
            };
        }
    }

    @Nested
    @DisplayName("selecting the desk")
    class Selection {

        @Test
        @DisplayName("only the selected desk's module is created")
        void onlySelected() {
            FakeDeskProvider alpha = new FakeDeskProvider("alpha");
            try (Deskbridge deskbridge = build(Map.of("desk", "alpha"), alpha, new NamedProvider("beta"))) {
                assertThat(deskbridge.deskName()).isEqualTo("alpha");
                assertThat(alpha.moduleCalls()).isEqualTo(1);
                assertThat(deskbridge.capabilities()).isEqualTo(alpha.capabilities());
            }
        }

        @Test
        @DisplayName("without desk, the example desk is used")
        void defaultsToExample() {
            FakeDeskProvider example = new FakeDeskProvider("example");
            try (Deskbridge deskbridge = build(Map.of(), new NamedProvider("other"), example)) {
                assertThat(deskbridge.deskName()).isEqualTo(Deskbridge.DEFAULT_DESK).isEqualTo("example");
                assertThat(example.moduleCalls()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("without desk and without the example desk, the error lists the known desks")
        void defaultAbsent() {
            assertThat(configurationError(() -> build(Map.of(), new NamedProvider("alpha"), new NamedProvider("beta"))))
                    .hasMessageContaining("Unknown desk 'example'").hasMessageContaining("alpha, beta");
        }

        @Test
        @DisplayName("an unknown desk fails listing the known ones; the desk name is not case-sensitive")
        void unknownDesk() {
            assertThat(configurationError(() -> build(Map.of("desk", "genesys"), new NamedProvider("alpha"))))
                    .hasMessageContaining("Unknown desk 'genesys'").hasMessageContaining("alpha");
            try (Deskbridge deskbridge = build(Map.of("desk", "ALPHA"), new FakeDeskProvider("alpha"))) {
                assertThat(deskbridge.deskName()).isEqualTo("alpha");
            }
        }
    }

    @Nested
    @DisplayName("configuration errors")
    class ConfigurationErrors {

        @Test
        @DisplayName("a desk's settings error in module() surfaces as CONFIGURATION with the desk's message")
        void inModule() {
            assertThat(configurationError(() -> build(Map.of("desk", "strict", "strict.agents", "nine"), new StrictProvider(false))))
                    .hasMessageContaining("strict.queue is required").hasMessageContaining("strict.agents must be a whole number");
        }

        @Test
        @DisplayName("a desk's settings error inside its Guice module surfaces the same way")
        void inGuiceModule() {
            assertThat(configurationError(() -> build(Map.of("desk", "strict"), new StrictProvider(true))))
                    .hasMessageStartingWith("Invalid strict configuration").hasMessageContaining("strict.queue is required");
        }

        @Test
        @DisplayName("a desk module that does not bind ServiceDeskFactory fails naming the desk")
        void unbound() {
            ServiceDeskProvider empty = new NamedProvider("empty") {
                @Override
                public Module module(Configuration configuration) {
                    return binder -> {};
                }
            };
            assertThat(configurationError(() -> build(Map.of("desk", "empty"), empty)))
                    .hasMessageContaining("Cannot wire the empty desk").hasMessageContaining("ServiceDeskFactory");
        }

        @Test
        @DisplayName("a desk factory that fails when Guice creates it surfaces with the desk's message")
        void factoryFails() {
            ServiceDeskProvider failing = new NamedProvider("failing") {
                @Override
                public Module module(Configuration configuration) {
                    return binder -> binder.bind(ServiceDeskFactory.class).toProvider(() -> {
                        throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "failing.region 'mars' is not a region");
                    });
                }
            };
            assertThat(configurationError(() -> build(Map.of("desk", "failing"), failing))).hasMessage("failing.region 'mars' is not a region");
        }

        @Test
        @DisplayName("any other failure while wiring the desk is a CONFIGURATION error naming the desk")
        void otherFailure() {
            ServiceDeskProvider broken = new NamedProvider("broken") {
                @Override
                public Module module(Configuration configuration) {
                    throw new IllegalStateException("template file missing");
                }
            };
            ServiceDeskException e = configurationError(() -> build(Map.of("desk", "broken"), broken));
            assertThat(e).hasMessageContaining("Cannot wire the broken desk").hasMessageContaining("template file missing");
            assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("malformed deskbridge.* settings fail naming each key")
        void sessionSettings() {
            assertThat(configurationError(() -> build(Map.of("desk", "alpha", "deskbridge.workerThreads", "0",
                    "deskbridge.agentTypingTimeout", "10ms", "deskbridge.unknown", "x"), new NamedProvider("alpha"))))
                    .hasMessageContaining("deskbridge.workerThreads must be between 1 and 512")
                    .hasMessageContaining("deskbridge.agentTypingTimeout must be at least 100ms")
                    .hasMessageContaining("deskbridge.unknown is not a known setting");
        }

        @Test
        @DisplayName("deskbridge.* settings are read")
        void sessionSettingsRead() {
            try (Deskbridge deskbridge = build(Map.of("desk", "alpha", "deskbridge.agentTypingTimeout", "20s",
                    "deskbridge.userTypingInterval", "2s", "deskbridge.workerThreads", "3"), new FakeDeskProvider("alpha"))) {
                assertThat(deskbridge.sessionSettings()).isEqualTo(new SessionSettings(Duration.ofSeconds(20), Duration.ofSeconds(2), 1, 3));
            }
        }
    }

    @Nested
    @DisplayName("shared infrastructure")
    class Infrastructure {

        @Test
        @DisplayName("is bound in the parent injector and reachable from the desk's injector")
        void bound() {
            Configuration configuration = Configuration.of(Map.of("desk", "alpha"));
            try (Deskbridge deskbridge = Deskbridge.builder().configuration(configuration)
                    .providers(ServiceDeskProviders.of(List.of(new FakeDeskProvider("alpha")))).build()) {
                assertThat(deskbridge.getInstance(Configuration.class)).isSameAs(configuration).isSameAs(deskbridge.configuration());
                assertThat(deskbridge.getInstance(Clock.class).getZone()).isEqualTo(Clock.systemUTC().getZone());
                assertThat(deskbridge.getInstance(HttpClient.class)).isSameAs(deskbridge.getInstance(HttpClient.class));
                assertThat(deskbridge.getInstance(ObjectMapper.class)).isSameAs(deskbridge.getInstance(ObjectMapper.class));
                assertThat(deskbridge.getInstance(ScheduledExecutorService.class)).isNotNull();
                assertThat(deskbridge.getInstance(ExecutorService.class)).isNotNull();
            }
        }

        @Test
        @DisplayName("overrideInfrastructure replaces the clock and the scheduler, for the desk and the sessions")
        void overridden() {
            ManualClock clock = new ManualClock();
            ManualScheduler scheduler = new ManualScheduler(clock);
            FakeDeskProvider alpha = new FakeDeskProvider("alpha");
            try (Deskbridge deskbridge = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "alpha")))
                    .providers(ServiceDeskProviders.of(List.of(alpha)))
                    .overrideInfrastructure(binder -> binder.bind(Clock.class).toInstance(clock))
                    .overrideInfrastructure(binder -> binder.bind(ScheduledExecutorService.class).toInstance(scheduler))
                    .build()) {
                assertThat(deskbridge.getInstance(Clock.class)).isSameAs(clock);
                assertThat(deskbridge.getInstance(ScheduledExecutorService.class)).isSameAs(scheduler);

                ChatSession chat = deskbridge.openChat("virtual", new RecordingApplication().callback());
                chat.startChat(ConnectRequest.empty(), StartChatOptions.none());
                alpha.lastDesk().callback().agentTyping(true);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (scheduler.pending() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(scheduler.pending()).as("the typing timer is on the virtual scheduler").isEqualTo(1);
            }
        }

        @Test
        @DisplayName("the JSON mapper writes Optional and java.time as values, and ignores unknown fields")
        void objectMapper() throws Exception {
            ObjectMapper mapper = CoreModule.newObjectMapper();
            record Sample(Optional<String> name, Instant at) {}

            String json = mapper.writeValueAsString(new Sample(Optional.of("x"), Instant.parse("2024-05-01T09:00:00Z")));

            assertThat(json).isEqualTo("{\"name\":\"x\",\"at\":\"2024-05-01T09:00:00Z\"}");
            assertThat(mapper.readValue("{\"name\":null,\"at\":\"2024-05-01T09:00:00Z\",\"extra\":1}", Sample.class).name()).isEmpty();
        }
    }

    @Test
    @DisplayName("close() stops the worker and scheduler threads it owns")
    void closeStopsThreads() throws Exception {
        FakeDeskProvider alpha = new FakeDeskProvider("alpha");
        Deskbridge deskbridge = build(Map.of("desk", "alpha"), alpha);
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        CompletableFuture<Thread> timer = new CompletableFuture<>();
        deskbridge.getInstance(ExecutorService.class).execute(() -> worker.complete(Thread.currentThread()));
        deskbridge.getInstance(ScheduledExecutorService.class).schedule(() -> timer.complete(Thread.currentThread()), 1, TimeUnit.MILLISECONDS);
        List<Thread> threads = List.of(worker.get(10, TimeUnit.SECONDS), timer.get(10, TimeUnit.SECONDS));
        assertThat(threads).extracting(Thread::getName).allMatch(name -> name.startsWith("deskbridge-"));
        assertThat(threads).allMatch(Thread::isDaemon);

        deskbridge.close();

        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("%s alive after close()", thread.getName()).isFalse();
        }
        assertThat(deskbridge.getInstance(ExecutorService.class).isShutdown()).isTrue();
    }
}

package io.deskbridge.core;

import static io.deskbridge.core.ConfigurationErrors.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ServiceDeskProviders")
class ServiceDeskProvidersTest {

    /**
     * A class loader that sees the test classes and one extra registry, {@code providers/NAME/META-INF/services/...}
     * from the test resources, so that a broken registry never reaches the other tests' class path.
     */
    static URLClassLoader registry(String name) {
        URL root = ServiceDeskProvidersTest.class.getResource("/providers/" + name + "/");
        assertThat(root).as("test registry %s", name).isNotNull();
        return new URLClassLoader(new URL[] {root}, ServiceDeskProvidersTest.class.getClassLoader());
    }

    @Test
    @DisplayName("two providers with one name fail, naming both classes")
    void duplicateNames() {
        assertThat(configurationError(() -> ServiceDeskProviders.of(List.of(new WorkingProvider(), new SameNameProvider()))))
                .hasMessageContaining("two desks are named 'working'")
                .hasMessageContaining(WorkingProvider.class.getName())
                .hasMessageContaining(SameNameProvider.class.getName());
    }

    @Test
    @DisplayName("an unknown desk fails, listing the known ones")
    void unknownDesk() {
        ServiceDeskProviders providers = ServiceDeskProviders.of(List.of(new OtherProvider(), new WorkingProvider()));

        assertThat(configurationError(() -> providers.select("genesys")))
                .hasMessageContaining("Unknown desk 'genesys'").hasMessageContaining("set desk to one of: other, working");
        assertThat(providers.names()).containsExactly("other", "working");
        assertThat(providers.select("working")).isInstanceOf(WorkingProvider.class);
    }

    @Test
    @DisplayName("with no desk at all, the error says so and what to add")
    void noDesk() {
        assertThat(configurationError(() -> ServiceDeskProviders.of(List.of()).select("example")))
                .hasMessageContaining("Unknown desk 'example'").hasMessageContaining("no desk is on the class path");
    }

    @Test
    @DisplayName("invalid names fail, naming the class and the rule for names")
    void invalidNames() {
        ServiceDeskException e = configurationError(() -> ServiceDeskProviders.of(List.of(
                new NamedProvider("Genesys"), new NamedProvider("9lives"), new NamedProvider(null), new NamedProvider("a".repeat(41)))));

        assertThat(e).hasMessageContaining("invalid desk name 'Genesys'").hasMessageContaining("invalid desk name '9lives'")
                .hasMessageContaining("invalid desk name 'null'").hasMessageContaining(NamedProvider.class.getName())
                .hasMessageContaining("lower-case letters");
        assertThat(ServiceDeskProviders.of(List.of(new NamedProvider("my-desk2"))).names()).containsExactly("my-desk2");
    }

    @Test
    @DisplayName("load() finds the registered providers")
    void loads() throws IOException {
        try (URLClassLoader loader = registry("working")) {
            assertThat(ServiceDeskProviders.load(loader).names()).containsExactly("other", "working");
        }
    }

    @Test
    @DisplayName("load() reports a provider that cannot be constructed or found, rather than dropping it")
    void brokenProvider() throws IOException {
        try (URLClassLoader loader = registry("broken")) {
            ServiceDeskException e = configurationError(() -> ServiceDeskProviders.load(loader));

            assertThat(e).hasMessageContaining("Cannot load service desk providers")
                    .hasMessageContaining(BrokenProvider.class.getName())
                    .hasMessageContaining("cannot be built without its licence file")
                    .hasMessageContaining("io.deskbridge.core.NoSuchProvider")
                    .hasMessageContaining("Fix or remove the desk's jar");
        }
    }

    @Test
    @DisplayName("load() applies the duplicate check to registered providers")
    void duplicateRegistered() throws IOException {
        try (URLClassLoader loader = registry("duplicate")) {
            assertThat(configurationError(() -> ServiceDeskProviders.load(loader)))
                    .hasMessageContaining(WorkingProvider.class.getName()).hasMessageContaining(SameNameProvider.class.getName());
        }
    }

    @Test
    @DisplayName("load() on this module's own class path finds no desk (core registers none)")
    void coreRegistersNone() {
        assertThat(ServiceDeskProviders.load().names()).isEmpty();
    }

    public static class WorkingProvider extends NamedProvider {
        public WorkingProvider() {
            super("working");
        }
    }

    public static class OtherProvider extends NamedProvider {
        public OtherProvider() {
            super("other");
        }
    }

    public static class SameNameProvider extends NamedProvider {
        public SameNameProvider() {
            super("working");
        }
    }

    public static class BrokenProvider extends NamedProvider {
        public BrokenProvider() {
            super(fail());
        }

        private static String fail() {
            throw new IllegalStateException("cannot be built without its licence file");
        }
    }
}

package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.spi.ServiceDeskException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Vendor simulators found by name")
class VendorSimulatorProviderTest {

    /** A simulator that holds nothing: enough to be found and started. */
    public static final class LoopbackSimulatorProvider implements VendorSimulatorProvider {
        @Override
        public String name() {
            return "loopback";
        }

        @Override
        public VendorSimulator start(Configuration configuration) {
            return new VendorSimulator() {
                @Override
                public String desk() {
                    return "example";
                }

                @Override
                public Map<String, String> deskbridgeConfiguration() {
                    return Map.of("desk", "example", "example.joinDelay", configuration.get("loopback.delay").orElse("1s"));
                }

                @Override
                public Optional<URI> agentConsoleUrl() {
                    return Optional.empty();
                }

                @Override
                public void printInstructions(PrintStream out) {
                    out.println("loopback simulator");
                }

                @Override
                public void close() {}
            };
        }
    }

    @Test
    @DisplayName("a registered simulator is found by its name and started with the application's configuration")
    void found() throws Exception {
        try (URLClassLoader loader = ServiceDeskProvidersTest.registry("simulators")) {
            VendorSimulatorProvider provider = VendorSimulatorProvider.find("loopback", loader);
            assertThat(provider).isInstanceOf(LoopbackSimulatorProvider.class);
            try (VendorSimulator simulator = provider.start(Configuration.of(Map.of("loopback.delay", "2s")))) {
                assertThat(simulator.deskbridgeConfiguration()).containsEntry("example.joinDelay", "2s");
            }
        }
    }

    @Test
    @DisplayName("an unknown name is a configuration error listing the simulators there are, or saying there are none")
    void unknown() throws Exception {
        try (URLClassLoader loader = ServiceDeskProvidersTest.registry("simulators")) {
            assertThatThrownBy(() -> VendorSimulatorProvider.find("avaya", loader))
                    .isInstanceOf(ServiceDeskException.class)
                    .hasMessage("No simulator named 'avaya' is on the class path; known: loopback")
                    .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION));
        }
        assertThatThrownBy(() -> VendorSimulatorProvider.find("avaya", VendorSimulatorProviderTest.class.getClassLoader()))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessage("No simulator named 'avaya' is on the class path (none is)");
    }
}

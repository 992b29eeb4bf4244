package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ServiceDeskException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example desk as a plugin")
class ExampleServiceDeskProviderTest {

    @Test
    @DisplayName("ServiceLoader finds it under the name example")
    void foundByServiceLoader() {
        ServiceDeskProviders providers = ServiceDeskProviders.load();

        assertThat(providers.names()).contains("example");
        assertThat(providers.select("example")).isInstanceOf(ExampleServiceDeskProvider.class);
    }

    @Test
    @DisplayName("it declares every capability")
    void capabilities() {
        assertThat(new ExampleServiceDeskProvider().capabilities())
                .containsExactlyInAnyOrder(Capability.values());
    }

    @Test
    @DisplayName("it is the default desk, with the simulated agent on")
    void defaultDesk() {
        try (Deskbridge deskbridge = Deskbridge.builder().build()) {
            assertThat(deskbridge.deskName()).isEqualTo("example");
            assertThat(deskbridge.getInstance(SimulatedAgent.class)).isNotNull();
            assertThat(deskbridge.getInstance(ExampleContactCenter.class)).isSameAs(deskbridge.getInstance(ExampleContactCenter.class));
        }
    }

    @Test
    @DisplayName("a bad example.* key stops the runtime from starting, naming the key")
    void badConfigurationStopsStartUp() {
        assertThatThrownBy(() -> Deskbridge.builder().configuration(Configuration.of(Map.of("example.typingPause", "fast"))).build())
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("example.typingPause");
    }
}

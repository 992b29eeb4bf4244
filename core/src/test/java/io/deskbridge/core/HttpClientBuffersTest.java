package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("deskbridge.httpBufferSize: the JDK HTTP client's buffers")
class HttpClientBuffersTest {
    private static final List<String> PROPERTIES = List.of(HttpClientBuffers.READ, HttpClientBuffers.WEBSOCKET_WRITE,
            HttpClientBuffers.WEBSOCKET_ENCODER);
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        PROPERTIES.forEach(System::clearProperty);
    }

    @AfterEach
    void restore() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    @DisplayName("sets the read, WebSocket write and WebSocket encoder sizes the JVM does not set, and keeps those it does")
    void setsWhatTheJvmDoesNot() {
        System.setProperty(HttpClientBuffers.WEBSOCKET_WRITE, "8192");

        Map<String, Integer> inEffect = HttpClientBuffers.apply(1024);

        assertThat(inEffect).containsEntry(HttpClientBuffers.READ, 1024).containsEntry(HttpClientBuffers.WEBSOCKET_WRITE, 8192)
                .containsEntry(HttpClientBuffers.WEBSOCKET_ENCODER, 1024);
        assertThat(System.getProperty(HttpClientBuffers.READ)).isEqualTo("1024");
        assertThat(System.getProperty(HttpClientBuffers.WEBSOCKET_WRITE)).isEqualTo("8192");
    }

    @Test
    @DisplayName("the runtime applies deskbridge.httpBufferSize as it starts; a size under 512 bytes is refused by name")
    void fromConfiguration() {
        try (Deskbridge runtime = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "fake", "deskbridge.httpBufferSize", "4096")))
                .providers(ServiceDeskProviders.of(List.of(new FakeDeskProvider("fake")))).build()) {
            assertThat(System.getProperty(HttpClientBuffers.WEBSOCKET_ENCODER)).isEqualTo("4096");
        }
        assertThatThrownBy(() -> Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "fake", "deskbridge.httpBufferSize", "100")))
                .providers(ServiceDeskProviders.of(List.of(new FakeDeskProvider("fake")))).build())
                .hasMessageContaining("deskbridge.httpBufferSize");
    }
}

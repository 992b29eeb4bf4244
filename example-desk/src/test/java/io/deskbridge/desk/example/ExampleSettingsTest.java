package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.spi.ServiceDeskException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example.* settings")
class ExampleSettingsTest {

    @Test
    @DisplayName("with no key set, every setting has its documented default")
    void defaults() {
        assertThat(ExampleSettings.from(Configuration.empty())).isEqualTo(ExampleSettings.defaults());
        assertThat(ExampleSettings.defaults().joinDelay()).isEqualTo(Duration.ofSeconds(6));
        assertThat(ExampleSettings.defaults().autopilot()).isTrue();
    }

    @Test
    @DisplayName("every key is read, in either duration syntax")
    void everyKeyIsRead() {
        ExampleSettings settings = ExampleSettings.from(Configuration.of(Map.ofEntries(
                Map.entry("example.autopilot", "FALSE"),
                Map.entry("example.joinDelay", "1s"),
                Map.entry("example.queueUpdateInterval", "250ms"),
                Map.entry("example.readDelay", "PT0.1S"),
                Map.entry("example.typingPause", "2m"),
                Map.entry("example.transferDelay", "0s"),
                Map.entry("example.reconnectDelay", "5s"),
                Map.entry("example.typingTimeout", "20s"),
                Map.entry("example.connectionRetryInterval", "100ms"),
                Map.entry("example.maxMessageLength", "12"),
                Map.entry("example.fileTypes", "image/*, Text/Plain"),
                Map.entry("example.maxFileSize", "2048"),
                Map.entry("example.chatRetention", "5m"))));

        assertThat(settings).isEqualTo(new ExampleSettings(false, Duration.ofSeconds(1), Duration.ofMillis(250),
                Duration.ofMillis(100), Duration.ofMinutes(2), Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofMillis(100), 12, List.of("image/*", "text/plain"), 2048,
                Duration.ofMinutes(5)));
        assertThat(settings.acceptsFileType("image/webp")).isTrue();
        assertThat(settings.acceptsFileType("text/plain; charset=UTF-8")).isTrue();
        assertThat(settings.acceptsFileType("application/pdf")).isFalse();
    }

    @Test
    @DisplayName("a malformed duration, an out-of-range number and an unknown key are reported together, each by name")
    void everyProblemAtOnce() {
        Configuration configuration = Configuration.of(Map.of(
                "example.joinDelay", "soon",
                "example.maxMessageLength", "0",
                "example.agentCount", "3",
                "example.fileTypes", "image/png, pdf",
                "example.typingPause", "1s"));

        assertThatThrownBy(() -> ExampleSettings.from(configuration))
                .isInstanceOfSatisfying(ServiceDeskException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("example.joinDelay must be a duration")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("example.maxMessageLength must be between 1 and 100000, not 0")
                .hasMessageContaining("example.agentCount is not a known setting")
                .hasMessageContaining("example.fileTypes must list media types such as image/png or image/*, not [pdf]")
                .hasMessageNotContaining("example.typingPause must");
    }

    @Test
    @DisplayName("an interval below 10 ms is refused, so no timer spins")
    void intervalsHaveAFloor() {
        assertThatThrownBy(() -> ExampleSettings.from(Configuration.of(Map.of(
                "example.queueUpdateInterval", "0s",
                "example.connectionRetryInterval", "1ms"))))
                .hasMessageContaining("example.queueUpdateInterval must be at least 10ms")
                .hasMessageContaining("example.connectionRetryInterval must be at least 10ms");
    }

    @Test
    @DisplayName("the record refuses a file type that is not a lower-case media type")
    void fileTypesAreMediaTypes() {
        ExampleSettings d = ExampleSettings.defaults();
        assertThatThrownBy(() -> new ExampleSettings(true, d.joinDelay(), d.queueUpdateInterval(), d.readDelay(), d.typingPause(),
                d.transferDelay(), d.reconnectDelay(), d.typingTimeout(), d.connectionRetryInterval(), 1, List.of("Image/PNG"), 1, d.chatRetention()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Image/PNG");
    }

    @Test
    @DisplayName("the record refuses values no configuration could produce")
    void recordChecksItsValues() {
        ExampleSettings d = ExampleSettings.defaults();
        assertThatThrownBy(() -> new ExampleSettings(true, Duration.ofSeconds(-1), d.queueUpdateInterval(), d.readDelay(),
                d.typingPause(), d.transferDelay(), d.reconnectDelay(), d.typingTimeout(), d.connectionRetryInterval(), 1, d.fileTypes(),
                        d.maxFileSize(), d.chatRetention()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("joinDelay");
        assertThatThrownBy(() -> new ExampleSettings(true, d.joinDelay(), d.queueUpdateInterval(), d.readDelay(),
                d.typingPause(), d.transferDelay(), d.reconnectDelay(), d.typingTimeout(), d.connectionRetryInterval(), 0, d.fileTypes(),
                        d.maxFileSize(), d.chatRetention()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageLength");
    }
}

package io.deskbridge.desk.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TemplateSettingsTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "template.baseUrl", "https://api.template.invalid/v1",
            "template.apiKey", "k-123456");

    @Test
    @DisplayName("The required settings and the defaults")
    void defaults() {
        TemplateSettings settings = TemplateSettings.from(Configuration.of(REQUIRED));

        assertThat(settings.baseUrl()).isEqualTo(URI.create("https://api.template.invalid/v1"));
        assertThat(settings.apiKey().reveal()).isEqualTo("k-123456");
        assertThat(settings.queue()).isEqualTo("support");
        assertThat(settings.typingTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.files().maxFileSize()).isEqualTo(10 * 1024 * 1024);
        assertThat(settings.files().allowedTypes()).containsExactlyInAnyOrder("png", "jpg", "jpeg", "gif", "pdf", "txt");
    }

    @Test
    @DisplayName("Every setting can be changed; file types are normalised")
    void everySetting() {
        TemplateSettings settings = TemplateSettings.from(Configuration.of(REQUIRED).with(Map.of(
                "template.queue", "billing",
                "template.typingTimeout", "4s",
                "template.maxFileSize", "2048",
                "template.allowedFileTypes", "PNG, .pdf")));

        assertThat(settings.queue()).isEqualTo("billing");
        assertThat(settings.typingTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.files().maxFileSize()).isEqualTo(2048);
        assertThat(settings.files().allowedTypes()).containsExactlyInAnyOrder("png", "pdf");
    }

    @Test
    @DisplayName("Every problem is reported at once, by key")
    void everyProblemAtOnce() {
        Configuration configuration = Configuration.of(Map.of(
                "template.baseUrl", "not a url",
                "template.typingTimeout", "soon",
                "template.maxFileSize", "0",
                "template.colour", "blue"));

        assertThatThrownBy(() -> TemplateSettings.from(configuration))
                .isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("template.baseUrl")
                .hasMessageContaining("template.apiKey is required")
                .hasMessageContaining("TEMPLATE_API_KEY")
                .hasMessageContaining("template.typingTimeout must be a duration")
                .hasMessageContaining("template.maxFileSize must be between 1")
                .hasMessageContaining("template.colour is not a known setting");
    }

    @Test
    @DisplayName("A missing base URL is named")
    void missingBaseUrl() {
        assertThatThrownBy(() -> TemplateSettings.from(Configuration.of(Map.of("template.apiKey", "k-123456"))))
                .hasMessageContaining("template.baseUrl is required");
    }

    @Test
    @DisplayName("The API key never appears when the settings are printed")
    void apiKeyIsMasked() {
        TemplateSettings settings = TemplateSettings.from(Configuration.of(REQUIRED));

        assertThat(settings.toString()).doesNotContain("k-123456").contains("******");
    }
}

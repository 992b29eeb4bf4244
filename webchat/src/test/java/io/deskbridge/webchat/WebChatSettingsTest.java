package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.spi.ServiceDeskException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Web chat settings")
class WebChatSettingsTest {

    @Test
    @DisplayName("defaults: 127.0.0.1:8080, no authentication, memory store, 2 minutes idle, 4,000 characters")
    void defaults() {
        WebChatSettings settings = WebChatSettings.defaults();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.auth()).isEqualTo(WebChatSettings.AuthMode.NONE);
        assertThat(settings.store()).isEqualTo(WebChatSettings.StoreKind.MEMORY);
        assertThat(settings.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.maxTextLength()).isEqualTo(4000);
        assertThat(settings.allowedOrigins()).isEmpty();
    }

    @Test
    @DisplayName("environment variables and system properties set the keys (WEBCHAT_PORT, -Dwebchat.sessionIdleTimeout)")
    void sources() {
        Properties props = new Properties();
        props.setProperty("webchat.sessionIdleTimeout", "30s");
        Configuration configuration = Configuration.load(new String[0], Map.of(),
                Map.of("WEBCHAT_PORT", "9090", "WEBCHAT_ALLOWED_ORIGINS", "https://a.example, https://b.example:8443"), props);
        WebChatSettings settings = WebChatSettings.read(configuration);
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.sessionIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
    }

    @Test
    @DisplayName("webchat.store=jdbc is a clear configuration error, not a silent fallback to memory")
    void jdbcNotAvailable() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store", "jdbc", "webchat.store.url", "jdbc:h2:mem:x"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.store=jdbc is not available yet")
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION));
    }

    @Test
    @DisplayName("every problem is reported at once, by key, with secrets never printed")
    void everyProblem() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of(
                "webchat.port", "eighty", "webchat.auth", "jwt", "webchat.auth.secret", "short-secret",
                "webchat.allowedOrigins", "https://ok.example,shop.example.com/path", "webchat.colour", "blue"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.port must be a whole number")
                .hasMessageContaining("webchat.auth.secret must be at least 32 bytes")
                .hasMessageContaining("webchat.auth=jwt needs webchat.auth.audience")
                .hasMessageContaining("'shop.example.com/path'")
                .hasMessageContaining("webchat.colour is not a known setting")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
    }

    @Test
    @DisplayName("jwt needs exactly one of a secret and a public key; a public key must be PEM")
    void jwtKeys() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.auth", "jwt", "webchat.auth.audience", "a"))))
                .hasMessageContaining("needs webchat.auth.secret (HS256) or webchat.auth.publicKey");
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.auth.secret", "x".repeat(40)))))
                .hasMessageContaining("only used with webchat.auth=jwt");
        assertThatThrownBy(() -> io.deskbridge.webchat.auth.JwtAuthenticator.parseRsaPublicKey("not a key"))
                .hasMessageContaining("webchat.auth.publicKey is not a PEM RSA public key");
    }
}

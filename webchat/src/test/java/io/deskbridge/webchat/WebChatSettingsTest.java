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
        assertThat(settings.maxSessions()).isEqualTo(20_000);
        assertThat(settings.maxThreads()).isEqualTo(Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));
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
    @DisplayName("webchat.store=jdbc reads the url, user, password and table (default deskbridge_webchat_sessions)")
    void jdbc() {
        WebChatSettings settings = WebChatSettings.read(Configuration.of(Map.of("webchat.store", "jdbc",
                "webchat.store.url", "jdbc:postgresql://db.example.com:5432/webchat", "webchat.store.user", "webchat",
                "webchat.store.password", "db-pa55word")));
        assertThat(settings.store()).isEqualTo(WebChatSettings.StoreKind.JDBC);
        assertThat(settings.storeUrl()).contains("jdbc:postgresql://db.example.com:5432/webchat");
        assertThat(settings.storeUser()).contains("webchat");
        assertThat(settings.storePassword().orElseThrow().reveal()).isEqualTo("db-pa55word");
        assertThat(settings.storeTable()).isEqualTo("deskbridge_webchat_sessions");
        assertThat(WebChatSettings.read(Configuration.of(Map.of("webchat.store", "JDBC", "webchat.store.url", "jdbc:h2:mem:x",
                "webchat.store.table", "chat_sessions"))).storeTable()).isEqualTo("chat_sessions");
    }

    @Test
    @DisplayName("several processes: webchat.instanceId (default: host name and a random suffix, new at each start) and webchat.leaseDuration (15s)")
    void leases() {
        WebChatSettings defaults = WebChatSettings.defaults();
        assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.instanceId()).matches("[A-Za-z0-9._:-]+-[0-9a-z]+").isNotEqualTo(WebChatSettings.defaults().instanceId());
        WebChatSettings set = WebChatSettings.read(Configuration.of(Map.of("webchat.instanceId", "web-1", "webchat.leaseDuration", "5s")));
        assertThat(set.instanceId()).isEqualTo("web-1");
        assertThat(set.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.instanceId", "web 1; --", "webchat.leaseDuration", "100ms"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.instanceId must be 1 to 100 letters")
                .hasMessageContaining("webchat.leaseDuration");
    }

    @Test
    @DisplayName("webchat.store=jdbc without a url, with a url that is not JDBC, or with a bad table name: every problem at once, by key")
    void jdbcProblems() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store", "jdbc",
                "webchat.store.table", "sessions; DROP TABLE users", "webchat.store.password", "db-pa55word"))))
                .isInstanceOf(ServiceDeskException.class)
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("webchat.store=jdbc needs webchat.store.url")
                .hasMessageContaining("webchat.store.table must be a plain SQL identifier")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("db-pa55word"));
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store", "jdbc",
                "webchat.store.url", "postgresql://db.example.com/webchat"))))
                .hasMessageContaining("webchat.store.url must be a JDBC URL starting with jdbc:");
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store", "jdbc",
                "webchat.store.url", "jdbc:h2:mem:x", "webchat.sessionIdleTimeout", "200ms"))))
                .hasMessageContaining("webchat.sessionIdleTimeout must be at least 1s with webchat.store=jdbc");
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store", "redis"))))
                .hasMessageContaining("webchat.store");
    }

    @Test
    @DisplayName("the webchat.store.* keys are only used with webchat.store=jdbc: each is reported with the memory store")
    void jdbcKeysWithoutJdbc() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.store.url", "jdbc:h2:mem:x",
                "webchat.store.user", "sa", "webchat.store.password", "db-pa55word", "webchat.store.table", "t"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.store.url is only used with webchat.store=jdbc")
                .hasMessageContaining("webchat.store.user is only used with webchat.store=jdbc")
                .hasMessageContaining("webchat.store.password is only used with webchat.store=jdbc")
                .hasMessageContaining("webchat.store.table is only used with webchat.store=jdbc")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("db-pa55word"));
    }

    @Test
    @DisplayName("webchat.store.password is a secret: masked in the printed configuration and in the settings")
    void passwordMasked() {
        Properties props = new Properties();
        props.setProperty("webchat.store", "jdbc");
        props.setProperty("webchat.store.url", "jdbc:h2:mem:x");
        props.setProperty("webchat.store.password", "db-pa55word");
        Configuration configuration = Configuration.load(new String[0], Map.of(), Map.of(), props);
        assertThat(configuration.describe()).contains("webchat.store.password=******", "webchat.store.url=jdbc:h2:mem:x")
                .doesNotContain("db-pa55word");
        assertThat(configuration.toString()).doesNotContain("db-pa55word");
        WebChatSettings settings = WebChatSettings.read(configuration);
        assertThat(settings.toString()).contains("storePassword=Optional[******]").doesNotContain("db-pa55word");
        Configuration fromEnvironment = Configuration.load(new String[0], Map.of(),
                Map.of("WEBCHAT_STORE", "jdbc", "WEBCHAT_STORE_URL", "jdbc:h2:mem:x", "WEBCHAT_STORE_PASSWORD", "db-pa55word"), new Properties());
        assertThat(WebChatSettings.read(fromEnvironment).storePassword().orElseThrow().reveal()).isEqualTo("db-pa55word");
    }

    @Test
    @DisplayName("every problem is reported at once, by key, with secrets never printed")
    void everyProblem() {
        assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of(
                "webchat.port", "eighty", "webchat.auth", "jwt", "webchat.auth.secret", "short-secret",
                "webchat.allowedOrigins", "https://ok.example,shop.example.com/path", "webchat.colour", "blue",
                "webchat.maxSessions", "0", "webchat.maxThreads", "2"))))
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("webchat.port must be a whole number")
                .hasMessageContaining("webchat.auth.secret must be at least 32 bytes")
                .hasMessageContaining("webchat.auth=jwt needs webchat.auth.audience")
                .hasMessageContaining("'shop.example.com/path'")
                .hasMessageContaining("webchat.colour is not a known setting")
                .hasMessageContaining("webchat.maxSessions")
                .hasMessageContaining("webchat.maxThreads")
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

    @Test
    @DisplayName("webchat.maxUploadBytes: 10 MiB by default, 0 turns files off, a negative or non-numeric value names the key")
    void maxUploadBytes() {
        assertThat(WebChatSettings.defaults().maxUploadBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(WebChatSettings.read(Configuration.of(Map.of("webchat.maxUploadBytes", "0"))).maxUploadBytes()).isZero();
        assertThat(WebChatSettings.read(Configuration.of(Map.of("webchat.maxUploadBytes", "2048"))).withPort(0).maxUploadBytes())
                .isEqualTo(2048);
        for (String bad : java.util.List.of("-1", "lots")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebChatSettings.read(Configuration.of(Map.of("webchat.maxUploadBytes", bad))))
                    .hasMessageContaining("webchat.maxUploadBytes");
        }
    }
}

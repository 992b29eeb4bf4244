package io.deskbridge.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.platform.GenesysRegion;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Genesys settings")
class GenesysSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("genesys.environment", "mypurecloud.ie");
        values.put("genesys.organizationId", "947659c0-d25d-4f72-b07f-bf5181952f5b");
        values.put("genesys.deploymentId", "7539c714-2e65-402d-aff2-37f8362dd67e");
        values.put("genesys.queueName", "Web Chat Queue");
        return values;
    }

    private static GenesysSettings read(Map<String, String> values) {
        return GenesysSettings.read(Configuration.of(values));
    }

    @Test
    @DisplayName("A minimal configuration selects guest chat, derives the region's hosts and uses the documented defaults")
    void minimalConfiguration() {
        GenesysSettings settings = read(minimal());
        assertThat(settings.transport()).isEqualTo(GenesysTransport.WEB_MESSAGING);
        assertThat(settings.apiBaseUrl()).isEqualTo(URI.create("https://api.mypurecloud.ie"));
        assertThat(settings.loginBaseUrl()).isEqualTo(URI.create("https://login.mypurecloud.ie"));
        assertThat(settings.webMessagingUrl()).contains(URI.create("wss://webmessaging.mypurecloud.ie/v1"));
        assertThat(settings.typingTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.availabilityRefreshInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.restRetry().maxRetries()).isEqualTo(3);
        assertThat(settings.streamReconnect().maxRetries()).isEqualTo(10);
        assertThat(settings.authenticatedChat()).isFalse();
        assertThat(settings.hasClientCredentials()).isFalse();
        assertThat(settings.skills()).isEmpty();
        assertThat(settings.priority()).isEmpty();
    }

    @Test
    @DisplayName("genesys.origin is an origin (scheme and host, port if any), normalised; the older genesys.webMessagingOrigin stands in for it; "
            + "a page URL is reported by key")
    void origin() {
        assertThat(read(minimal()).origin()).isEmpty();
        Map<String, String> values = minimal();
        values.put("genesys.origin", "HTTPS://Shop.Example.com:8443/");
        assertThat(read(values).origin()).contains("https://shop.example.com:8443");
        Map<String, String> old = minimal();
        old.put("genesys.webMessagingOrigin", "https://shop.example.com");
        assertThat(read(old).origin()).contains("https://shop.example.com");
        old.put("genesys.origin", "https://other.example.com");
        assertThat(read(old).origin()).contains("https://other.example.com");
        Map<String, String> page = minimal();
        page.put("genesys.origin", "https://shop.example.com/support/chat.html");
        assertThatThrownBy(() -> read(page)).hasMessageContaining("genesys.origin must be an origin such as https://shop.example.com");
    }

    @Test
    @DisplayName("Capabilities come from the settings: the transport's, with availability and queue status only with client credentials")
    void capabilitiesFromSettings() {
        Map<String, String> guestChat = minimal();
        guestChat.put("genesys.transport", "guest-chat");
        Map<String, String> withCredentials = new HashMap<>(guestChat);
        withCredentials.put("genesys.clientId", "client");
        withCredentials.put("genesys.clientSecret", "secret");
        for (Map<String, String> values : List.of(minimal(), guestChat, withCredentials)) {
            assertThat(GenesysSettings.capabilities(Configuration.of(values))).isEqualTo(read(values).capabilities());
        }
        assertThat(read(guestChat).capabilities()).doesNotContain(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS, Capability.FILE_UPLOADS);
        assertThat(read(withCredentials).capabilities()).contains(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS);
        assertThat(read(minimal()).capabilities()).contains(Capability.FILE_UPLOADS).doesNotContain(Capability.AGENTS_ONLINE);
        // Known before start-up and never failing: settings that do not read give the default transport's.
        assertThat(GenesysSettings.capabilities(Configuration.of(Map.of("genesys.transport", "carrier-pigeon"))))
                .isEqualTo(read(minimal()).capabilities());
    }

    @Test
    @DisplayName("Every key is read: routing, credentials, overrides and tuning")
    void everyKey() {
        Map<String, String> values = minimal();
        values.put("genesys.transport", "GUEST-CHAT");
        values.put("genesys.apiBaseUrl", "http://127.0.0.1:8123");
        values.put("genesys.loginBaseUrl", "http://127.0.0.1:8124/");
        values.put("genesys.webMessagingUrl", "ws://127.0.0.1:8125/v1");
        values.put("genesys.skills", "Billing, English ,");
        values.put("genesys.language", "English");
        values.put("genesys.priority", "2");
        values.put("genesys.clientId", "client");
        values.put("genesys.clientSecret", "very-secret");
        values.put("genesys.authenticatedChat", "true");
        values.put("genesys.typingTimeout", "500ms");
        values.put("genesys.userTypingInterval", "1s");
        values.put("genesys.availabilityRefreshInterval", "2s");
        values.put("genesys.requestTimeout", "3s");
        values.put("genesys.maxRetries", "5");
        values.put("genesys.retryBackoff", "10ms");
        values.put("genesys.maxRetryBackoff", "100ms");
        values.put("genesys.maxRetryAfter", "5s");
        values.put("genesys.streamReconnectAttempts", "7");
        values.put("genesys.streamReconnectBackoff", "20ms");
        values.put("genesys.maxStreamReconnectBackoff", "200ms");
        values.put("genesys.streamIdleTimeout", "0s");
        GenesysSettings settings = read(values);
        assertThat(settings.apiBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8123"));
        assertThat(settings.loginBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8124/"));
        assertThat(settings.webMessagingUrl()).contains(URI.create("ws://127.0.0.1:8125/v1"));
        assertThat(settings.skills()).containsExactly("Billing", "English");
        assertThat(settings.language()).contains("English");
        assertThat(settings.priority()).hasValue(2);
        assertThat(settings.clientId()).contains("client");
        assertThat(settings.clientSecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("very-secret"));
        assertThat(settings.authenticatedChat()).isTrue();
        assertThat(settings.typingTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.userTypingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.availabilityRefreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.restRetry().maxRetries()).isEqualTo(5);
        assertThat(settings.restRetry().initialBackoff()).isEqualTo(Duration.ofMillis(10));
        assertThat(settings.restRetry().maxBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.restRetry().maxRetryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.streamReconnect().maxRetries()).isEqualTo(7);
        assertThat(settings.streamReconnect().initialBackoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.streamReconnect().maxBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.streamIdleTimeout()).isZero();
        assertThat(settings.toString()).doesNotContain("very-secret");
    }

    @Test
    @DisplayName("Without genesys.environment, both base URL overrides are enough (how tests reach the simulator)")
    void overridesWithoutEnvironment() {
        Map<String, String> values = minimal();
        values.remove("genesys.environment");
        values.put("genesys.apiBaseUrl", "http://127.0.0.1:1");
        values.put("genesys.loginBaseUrl", "http://127.0.0.1:2");
        values.put("genesys.transport", "guest-chat");
        GenesysSettings settings = read(values);
        assertThat(settings.environment()).isEmpty();
        assertThat(settings.webMessagingUrl()).isEmpty();
    }

    @Test
    @DisplayName("Every problem is reported at once, by key")
    void everyProblemAtOnce() {
        Map<String, String> values = new HashMap<>();
        values.put("genesys.transport", "carrier-pigeon");
        values.put("genesys.environment", "not a region");
        values.put("genesys.priority", "high");
        values.put("genesys.clientId", "only-the-id");
        values.put("genesys.authenticatedChat", "maybe");
        values.put("genesys.typingTimeout", "soon");
        values.put("genesys.maxRetries", "99");
        values.put("genesys.apiBaseUrl", "ftp://example.com");
        assertThatThrownBy(() -> read(values))
                .isInstanceOf(ServiceDeskException.class)
                .satisfies(e -> assertThat(((ServiceDeskException) e).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("genesys.transport must be one of web-messaging, guest-chat, not 'carrier-pigeon'")
                .hasMessageContaining("genesys.environment must be a Genesys Cloud region domain")
                .hasMessageContaining("genesys.organizationId is required")
                .hasMessageContaining("genesys.deploymentId is required")
                .hasMessageContaining("genesys.queueName is required")
                .hasMessageContaining("genesys.priority must be a whole number, not 'high'")
                .hasMessageContaining("genesys.clientSecret is required when genesys.clientId is set")
                .hasMessageContaining("genesys.authenticatedChat must be true or false")
                .hasMessageContaining("genesys.typingTimeout must be a duration")
                .hasMessageContaining("genesys.maxRetries must be between 0 and 10")
                .hasMessageContaining("genesys.apiBaseUrl must be an absolute http(s) or ws(s) URL");
    }

    @Test
    @DisplayName("Neither an environment nor both base URLs is an error naming the keys")
    void environmentOrOverridesRequired() {
        Map<String, String> values = minimal();
        values.remove("genesys.environment");
        values.put("genesys.apiBaseUrl", "http://127.0.0.1:1");
        assertThatThrownBy(() -> read(values)).hasMessageContaining(
                "genesys.environment is required (for example mypurecloud.ie), unless both genesys.apiBaseUrl and genesys.loginBaseUrl are set");
    }

    @Test
    @DisplayName("Authenticated chat needs OAuth client credentials")
    void authenticatedChatNeedsCredentials() {
        Map<String, String> values = minimal();
        values.put("genesys.authenticatedChat", "true");
        values.put("genesys.transport", "guest-chat");
        assertThatThrownBy(() -> read(values)).hasMessageContaining("genesys.authenticatedChat=true needs genesys.clientId and genesys.clientSecret");
    }

    @Test
    @DisplayName("Unknown genesys.* keys are rejected with the known keys listed; the web messaging URL is known")
    void unknownKeysRejected() {
        Map<String, String> values = minimal();
        values.put("genesys.queue", "Typo Queue");
        values.put("genesys.webMessagingUrl", "wss://webmessaging.mypurecloud.ie/v1");
        assertThatThrownBy(() -> read(values))
                .hasMessageContaining("genesys.queue is not a known setting")
                .hasMessageContaining("genesys.queueName")
                .hasMessageNotContaining("genesys.webMessagingUrl is not a known setting");
    }

    @Test
    @DisplayName("The client secret may come from the environment (GENESYS_CLIENT_SECRET) and is never printed")
    void secretFromEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("GENESYS_CLIENT_SECRET", "from-the-environment");
        Map<String, String> values = minimal();
        values.put("genesys.clientId", "client");
        Configuration configuration = Configuration.load(new String[0], values, env, new Properties());
        GenesysSettings settings = GenesysSettings.read(configuration);
        assertThat(settings.clientSecret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo("from-the-environment"));
        assertThat(settings.clientSecret().get().toString()).isEqualTo("******");
    }

    @Nested
    @DisplayName("Region hosts")
    class RegionHosts {

        @Test
        @DisplayName("A domain gives api., login. and webmessaging. hosts")
        void domain() {
            GenesysRegion region = GenesysRegion.parse("usw2.pure.cloud").orElseThrow();
            assertThat(region.apiBaseUrl()).isEqualTo(URI.create("https://api.usw2.pure.cloud"));
            assertThat(region.loginBaseUrl()).isEqualTo(URI.create("https://login.usw2.pure.cloud"));
            assertThat(region.webMessagingUrl()).isEqualTo(URI.create("wss://webmessaging.usw2.pure.cloud/v1"));
        }

        @Test
        @DisplayName("A leading scheme, api./login. prefix, path and case are stripped, as the SDKs do")
        void hostsAndUrls() {
            for (String form : List.of("https://api.mypurecloud.com", "api.mypurecloud.com", "https://login.mypurecloud.com/",
                    "MyPureCloud.com", " mypurecloud.com ")) {
                assertThat(GenesysRegion.parse(form)).as(form).contains(new GenesysRegion("mypurecloud.com"));
            }
        }

        @Test
        @DisplayName("The SDKs' region keys name their domains")
        void regionKeys() {
            assertThat(GenesysRegion.parse("eu_west_1")).contains(new GenesysRegion("mypurecloud.ie"));
            assertThat(GenesysRegion.parse("us-east-2")).contains(new GenesysRegion("use2.us-gov-pure.cloud"));
            assertThat(GenesysRegion.parse("ap_southeast_2")).contains(new GenesysRegion("mypurecloud.com.au"));
        }

        @Test
        @DisplayName("Text that is no domain is refused")
        void notADomain() {
            assertThat(GenesysRegion.parse("not a region")).isEmpty();
            assertThat(GenesysRegion.parse("localhost")).isEmpty();
            assertThat(GenesysRegion.parse("")).isEqualTo(Optional.empty());
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.GenesysSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code genesys.webMessaging*} keys: defaults, and bad values reported by key. */
class WebMessagingSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("genesys.environment", "mypurecloud.ie");
        values.put("genesys.organizationId", "947659c0-d25d-4f72-b07f-bf5181952f5b");
        values.put("genesys.deploymentId", "7539c714-2e65-402d-aff2-37f8362dd67e");
        values.put("genesys.queueName", "Web Messaging Queue");
        return values;
    }

    private static WebMessagingSettings read(Map<String, String> values) {
        return GenesysSettings.read(Configuration.of(values)).webMessaging();
    }

    @Test
    @DisplayName("The documented defaults, including a 250 ms reorder window")
    void defaults() {
        WebMessagingSettings settings = read(minimal());
        assertThat(settings.reorderWindow()).isZero();
        assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.endChatMode()).isEqualTo(WebMessagingSettings.EndChatMode.AUTO);
        assertThat(settings.healthCheckInterval()).as("above the messenger SDK's 30 s echo cool-down").isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.reconnectTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.outboundRate()).isEqualTo(2);
        assertThat(settings.historyPageSize()).isEqualTo(25);
        assertThat(settings.socketUri().toString()).isEqualTo("wss://webmessaging.mypurecloud.ie/v1?deploymentId=7539c714-2e65-402d-aff2-37f8362dd67e"
                + "&application=" + WebMessagingSettings.APPLICATION);
        assertThat(WebMessagingSettings.APPLICATION).as("named as the SDKs name themselves").matches("deskbridge-[A-Za-z0-9.\\-]+");
        assertThat(settings.effectiveOrigin()).as("the socket's Origin, as the messenger SDK").isEqualTo("webmessaging.mypurecloud.ie");
        assertThat(settings.restOrigin()).as("the history's Origin, as the messenger SDK").isEqualTo("mypurecloud.ie");
    }

    @Test
    @DisplayName("A zero reorder window turns reordering off")
    void zeroWindow() {
        Map<String, String> values = minimal();
        values.put("genesys.webMessagingReorderWindow", "0s");
        assertThat(read(values).reorderWindow()).isZero();
    }

    @Test
    @DisplayName("A reorder window above 5 s, or one that is not a duration, is refused by key, with the other problems")
    void badReorderWindow() {
        Map<String, String> values = minimal();
        values.put("genesys.webMessagingReorderWindow", "10s");
        values.put("genesys.webMessagingOutboundRate", "0");
        assertThatThrownBy(() -> read(values))
                .hasMessageContaining("genesys.webMessagingReorderWindow must be at most 5s")
                .hasMessageContaining("genesys.webMessagingOutboundRate");
        values.put("genesys.webMessagingReorderWindow", "soon");
        assertThatThrownBy(() -> read(values)).hasMessageContaining("genesys.webMessagingReorderWindow must be a duration");
    }

    @Test
    @DisplayName("The transport-neutral genesys.origin is web messaging's Origin too, unless genesys.webMessagingOrigin names its own")
    void neutralOrigin() {
        Map<String, String> values = minimal();
        values.put("genesys.origin", "https://shop.example.com");
        assertThat(read(values).effectiveOrigin()).isEqualTo("https://shop.example.com");
        assertThat(read(values).restOrigin()).isEqualTo("https://shop.example.com");
        values.put("genesys.webMessagingOrigin", "https://chat.example.com");
        assertThat(read(values).effectiveOrigin()).isEqualTo("https://chat.example.com");
    }
}

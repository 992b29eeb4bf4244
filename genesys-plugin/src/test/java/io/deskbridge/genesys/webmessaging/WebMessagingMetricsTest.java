package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.metrics.DeskTags;
import io.deskbridge.core.metrics.MicrometerDeskMetrics;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.RecordingCallback;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The requests a web messaging chat makes over its socket are counted as its REST requests are
 * ({@code deskbridge.vendor.requests}): by endpoint ({@code WS} and the action), the code Genesys answered and its
 * outcome, a rate-limit answer and a refusal included.
 */
@DisplayName("Web messaging: socket requests in the vendor request metrics")
class WebMessagingMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private long count(String endpoint, String status, String outcome) {
        return registry.find(MicrometerDeskMetrics.REQUESTS)
                .tags("endpoint", endpoint, "status", status, "outcome", outcome, "desk", "genesys", "transport", "web-messaging")
                .timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    @DisplayName("configureSession, texts, a 429 and a 4011 answer, an attachment and its upload, echo and Clear are each counted")
    void socketRequestsCounted() {
        Map<String, String> extra = Map.of("genesys.webMessagingHealthCheckInterval", "100ms", "genesys.webMessagingEndChat", "clear");
        try (WebMessagingHarness h = new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withClearEnabled(true), extra,
                Optional.empty())) {
            RecordingCallback callback = new RecordingCallback();
            ServiceDesk desk = h.factory.create(new DeskContext("chat-metrics", callback, Optional.empty(),
                    new MicrometerDeskMetrics(registry, new DeskTags("genesys", "web-messaging"))));
            await(desk.startChat(ConnectRequest.of("billing", "The user asks about an invoice"), StartChatOptions.none()));
            SimulatedWebMessagingSession session = h.simulator.awaitSession(WAIT);
            assertThat(count("WS configureSession", "200", "success")).isEqualTo(1);
            assertThat(count("WS onMessage Text", "200", "success")).as("the connect summary").isEqualTo(1);

            session.rateLimitNext(1);
            await(desk.sendMessageToAgent(new UserMessage("m-1", "hello")));
            assertThat(count("WS onMessage Text", "429", "rate_limited")).as("the refused send").isEqualTo(1);
            assertThat(count("WS onMessage Text", "200", "success")).as("the summary and the send again").isEqualTo(2);

            session.failNextMessage(4011, "message too long");
            awaitFailure(desk.sendMessageToAgent(new UserMessage("m-2", "too long, Genesys says")));
            assertThat(count("WS onMessage Text", "4011", "client_error")).isEqualTo(1);

            byte[] bytes = "a receipt".getBytes(StandardCharsets.UTF_8);
            FileUpload file = new FileUpload("f-1", "receipt.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
            await(desk.sendMessageToAgent(new UserMessage("m-3", "see the file", List.of(file))));
            assertThat(count("WS onAttachment", "200", "success")).isEqualTo(1);
            assertThat(count(WebMessagingRequestMetrics.UPLOAD_ENDPOINT, "200", "success")).isEqualTo(1);

            awaitTrue(() -> count("WS echo", "200", "success") >= 1, "a health check answered");

            await(desk.endChat(EndChatInfo.none()));
            assertThat(count("WS onMessage Presence Clear", "200", "success")).isEqualTo(1);

            // Bounded tags: no token, chat id, text or file name.
            assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id -> assertThat(id.getTags().toString())
                    .doesNotContain(session.token()).doesNotContain("chat-metrics").doesNotContain("receipt.txt").doesNotContain("hello"));
        }
    }

    @Test
    @DisplayName("Answer codes map to statuses: TooManyRequests and 4029 to 429, a GenerateUrlError to its attachment error code")
    void statuses() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(WebMessagingRequestMetrics.status(frame(json, "TooManyRequestsErrorMessage", 429, "{\"retryAfter\":3}"))).isEqualTo(429);
        assertThat(WebMessagingRequestMetrics.status(frame(json, "string", 4029, "\"slow down\""))).isEqualTo(429);
        assertThat(WebMessagingRequestMetrics.status(frame(json, "GenerateUrlError", 200, "{\"attachmentId\":\"a\",\"errorCode\":4001}")))
                .isEqualTo(4001);
        assertThat(WebMessagingRequestMetrics.status(frame(json, "string", 4006, "\"session expired\""))).isEqualTo(4006);
        assertThat(WebMessagingRequestMetrics.status(frame(json, "SessionResponse", 200, "{}"))).isEqualTo(200);
    }

    private static io.deskbridge.genesys.webmessaging.wire.Frame frame(com.fasterxml.jackson.databind.ObjectMapper json, String className,
            int code, String body) {
        try {
            return json.readValue("{\"type\":\"response\",\"class\":\"" + className + "\",\"code\":" + code + ",\"body\":" + body + "}",
                    io.deskbridge.genesys.webmessaging.wire.Frame.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}

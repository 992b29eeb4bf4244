package io.deskbridge.core;

import static io.deskbridge.core.ChatSessionTest.await;
import static io.deskbridge.core.ChatSessionTest.count;
import static io.deskbridge.core.ChatSessionTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.metrics.ChatMetrics;
import io.deskbridge.core.metrics.MicrometerDeskMetrics;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("Chat metrics and the chat id in the log MDC")
class ChatMetricsTest {
    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FakeDeskProvider provider = new FakeDeskProvider("fake", Set.of(Capability.RECONNECT));
    final RecordingApplication app = new RecordingApplication();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Deskbridge deskbridge = Deskbridge.builder()
            .configuration(Configuration.of(Map.of("desk", "fake")))
            .providers(ServiceDeskProviders.of(List.of(provider)))
            .meterRegistry(registry)
            .overrideInfrastructure(binder -> {
                binder.bind(Clock.class).toInstance(clock);
                binder.bind(ScheduledExecutorService.class).toInstance(scheduler);
            })
            .build();

    @AfterEach
    void stop() {
        deskbridge.close();
    }

    double counter(String name, String... tags) {
        return registry.get(name).tags("desk", "fake", "transport", "default").tags(tags).counter().count();
    }

    double chats(String state) {
        return registry.get(ChatMetrics.CHATS).tags("desk", "fake", "state", state).gauge().value();
    }

    @Test
    @DisplayName("a chat's life moves the gauges by state and counts its start, its messages each way and its end")
    void chatLife() {
        ChatSession chat = deskbridge.openChat("m-1", app.callback());
        await(chat.startChat(ConnectRequest.of("billing", "refund"), StartChatOptions.none()));
        assertThat(chats("waiting")).isEqualTo(1);
        assertThat(counter(ChatMetrics.STARTED, "kind", "new", "outcome", "started")).isEqualTo(1);

        FakeDesk desk = provider.lastDesk();
        desk.callback().agentJoined(new AgentProfile("alice", "Alice"));
        desk.callback().sendMessageToUser(AgentMessage.fromAgent("a1", "alice", "hello"));
        desk.callback().sendMessageToUser(AgentMessage.fromAgent("a1", "alice", "hello")); // a duplicate is not counted
        desk.callback().sendMessageToUser(AgentMessage.fromAgent("a2", "alice", "how can I help"));
        app.await(events -> count(events, CallbackEvent.MessageToUser.class) == 2, "two agent messages");
        assertThat(chats("with_agent")).isEqualTo(1);
        assertThat(chats("waiting")).isZero();
        assertThat(counter(ChatMetrics.MESSAGES, "direction", "to_user")).isEqualTo(2);

        await(chat.sendMessageToAgent(new UserMessage("u1", "thanks")));
        desk.onSendMessage = message -> CompletableFuture.failedFuture(
                new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "down"));
        failureOf(chat.sendMessageToAgent(new UserMessage("u2", "still there?")));
        assertThat(counter(ChatMetrics.MESSAGES, "direction", "to_agent")).isEqualTo(1);
        assertThat(counter(ChatMetrics.MESSAGES_FAILED, "error", "vendor_unavailable")).isEqualTo(1);

        await(chat.endChat(EndChatInfo.none()));
        assertThat(chats("with_agent")).isZero();
        assertThat(counter(ChatMetrics.ENDED, "cause", "user")).isEqualTo(1);
        assertThat(counter(ChatMetrics.ENDED, "cause", "agent")).isZero();
    }

    @Test
    @DisplayName("a failed start and a resume that finds the chat gone count as failed starts, not as ended chats")
    void failedStarts() {
        ChatSession failing = deskbridge.openChat("m-2", app.callback());
        provider.lastDesk().onStartChat = () -> CompletableFuture.failedFuture(
                new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "no"));
        failureOf(failing.startChat(ConnectRequest.of("billing", "x"), StartChatOptions.none()));

        ChatSession gone = deskbridge.resumeChat("m-3", new PersistedState(Map.of("k", "v")), app.callback());
        provider.lastDesk().onReconnect = () -> CompletableFuture.completedFuture(false);
        assertThat(await(gone.reconnect())).isFalse();

        assertThat(counter(ChatMetrics.STARTED, "kind", "new", "outcome", "failed")).isEqualTo(1);
        assertThat(counter(ChatMetrics.STARTED, "kind", "resumed", "outcome", "failed")).isEqualTo(1);
        assertThat(counter(ChatMetrics.ENDED, "cause", "user") + counter(ChatMetrics.ENDED, "cause", "agent")).isZero();
        assertThat(chats("starting") + chats("waiting") + chats("with_agent")).isZero();
    }

    @Test
    @DisplayName("the desk's facade counts vendor requests by endpoint, status and outcome, reconnects, catch-ups and waits")
    void deskFacade() {
        deskbridge.openChat("m-4", app.callback());
        DeskMetrics metrics = provider.lastDesk().context.metrics();
        assertThat(deskbridge.getInstance(DeskMetrics.class)).as("shared clients get the same facade").isSameAs(metrics);
        String endpoint = DeskMetrics.endpoint("POST", URI.create("https://api.example/api/v2/conversations/3f9c2a1b-77aa-4d2e-9e1c-5b2f0a8d9c11/messages?x=1"));
        assertThat(endpoint).isEqualTo("POST /api/v2/conversations/{id}/messages");
        assertThat(DeskMetrics.endpoint("get", URI.create("https://api.example/api/v2/routing/queues/1234/estimatedwaittime")))
                .isEqualTo("GET /api/v2/routing/queues/{id}/estimatedwaittime");
        assertThat(DeskMetrics.endpoint("GET", URI.create("https://api.example/v1/sessions/dGhpcyBpcyBhbiBvcGFxdWUgdG9rZW4=")))
                .isEqualTo("GET /v1/sessions/{id}");
        metrics.vendorRequest(endpoint, 201, Duration.ofMillis(20));
        metrics.vendorRequest(endpoint, 429, Duration.ofMillis(5));
        metrics.vendorRequest(endpoint, 503, Duration.ofMillis(5));
        metrics.vendorRequest(endpoint, DeskMetrics.NO_RESPONSE, Duration.ofSeconds(10));
        metrics.vendorRequest("WS onMessage Text", 4011, Duration.ofMillis(3));
        metrics.vendorRequest("WS onMessage Text", 5000, Duration.ofMillis(3));
        metrics.vendorReconnect(false);
        metrics.vendorReconnect(true);
        metrics.vendorCatchUp(3);
        metrics.rateLimitWait(Duration.ofMillis(250));

        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("endpoint", endpoint, "outcome", "success", "status", "201")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("outcome", "rate_limited", "status", "429").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("outcome", "server_error", "status", "503").timer().count()).isEqualTo(1);
        // A socket's four-digit answer codes count by the HTTP class they stand for.
        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("endpoint", "WS onMessage Text", "status", "4011")
                .tag("outcome", "client_error").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("endpoint", "WS onMessage Text", "status", "5000")
                .tag("outcome", "server_error").timer().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerDeskMetrics.REQUESTS).tags("outcome", "no_response", "status", "none").timer().count()).isEqualTo(1);
        assertThat(counter(MicrometerDeskMetrics.RECONNECTS, "outcome", "failed")).isEqualTo(1);
        assertThat(counter(MicrometerDeskMetrics.RECONNECTS, "outcome", "succeeded")).isEqualTo(1);
        assertThat(counter(MicrometerDeskMetrics.CATCH_UP_MESSAGES)).isEqualTo(3);
        assertThat(registry.get(MicrometerDeskMetrics.RATE_LIMIT_WAITS).timer().count()).isEqualTo(1);
        assertThat(registry.getMeters()).extracting(Meter::getId)
                .allSatisfy(id -> assertThat(id.getTags().toString()).doesNotContain("m-"));
    }

    @Test
    @DisplayName("the chat id is in the MDC inside the desk's calls, on the chat's callbacks and on timers it schedules")
    void chatIdInMdc() {
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ChatSession chat = deskbridge.openChat("mdc-1", CallbackEvent.recorder(event -> {
            seen.add(event.methodName() + " with chat=" + MDC.get(ChatLogContext.MDC_KEY));
            app.callback().agentReadMessages();
        }));
        FakeDesk desk = provider.lastDesk();
        desk.onStartChat = () -> {
            seen.add("startChat with chat=" + MDC.get(ChatLogContext.MDC_KEY));
            return CompletableFuture.completedFuture(null);
        };
        await(chat.startChat(ConnectRequest.of("billing", "x"), StartChatOptions.none()));
        desk.callback().agentJoined(new AgentProfile("alice", "Alice"));
        app.await(events -> !events.isEmpty(), "the agent joined");
        assertThat(seen).containsExactly("startChat with chat=mdc-1", "agentJoined with chat=mdc-1");
        assertThat(MDC.get(ChatLogContext.MDC_KEY)).as("the caller's MDC after the call").isNull();
    }

    @Test
    @DisplayName("the shared pools carry the submitting thread's chat id to the task, and clear it after")
    void sharedPoolsCarryTheChatId() throws Exception {
        try (Deskbridge plain = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "fake")))
                .providers(ServiceDeskProviders.of(List.of(new FakeDeskProvider("fake")))).build()) {
            ScheduledExecutorService shared = plain.getInstance(ScheduledExecutorService.class);
            java.util.concurrent.ExecutorService workers = plain.getInstance(java.util.concurrent.ExecutorService.class);
            String timer = ChatLogContext.call("mdc-2", () -> shared.schedule(() -> MDC.get(ChatLogContext.MDC_KEY), 1,
                    TimeUnit.MILLISECONDS)).get(10, TimeUnit.SECONDS);
            String task = ChatLogContext.call("mdc-3", () -> workers.submit(() -> MDC.get(ChatLogContext.MDC_KEY)))
                    .get(10, TimeUnit.SECONDS);
            String after = workers.submit(() -> MDC.get(ChatLogContext.MDC_KEY)).get(10, TimeUnit.SECONDS);
            assertThat(timer).isEqualTo("mdc-2");
            assertThat(task).isEqualTo("mdc-3");
            assertThat(after).as("a task submitted outside any chat").isNull();
        }
    }
}

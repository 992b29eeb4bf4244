package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.messageWithText;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.VirtualScheduler;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The desk against a simulator that answers as real Genesys does where the desk once assumed otherwise (each test
 * failed on the desk before these fixes): the deployment's configuration, ending, correlation, join and transfer,
 * receipts, keep-alive and expiry, the Origin header, and agent messages delivered without a hold.
 */
@DisplayName("Web messaging as real Genesys behaves")
class WebMessagingGenesysBehaviourTest {
    private final List<WebMessagingHarness> harnesses = new ArrayList<>();

    @AfterEach
    void close() {
        harnesses.forEach(WebMessagingHarness::close);
    }

    private WebMessagingHarness harness(WebMessagingHarness harness) {
        harnesses.add(harness);
        return harness;
    }

    private static ConnectRequest request() {
        return ConnectRequest.of("billing", "The user asks about an invoice");
    }

    @Test
    @DisplayName("The deployment's config.json is read once for all chats; user typing it does not show is neither declared per chat nor sent")
    void deploymentConfiguration() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var first = h.joined();
        var second = h.started(request());
        assertThat(h.simulator.deploymentConfigRequests()).isEqualTo(1);
        assertThat(first.callback().eventsOf(CallbackEvent.CapabilitiesUpdated.class)).last()
                .satisfies(u -> assertThat(u.capabilities()).doesNotContain(Capability.USER_TYPING).contains(Capability.FILE_UPLOADS));
        await(second.desk().userTyping(true));
        await(second.desk().sendMessageToAgent(new UserMessage("m-1", "hello")));
        assertThat(second.session().userTexts()).contains("hello");
        assertThat(second.session().userTypingCount()).isZero();
        assertThat(h.simulator.receivedFrames()).noneMatch(f -> f.path("message").path("events").toString().contains("Typing"));
    }

    @Test
    @DisplayName("Ending on a default deployment (no Clear) tells the agent with the closing message, and closes the socket")
    void endWithoutClear() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.joined();
        await(chat.desk().endChat(io.deskbridge.spi.EndChatInfo.none()));
        assertThat(chat.session().userTexts()).endsWith("The customer has left the chat.");
        assertThat(h.simulator.receivedFrames()).noneMatch(f -> f.path("message").path("events").toString().contains("Clear"));
        awaitTrue(() -> chat.session().openConnections() == 0, "no socket left open");
    }

    @Test
    @DisplayName("An agent's Presence Disconnect ends the chat only after a history catch-up delivered the agent's earlier message lost live")
    void disconnectAfterCatchUp() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.joined();
        chat.session().loseNextOutbound(1);
        String lost = chat.session().agentSends("one last thing before I go");
        chat.session().agentEnds();
        chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        int end = chat.callback().indexOf(agentEnded(), 0).orElseThrow();
        int message = chat.callback().indexOf(messageWithId(lost), 0).orElseThrow(() -> new AssertionError("the lost message never arrived"));
        assertThat(message).isLessThan(end);
    }

    @Test
    @DisplayName("A typing refusal without tracingId (a deployment that stopped showing user typing) is not pinned on the text in flight")
    void uncorrelatedErrorNotPinned() {
        WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withUserTypingIndicator(true)));
        var chat = h.joined();
        h.simulator.setDeployment(h.simulator.deployment().withUserTypingIndicator(false));
        chat.desk().userTyping(true);
        CompletionStage<Void> sent = chat.desk().sendMessageToAgent(new UserMessage("m-typed", "typed, then Enter"));
        await(sent);
        // The typing event did reach a deployment that no longer shows it, and Genesys refused it (without tracingId):
        // it sent one, and the session accepted none.
        assertThat(h.simulator.receivedFrames()).anyMatch(f -> f.path("message").path("events").toString().contains("Typing"));
        assertThat(chat.session().userTypingCount()).as("typing events the deployment accepted").isZero();
        assertThat(chat.session().userTexts()).containsOnlyOnce("typed, then Enter");
        assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                .noneMatch(e -> e instanceof ErrorInfo.UserMessage);
    }

    @Test
    @DisplayName("Genesys's uncorrelated 403 arriving between a text and its echo does not fail the text (Response.kt typingIndicatorForbidden)")
    void uncorrelatedErrorBeforeEcho() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.joined();
        // Genesys's recorded refusal of a typing event (the messenger SDK's Response.kt, typingIndicatorForbidden): no
        // tracingId. Sent the moment the text reaches Genesys and before its echo, so it lands while the text is in flight.
        h.simulator.addInboundListener((session, message) -> {
            if ("pressed Enter".equals(message.path("text").asText())) {
                session.sendRawFrame("{\"type\":\"response\",\"class\":\"string\",\"code\":403,"
                        + "\"body\":\"Turn on the Feature Toggle or fix the configuration.\"}");
            }
        });
        await(chat.desk().sendMessageToAgent(new UserMessage("m-enter", "pressed Enter")));
        assertThat(chat.session().userTexts()).containsOnlyOnce("pressed Enter");
        assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                .noneMatch(e -> e instanceof ErrorInfo.UserMessage);
        // The chat goes on: the next text is confirmed too.
        await(chat.desk().sendMessageToAgent(new UserMessage("m-next", "and another")));
        assertThat(chat.session().userTexts()).endsWith("pressed Enter", "and another");
    }

    @Test
    @DisplayName("A file Genesys refuses as GenerateUrlError (code 200, no tracingId) reaches setFileUploadStatus with Genesys's reason")
    void fileRefusalAsJson() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.joined();
        h.simulator.setDeployment(h.simulator.deployment().withFiles(List.of("image/*"), 10_240, List.of()));
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        FileUpload notes = new FileUpload("f-notes", "notes.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
        Throwable failure = WebMessagingHarness.awaitFailure(chat.desk().sendMessageToAgent(new UserMessage("m-file", "see file", List.of(notes))));
        assertThat(failure).hasMessageContaining("4001");
        assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .containsExactly(io.deskbridge.spi.FileUploadStatus.failed("f-notes", "This type of file cannot be sent in this chat."));
    }

    @Test
    @DisplayName("Join and transfer come from the human agent's outbound messages (no Presence Join); a change of channel.from is a transfer")
    void joinAndTransferFromMessages() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.started(request());
        // A Presence Join, as Genesys sends for a conversation's autostart, names no agent.
        chat.session().sendRawFrame("{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"direction\":"
                + "\"Outbound\",\"id\":\"autostart-1\",\"type\":\"Event\",\"originatingEntity\":\"Human\",\"events\":"
                + "[{\"eventType\":\"Presence\",\"presence\":{\"type\":\"Join\"}}]}}");
        chat.session().agentJoins("Ada", Optional.empty());
        chat.callback().awaitEvent(messageWithText("Hello, this is Ada."), "Ada's greeting", WAIT);
        chat.session().agentTakesOver("Grace", Optional.empty());
        String fromGrace = chat.session().agentSends("Grace here");
        chat.callback().awaitEvent(messageWithId(fromGrace), "Grace's message", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentJoined.class)).extracting(CallbackEvent.AgentJoined::agent)
                .extracting(AgentProfile::nickname).containsExactly("Ada", "Grace");
        assertThat(chat.callback().indexOf(agentJoined(), 0).orElseThrow())
                .isLessThan(chat.callback().indexOf(messageWithText("Hello, this is Ada."), 0).orElseThrow());
        assertThat(chat.callback().eventsOf(CallbackEvent.TransferStarted.class)).hasSize(1);
        assertThat(chat.callback().messages()).extracting(AgentMessage::agentId).containsExactly(Optional.of("Ada"), Optional.of("Grace"));
    }

    @Test
    @DisplayName("The socket is kept alive with WebSocket pings (genesys.webMessagingPingInterval, 15 s by default as the messenger SDK's)")
    void keepAlivePings() {
        WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingPingInterval", "100ms")));
        var chat = h.joined();
        awaitTrue(() -> h.simulator.pingsReceived() >= 2, "two WebSocket pings");
        assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
    }

    @Test
    @DisplayName("By default the socket is pinged every 15 s on the desk's clock, as by Genesys's messenger SDK (PlatformSocket.kt)")
    void pingsEvery15SecondsByDefault() throws InterruptedException {
        VirtualScheduler time = new VirtualScheduler();
        WebMessagingHarness h = new WebMessagingHarness(WebMessagingHarness.defaultDeployment(), Map.of(), Optional.of(binder -> {
            binder.bind(Clock.class).toInstance(time.clock());
            binder.bind(ScheduledExecutorService.class).toInstance(time);
        }));
        // Runs what is due as the desk submits it; only this test's advance moves the clock.
        AtomicBoolean pumping = new AtomicBoolean(true);
        Thread pump = new Thread(() -> {
            try {
                while (pumping.get()) {
                    time.awaitActivity(Duration.ofMillis(20));
                    time.runDueTasks();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "virtual-time-pump");
        pump.setDaemon(true);
        pump.start();
        try {
            h.started(request());
            time.advance(Duration.ofSeconds(14));
            assertThat(h.simulator.pingsReceived()).as("no ping before 15 s").isZero();
            time.advance(Duration.ofSeconds(1));
            awaitTrue(() -> h.simulator.pingsReceived() >= 1, "a WebSocket ping at 15 s");
            time.advance(Duration.ofSeconds(15));
            awaitTrue(() -> h.simulator.pingsReceived() >= 2, "the next ping at 30 s");
            assertThat(time.failures()).as("tasks that failed on the desk's scheduler").isEmpty();
        } finally {
            h.close();
            pumping.set(false);
            pump.join(WAIT.toMillis());
        }
    }

    @Test
    @DisplayName("The socket always carries an Origin (the socket's host, as the messenger SDK's PlatformSocket); a deployment restricted to it accepts it")
    void originAlwaysSent() {
        WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withAllowedOrigins(Set.of("127.0.0.1"))));
        var chat = h.joined();
        assertThat(h.simulator.handshakeOrigins()).isNotEmpty().allSatisfy(o -> assertThat(o).contains("127.0.0.1"));
        assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
    }

    @Test
    @DisplayName("The session's expirationDate is honoured: a quiet session ends when Genesys said it expires")
    void expiryHonoured() {
        WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withSessionDuration(Duration.ofSeconds(1))));
        var chat = h.joined();
        chat.callback().awaitEvent(agentEnded(), "agentEndedChat at expiry", Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("A live agent message is delivered as it arrives, with no reorder hold by default")
    void noHoldByDefault() {
        WebMessagingHarness h = harness(WebMessagingHarness.start());
        var chat = h.joined();
        long before = System.nanoTime();
        String id = chat.session().agentSends("right away");
        chat.callback().awaitEvent(messageWithId(id), "the message", WAIT);
        assertThat(h.factory.create(new io.deskbridge.spi.DeskContext("probe", new io.deskbridge.testkit.RecordingCallback())).name()).isNotBlank();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(250));
    }
}

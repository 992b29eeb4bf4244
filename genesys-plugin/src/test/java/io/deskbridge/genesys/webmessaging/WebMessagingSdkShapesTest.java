package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The desk against frames shaped as Genesys's messenger SDK records them ({@code Response.kt} in
 * {@code MyPureCloud/genesys-messenger-transport-mobile-sdk}), through a {@link GenesysFrameRelay} that reshapes what
 * the simulator sends: answers to configure, {@code getJwt} and {@code onAttachment} without {@code tracingId}.
 */
@DisplayName("Web messaging with Genesys's recorded answer shapes")
class WebMessagingSdkShapesTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A harness whose desk reaches the simulator through a relay that reshapes every frame with {@code reshape}. */
    WebMessagingHarness relayed(MessengerDeployment deployment, Map<String, String> extra, UnaryOperator<ObjectNode> reshape) {
        return relayed(new GenesysFrameRelay(reshape), deployment, extra);
    }

    /** A harness whose desk reaches the simulator through {@code relay}. */
    WebMessagingHarness relayed(GenesysFrameRelay relay, MessengerDeployment deployment, Map<String, String> extra) {
        closing.add(relay);
        Map<String, String> values = new HashMap<>(extra);
        values.put("genesys.webMessagingUrl", relay.socketUrl().toString());
        WebMessagingHarness h = new WebMessagingHarness(deployment, values, Optional.empty());
        closing.add(0, h);
        relay.upstream(h.simulator.socketUrl());
        return h;
    }

    WebMessagingHarness relayed() {
        return relayed(WebMessagingHarness.defaultDeployment(), Map.of(), GenesysFrameRelay.SDK_SHAPES);
    }

    /** Response.kt's {@code configureSuccess(connected = false, readOnly = true)}: Genesys's answer to closeSession. */
    private static final String CLOSED_READ_ONLY = "{\"type\":\"response\",\"class\":\"SessionResponse\",\"code\":200,\"body\":"
            + "{\"connected\":false,\"newSession\":true,\"readOnly\":true,\"maxCustomDataBytes\":100,\"clearedExistingSession\":false}}";

    @Test
    @DisplayName("startChat on a session Genesys reports read-only does as the SDK's startNewChat: closeSession with closeAllConnections,"
            + " then, on the answer connected:false readOnly:true, configureSession with startNew; then the first message")
    void readOnlyStartClosesThenStartsNew() {
        GenesysFrameRelay relay = new GenesysFrameRelay(GenesysFrameRelay.SDK_SHAPES);
        relay.answer("closeSession", request -> CLOSED_READ_ONLY);
        WebMessagingHarness h = relayed(relay, WebMessagingHarness.defaultDeployment(), Map.of());
        h.simulator.readOnlyNextNewSession();
        ConnectRequest request = ConnectRequest.of("billing", "The user asks about an invoice");
        var chat = h.started(request);
        List<ObjectNode> requests = relay.deskRequests();
        assertThat(requests).extracting(f -> f.path("action").asText()).startsWith("configureSession", "closeSession", "configureSession", "onMessage");
        String token = requests.get(0).path("token").asText();
        assertThat(requests.get(0).path("startNew").asBoolean(false)).isFalse();
        assertThat(requests.get(1).path("token").asText()).isEqualTo(token);
        assertThat(requests.get(1).path("closeAllConnections").asBoolean(false)).isTrue();
        assertThat(requests.get(2).path("startNew").asBoolean(false)).isTrue();
        assertThat(requests.get(2).path("token").asText()).isEqualTo(token);
        assertThat(chat.session().isReadOnly()).isFalse();
        assertThat(chat.session().userTexts()).containsExactly(request.connectSummary().orElseThrow());
        chat.session().agentJoins("Ada", Optional.empty());
        String id = chat.session().agentSends("Hello again");
        chat.callback().awaitEvent(messageWithId(id), "the new conversation's first agent message", WAIT);
    }

    @Test
    @DisplayName("A read-only session whose closeSession Genesys refuses fails the start with Genesys's reason; no new conversation is configured")
    void readOnlyCloseRefused() {
        GenesysFrameRelay relay = new GenesysFrameRelay(GenesysFrameRelay.SDK_SHAPES);
        relay.answer("closeSession", request -> "{\"type\":\"response\",\"class\":\"string\",\"code\":400,\"body\":\"Request failed.\"}");
        WebMessagingHarness h = relayed(relay, WebMessagingHarness.defaultDeployment(), Map.of());
        h.simulator.readOnlyNextNewSession();
        var chat = h.newChat();
        Throwable failure = awaitFailure(chat.desk().startChat(ConnectRequest.of("billing", "hello"), StartChatOptions.none()));
        assertThat(failure).hasMessageContaining("closeSession").hasMessageContaining("400");
        assertThat(relay.deskRequests()).extracting(f -> f.path("action").asText()).containsExactly("configureSession", "closeSession");
    }

    @Test
    @DisplayName("A SessionResponse without tracingId answers configureSession: the chat starts and messages flow both ways")
    void sessionResponseWithoutTracingId() {
        WebMessagingHarness h = relayed();
        var chat = h.joined();
        String id = chat.session().agentSends("how can I help?");
        chat.callback().awaitEvent(messageWithId(id), "the agent's message", WAIT);
        await(chat.desk().sendMessageToAgent(new UserMessage("m-1", "about my invoice")));
        assertThat(chat.session().userTexts()).contains("about my invoice");
    }

    @Test
    @DisplayName("A class-string refusal of configureSession without tracingId fails the start at once with Genesys's reason")
    void refusalWithoutTracingId() {
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of("genesys.webMessagingSendTimeout", "30s"),
                GenesysFrameRelay.SDK_SHAPES);
        h.simulator.rejectNextSession(403);
        var chat = h.newChat();
        long started = System.nanoTime();
        Throwable failure = awaitFailure(chat.desk().startChat(ConnectRequest.of("billing", "hello"), StartChatOptions.none()));
        assertThat(failure).hasMessageContaining("403").hasMessageNotContaining("did not answer");
        assertThat(System.nanoTime() - started).as("failed on the refusal, not on the 30 s timeout").isLessThan(WAIT.toNanos());
    }

    @Test
    @DisplayName("A PresignedUrlResponse without tracingId, matched by its attachment id, lets the file upload")
    void presignedUrlWithoutTracingId() {
        WebMessagingHarness h = relayed();
        var chat = h.joined();
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        FileUpload notes = new FileUpload("f-notes", "notes.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
        await(chat.desk().sendMessageToAgent(new UserMessage("with-file", "see attached", List.of(notes))));
        assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .containsExactly(FileUploadStatus.accepted("f-notes"));
        assertThat(chat.session().uploadedFiles()).hasSize(1);
    }

    @Test
    @DisplayName("A JwtResponse without tracingId answers getJwt: a resumed chat reads the history it missed")
    void jwtWithoutTracingId() {
        WebMessagingHarness h = relayed();
        var chat = h.joined();
        var state = chat.callback().lastPersistedState().orElseThrow();
        var resumed = h.resumedChat(state);
        assertThat(await(resumed.desk().reconnect())).isTrue();
        assertThat(h.simulator.receivedFrames()).anyMatch(f -> f.path("action").asText().equals("getJwt"));
        String id = chat.session().agentSends("welcome back");
        resumed.callback().awaitEvent(messageWithId(id), "the agent's message on the resumed chat", WAIT);
    }

    @Test
    @DisplayName("The pre-signed PUT carries the file's Content-Type, as announced in onAttachment; .opus goes as audio/ogg")
    void uploadContentType() {
        RecordingPutForwarder forwarder = new RecordingPutForwarder();
        closing.add(forwarder);
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment().withFiles(List.of("text/plain", "audio/ogg"), 10_240, List.of()),
                Map.of(), frame -> {
                    if ("PresignedUrlResponse".equals(frame.path("class").asText())) {
                        ObjectNode body = (ObjectNode) frame.get("body");
                        body.put("url", forwarder.standInFor(body.path("url").asText()));
                    }
                    return GenesysFrameRelay.SDK_SHAPES.apply(frame);
                });
        var chat = h.joined();
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        FileUpload notes = new FileUpload("f-notes", "notes.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
        FileUpload voice = new FileUpload("f-voice", "voice.opus", "audio/opus", bytes.length, () -> new ByteArrayInputStream(bytes));
        await(chat.desk().sendMessageToAgent(new UserMessage("with-files", "see attached", List.of(notes, voice))));
        assertThat(forwarder.puts()).hasSize(2);
        assertThat(forwarder.puts().get(0).header("Content-Type")).contains("text/plain");
        assertThat(forwarder.puts().get(0).header("x-amz-tagging")).as("the pre-signed headers go along").contains("abc");
        assertThat(forwarder.puts().get(1).header("Content-Type")).contains("audio/ogg");
        assertThat(h.simulator.receivedFrames()).filteredOn(f -> f.path("action").asText().equals("onAttachment"))
                .extracting(f -> f.path("fileType").asText()).containsExactly("text/plain", "audio/ogg");
        assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .containsExactly(FileUploadStatus.accepted("f-notes"), FileUploadStatus.accepted("f-voice"));
    }

    @Test
    @DisplayName("A Content-Type among the pre-signed headers is the one sent, once")
    void presignedContentTypeWins() {
        RecordingPutForwarder forwarder = new RecordingPutForwarder();
        closing.add(forwarder);
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of(), frame -> {
            if ("PresignedUrlResponse".equals(frame.path("class").asText())) {
                ObjectNode body = (ObjectNode) frame.get("body");
                body.put("url", forwarder.standInFor(body.path("url").asText()));
                ((ObjectNode) body.get("headers")).put("content-type", "text/plain; charset=utf-8");
            }
            return GenesysFrameRelay.SDK_SHAPES.apply(frame);
        });
        var chat = h.joined();
        byte[] bytes = "hello".getBytes(StandardCharsets.UTF_8);
        FileUpload notes = new FileUpload("f-notes", "notes.txt", "text/plain", bytes.length, () -> new ByteArrayInputStream(bytes));
        await(chat.desk().sendMessageToAgent(new UserMessage("with-file", "see attached", List.of(notes))));
        assertThat(forwarder.puts()).singleElement().satisfies(put ->
                assertThat(put.headers().get("content-type")).containsExactly("text/plain; charset=utf-8"));
    }

    /** A loopback server of one deployment's {@code config.json}; its base URL. */
    private String configServer(String deploymentId, String configJson) {
        ConfigJsonServer server = new ConfigJsonServer(deploymentId, configJson);
        closing.add(server);
        return server.baseUrl();
    }

    private static FileUpload file(String name, String type, int size) {
        byte[] bytes = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
        return new FileUpload("f-" + name, name, type, bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    @Test
    @DisplayName("Without fileUpload.enableAttachments the file rules come from config.json's modes (SDK createFileAttachmentProfile), 1 KB = 1000 bytes")
    void fileRulesFromModes() {
        // The SDK's own config fixture (TestWebMessagingApiResponses): modes and no enableAttachments.
        String config = "{\"id\":\"test_config_id\",\"version\":\"3\",\"messenger\":{\"enabled\":true,\"apps\":{\"conversations\":{"
                + "\"conversationClear\":{\"enabled\":true}}},\"fileUpload\":{\"modes\":[{\"fileTypes\":[\"text/plain\"],\"maxFileSizeKB\":1}]}},"
                + "\"status\":\"Active\"}";
        String base = configServer(WebMessagingHarness.DEPLOYMENT, config);
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of("genesys.deploymentConfigBaseUrl", base), frame -> {
            if ("SessionResponse".equals(frame.path("class").asText())) {
                // As the SDK's configureSuccess fixture: no allowedMedia, no blockedExtensions.
                ((ObjectNode) frame.get("body")).remove(List.of("allowedMedia", "blockedExtensions"));
            }
            return GenesysFrameRelay.SDK_SHAPES.apply(frame);
        });
        var chat = h.joined();
        assertThat(chat.callback().eventsOf(CallbackEvent.CapabilitiesUpdated.class))
                .allSatisfy(u -> assertThat(u.capabilities()).contains(io.deskbridge.spi.Capability.FILE_UPLOADS));
        await(chat.desk().filesSelectedForUpload(List.of(file("fits.txt", "text/plain", 1500), file("big.txt", "text/plain", 2000),
                file("pic.png", "image/png", 10))));
        WebMessagingHarness.awaitTrue(() -> chat.callback().eventsOf(CallbackEvent.FileStatus.class).size() >= 2, "two refusals");
        assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .extracting(FileUploadStatus::fileId).containsExactly("f-big.txt", "f-pic.png");
        await(chat.desk().sendMessageToAgent(new UserMessage("with-file", "see attached", List.of(file("fits.txt", "text/plain", 1500)))));
        assertThat(chat.session().uploadedFiles()).hasSize(1);
    }

    /**
     * The SDK's answer shapes, with a session that Genesys says expires in a second, lasting a second without activity,
     * and echo answers without metadata (the SDK's {@code Response.echo}).
     */
    private static ObjectNode expiringInASecond(ObjectNode frame) {
        if ("SessionResponse".equals(frame.path("class").asText())) {
            ((ObjectNode) frame.get("body")).put("durationSeconds", 1).put("expirationDate", java.time.Instant.now().getEpochSecond() + 1);
        }
        if ("StructuredMessage".equals(frame.path("class").asText()) && frame.path("tracingId").asText().startsWith("echo-")) {
            ((ObjectNode) frame.get("body")).remove("metadata");
        }
        return GenesysFrameRelay.SDK_SHAPES.apply(frame);
    }

    @Test
    @DisplayName("When the session's expirationDate passes the desk asks Genesys with an echo, and an answered echo keeps the chat")
    void expiryAsksGenesys() {
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of("genesys.webMessagingHealthCheckInterval", "10m"),
                WebMessagingSdkShapesTest::expiringInASecond);
        var chat = h.joined();
        WebMessagingHarness.awaitTrue(() -> h.simulator.receivedFrames().stream().filter(f -> f.path("action").asText().equals("echo")).count() >= 2,
                "two echoes at the session's expiries");
        String id = chat.session().agentSends("still with you");
        chat.callback().awaitEvent(messageWithId(id), "the agent's message after the expiry", WAIT);
        await(chat.desk().sendMessageToAgent(new UserMessage("m-late", "thanks")));
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentEnded.class)).isEmpty();
    }

    @Test
    @DisplayName("An echo that Genesys leaves unanswered at the session's expiry ends the chat")
    void expiryUnanswered() {
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of("genesys.webMessagingHealthCheckInterval", "10m",
                "genesys.webMessagingSendTimeout", "2s"), WebMessagingSdkShapesTest::expiringInASecond);
        var chat = h.joined();
        chat.session().ignoreEchoes(true);
        chat.callback().awaitEvent(io.deskbridge.testkit.CallbackMatchers.agentEnded(), "agentEndedChat", WAIT);
        assertThat(h.simulator.receivedFrames()).anyMatch(f -> f.path("action").asText().equals("echo"));
    }

    private static boolean isJoin(com.fasterxml.jackson.databind.JsonNode frame) {
        return frame.path("message").path("events").toString().contains("Join");
    }

    @Test
    @DisplayName("Where autoStart is off (the default) a chat without summary sends no Join; its routing attributes ride on the user's first text")
    void noAutoStart() {
        WebMessagingHarness h = relayed();
        var chat = h.newChat();
        await(chat.desk().startChat(new ConnectRequest(Optional.empty(), Optional.empty(), Map.of("tier", "gold")),
                StartChatOptions.none()));
        var session = h.simulator.awaitSession(WAIT);
        assertThat(h.simulator.receivedFrames()).noneMatch(WebMessagingSdkShapesTest::isJoin);
        await(chat.desk().sendMessageToAgent(new UserMessage("m-first", "hello")));
        assertThat(session.userTexts()).containsExactly("hello");
        var attributes = session.userMessages().get(0).path("channel").path("metadata").path("customAttributes");
        assertThat(attributes.path("tier").asText()).isEqualTo("gold");
    }

    @Test
    @DisplayName("Where config.json enables autoStart a chat without summary starts with a Join that carries its routing attributes")
    void autoStart() {
        String config = "{\"id\":\"test_config_id\",\"messenger\":{\"enabled\":true,\"apps\":{\"conversations\":{"
                + "\"autoStart\":{\"enabled\":true}}},\"fileUpload\":{\"enableAttachments\":true}},\"status\":\"Active\"}";
        String base = configServer(WebMessagingHarness.DEPLOYMENT, config);
        WebMessagingHarness h = relayed(WebMessagingHarness.defaultDeployment(), Map.of("genesys.deploymentConfigBaseUrl", base),
                GenesysFrameRelay.SDK_SHAPES);
        var chat = h.newChat();
        await(chat.desk().startChat(new ConnectRequest(Optional.empty(), Optional.empty(), Map.of("tier", "gold")),
                StartChatOptions.none()));
        WebMessagingHarness.awaitTrue(() -> h.simulator.receivedFrames().stream().anyMatch(WebMessagingSdkShapesTest::isJoin), "the Join");
        var join = h.simulator.receivedFrames().stream().filter(WebMessagingSdkShapesTest::isJoin).findFirst().orElseThrow();
        assertThat(join.path("message").path("channel").path("metadata").path("customAttributes").path("tier").asText()).isEqualTo("gold");
    }
}

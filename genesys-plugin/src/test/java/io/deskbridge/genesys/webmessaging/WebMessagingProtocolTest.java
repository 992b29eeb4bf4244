package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.CallbackMatchers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The exact frames the transport sends, as the simulator received them. */
class WebMessagingProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private WebMessagingHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private List<JsonNode> frames(String action) {
        return harness.simulator.receivedFrames().stream().filter(f -> f.path("action").asText().equals(action)).toList();
    }

    /** {@code expected} with the frame's own token and tracingId filled in, after checking they are there. */
    private static JsonNode expect(JsonNode actual, String json) throws Exception {
        assertThat(actual.path("token").asText()).as("token of %s", actual).isNotBlank();
        assertThat(actual.path("tracingId").asText()).as("tracingId of %s", actual).isNotBlank();
        ObjectNode expected = (ObjectNode) JSON.readTree(json);
        expected.put("token", actual.get("token").asText());
        expected.put("tracingId", actual.get("tracingId").asText());
        return expected;
    }

    @Test
    @DisplayName("startChat sends configureSession with a random token, then the summary as a Text with custom attributes")
    void startFrames() throws Exception {
        harness = WebMessagingHarness.start(Map.of("genesys.skills", "Billing, Invoices", "genesys.language", "English"));
        var started = harness.started(new ConnectRequest(Optional.of("billing"), Optional.of("The user asks about an invoice"),
                Map.of("customerId", "59606")));

        JsonNode configure = frames("configureSession").get(0);
        assertThat(configure).isEqualTo(expect(configure, "{\"action\":\"configureSession\",\"deploymentId\":\"test-deployment\"}"));
        assertThat(configure.get("token").asText()).matches("[0-9a-f-]{36}").isEqualTo(started.session().token());

        JsonNode first = frames("onMessage").get(0);
        String customId = first.path("message").path("metadata").path("customMessageId").asText();
        assertThat(first).isEqualTo(expect(first, """
                {"action":"onMessage","message":{"type":"Text","text":"The user asks about an invoice\\nTopic: billing",
                 "metadata":{"customMessageId":"%s"},
                 "channel":{"metadata":{"customAttributes":{"topic":"billing","skills":"Billing,Invoices","language":"English","customerId":"59606"}}}}}
                """.formatted(customId)));
        assertThat(started.session().userTexts()).containsExactly("The user asks about an invoice\nTopic: billing");
    }

    @Test
    @DisplayName("A chat without summary on a deployment with autoStart starts the conversation with a Presence Join carrying the custom attributes")
    void joinWithoutSummary() throws Exception {
        try (ConfigJsonServer config = new ConfigJsonServer(WebMessagingHarness.DEPLOYMENT, "{\"messenger\":{\"enabled\":true,\"apps\":"
                + "{\"conversations\":{\"autoStart\":{\"enabled\":true}}}}}")) {
            joinWithoutSummary(config);
        }
    }

    private void joinWithoutSummary(ConfigJsonServer config) throws Exception {
        harness = WebMessagingHarness.start(Map.of("genesys.deploymentConfigBaseUrl", config.baseUrl()));
        harness.started(new ConnectRequest(Optional.empty(), Optional.empty(), Map.of("customerId", "1")));
        awaitTrue(() -> frames("onMessage").size() == 1, "the Join event at Genesys");
        JsonNode join = frames("onMessage").get(0);
        assertThat(join).isEqualTo(expect(join, """
                {"action":"onMessage","message":{"type":"Event","events":[{"eventType":"Presence","presence":{"type":"Join"}}],
                 "channel":{"metadata":{"customAttributes":{"customerId":"1"}}}}}
                """));
    }

    @Test
    @DisplayName("A user message is an onMessage Text with its id as customMessageId; typing is an Event Typing On")
    void messageAndTypingFrames() throws Exception {
        harness = WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withUserTypingIndicator(true));
        var chat = harness.joined();
        await(chat.desk().sendMessageToAgent(new UserMessage("m-1", "hello")));
        await(chat.desk().userTyping(true));
        awaitTrue(() -> chat.session().userTypingCount() == 1, "the typing event");
        List<JsonNode> messages = frames("onMessage");
        JsonNode text = messages.get(1);
        assertThat(text).isEqualTo(expect(text,
                "{\"action\":\"onMessage\",\"message\":{\"type\":\"Text\",\"text\":\"hello\",\"metadata\":{\"customMessageId\":\"m-1\"}}}"));
        JsonNode typing = messages.get(2);
        assertThat(typing).isEqualTo(expect(typing,
                "{\"action\":\"onMessage\",\"message\":{\"type\":\"Event\",\"events\":[{\"eventType\":\"Typing\",\"typing\":{\"type\":\"On\"}}]}}"));
    }

    @Test
    @DisplayName("The simulator's inbound listener hears each accepted guest message once, with its session, before the echo")
    void inboundListener() throws Exception {
        harness = WebMessagingHarness.start();
        var chat = harness.joined();
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        harness.simulator.addInboundListener((session, message) -> {
            if (session == chat.session() && message.path("type").asText().equals("Text")) {
                heard.add(message.path("text").asText());
            }
        });
        // a send completes on its echo, which goes out after the listeners ran: no waiting is needed after it
        await(chat.desk().sendMessageToAgent(new UserMessage("m-1", "first")));
        assertThat(heard).containsExactly("first");
        await(chat.desk().sendMessageToAgent(new UserMessage("m-2", "second")));
        assertThat(heard).containsExactly("first", "second");
    }

    @Test
    @DisplayName("endChat sends Presence Clear when the deployment allows it")
    void endByClear() throws Exception {
        harness = WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withClearEnabled(true));
        var chat = harness.joined();
        await(chat.desk().endChat(EndChatInfo.none()));
        JsonNode clear = frames("onMessage").get(1);
        assertThat(clear).isEqualTo(expect(clear,
                "{\"action\":\"onMessage\",\"message\":{\"type\":\"Event\",\"events\":[{\"eventType\":\"Presence\",\"presence\":{\"type\":\"Clear\"}}]}}"));
        assertThat(chat.session().endedByUser()).isTrue();
        assertThat(frames("closeSession")).isEmpty();
    }

    @Test
    @DisplayName("Where the deployment does not enable Clear (Genesys's default), the end reaches the agent as the closing message,"
            + " marked for the flow; no Clear, no closeSession, and no socket stays open")
    void endByClosingMessage() throws Exception {
        harness = WebMessagingHarness.start();
        var chat = harness.joined();
        await(chat.desk().endChat(EndChatInfo.none()));
        List<JsonNode> messages = frames("onMessage");
        JsonNode closing = messages.get(messages.size() - 1);
        assertThat(closing.path("message").path("type").asText()).isEqualTo("Text");
        assertThat(closing.path("message").path("text").asText()).isEqualTo("The customer has left the chat.");
        assertThat(closing.path("message").path("channel").path("metadata").path("customAttributes").path("deskbridge.userEnded").asText())
                .isEqualTo("true");
        assertThat(chat.session().userTexts()).endsWith("The customer has left the chat.");
        assertThat(messages).noneMatch(f -> f.path("message").path("events").toString().contains("Clear"));
        assertThat(frames("closeSession")).isEmpty();
        awaitTrue(() -> chat.session().openConnections() == 0, "no socket left open");
    }

    @Test
    @DisplayName("genesys.webMessagingEndChat=message sends the configured closing message even where Clear is enabled")
    void endByClosingMessageConfigured() throws Exception {
        harness = new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withClearEnabled(true),
                Map.of("genesys.webMessagingEndChat", "message", "genesys.webMessagingClosingMessage", "Bye from the customer"),
                Optional.empty());
        var chat = harness.joined();
        await(chat.desk().endChat(EndChatInfo.none()));
        assertThat(chat.session().userTexts()).endsWith("Bye from the customer");
        assertThat(chat.session().endedByUser()).isFalse();
        assertThat(frames("closeSession")).isEmpty();
    }

    @Test
    @DisplayName("A reconnect sends configureSession with the same token, then getJwt for the history")
    void reconnectFrames() throws Exception {
        harness = WebMessagingHarness.start();
        var chat = harness.joined();
        chat.session().dropConnection();
        chat.callback().awaitEvent(CallbackMatchers.any(io.deskbridge.core.CallbackEvent.ErrorStatus.class), "Disconnected(true)", WAIT);
        chat.session().restoreConnection();
        awaitTrue(() -> frames("getJwt").size() == 1, "getJwt after the reconnect");
        List<JsonNode> configures = frames("configureSession");
        assertThat(configures).hasSizeGreaterThanOrEqualTo(2);
        assertThat(configures).extracting(f -> f.get("token").asText()).containsOnly(chat.session().token());
        assertThat(configures).allSatisfy(f -> assertThat(f.has("startNew")).isFalse());
        JsonNode jwt = frames("getJwt").get(0);
        assertThat(jwt).isEqualTo(expect(jwt, "{\"action\":\"getJwt\"}"));
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ErrorInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The chat socket protocol")
class ChatProtocolTest {
    private ScriptedDesk.Provider desk;
    private WebChatFixture web;

    @BeforeEach
    void start() {
        desk = new ScriptedDesk.Provider();
        web = WebChatFixture.start(desk, Map.of("webchat.maxMessagesPerSecond", "1000"));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private ChatClient chatting() {
        ChatClient client = ChatClient.greeted(web.uri());
        client.send("{\"type\":\"startChat\",\"topic\":\"billing\",\"messageToAgent\":\"The user asks about an invoice\"}");
        client.await("chatStarted");
        return client;
    }

    @Nested
    @DisplayName("client frames")
    class ClientFrames {

        @Test
        @DisplayName("hello is answered with welcome: protocol version, an unguessable resume token, the desk and its capabilities")
        void hello() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send("{\"type\":\"hello\",\"user\":{\"name\":\"Grace\",\"locale\":\"en-GB\"}}");
                JsonNode welcome = client.await("welcome");
                assertThat(welcome.path("protocolVersion").asInt()).isEqualTo(1);
                assertThat(welcome.path("resumeToken").asText()).matches("[A-Za-z0-9_-]{43}");
                assertThat(welcome.path("desk").asText()).isEqualTo("scripted");
                assertThat(welcome.path("resumed").asBoolean()).isFalse();
                assertThat(welcome.has("chat")).isFalse();
                assertThat(welcome.path("capabilities").toString()).contains("\"agentsOnline\"", "\"transfer\"", "\"userTyping\"");
            }
        }

        @Test
        @DisplayName("two hellos get two different resume tokens")
        void tokensDiffer() {
            try (ChatClient a = ChatClient.connect(web.uri()); ChatClient b = ChatClient.connect(web.uri())) {
                a.send("{\"type\":\"hello\"}");
                b.send("{\"type\":\"hello\"}");
                assertThat(a.await("welcome").path("resumeToken").asText()).isNotEqualTo(b.await("welcome").path("resumeToken").asText());
            }
        }

        @Test
        @DisplayName("agentsOnline asks the desk and answers its status")
        void agentsOnline() {
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                assertThat(client.roundTrip().path("status").asText()).isEqualTo("ONLINE");
            }
        }

        @Test
        @DisplayName("agentsOnline answers UNKNOWN when the desk cannot tell")
        void agentsOnlineUnknown() {
            web.close();
            web = WebChatFixture.start(new ScriptedDesk.Provider(EnumSet.of(Capability.USER_TYPING)), Map.of());
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                assertThat(client.roundTrip().path("status").asText()).isEqualTo("UNKNOWN");
            }
        }

        @Test
        @DisplayName("startChat starts a chat on the desk with the topic and the message to the agent, then chatStarted")
        void startChat() {
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                client.send("{\"type\":\"startChat\",\"topic\":\"billing\",\"messageToAgent\":\"About an invoice\"}");
                JsonNode started = client.await("chatStarted");
                ScriptedDesk chat = desk.latestChat();
                assertThat(started.path("chatId").asText()).isEqualTo(chat.chatId());
                assertThat(chat.request.topic()).contains("billing");
                assertThat(chat.request.messageToAgent()).contains("About an invoice");
                assertThat(chat.options.verifiedUser()).isEmpty();
            }
        }

        @Test
        @DisplayName("message reaches the desk once and is confirmed with messageStatus sent; a retry is not posted again")
        void message() {
            try (ChatClient client = chatting()) {
                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello there\"}");
                JsonNode status = client.await("messageStatus");
                assertThat(status.path("id").asText()).isEqualTo("m1");
                assertThat(status.path("status").asText()).isEqualTo("sent");
                client.send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hello there\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("sent");
                ScriptedDesk chat = desk.latestChat();
                assertThat(chat.messages).extracting(m -> m.id() + ":" + m.text()).containsExactly("m1:Hello there");
            }
        }

        @Test
        @DisplayName("a message the desk refuses gets messageStatus failed, and a retry with the same id tries again")
        void failedMessage() {
            try (ChatClient client = chatting()) {
                client.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"fail please\"}");
                JsonNode status = client.await("messageStatus");
                assertThat(status.path("status").asText()).isEqualTo("failed");
                assertThat(status.path("error").asText()).isNotBlank();
                client.send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"fail please\"}");
                assertThat(client.await("messageStatus").path("status").asText()).isEqualTo("failed");
                assertThat(desk.latestChat().messages).hasSize(2);
            }
        }

        @Test
        @DisplayName("typing reaches the desk as userTyping")
        void typing() {
            try (ChatClient client = chatting()) {
                client.send("{\"type\":\"typing\",\"isTyping\":true}");
                client.send("{\"type\":\"typing\",\"isTyping\":false}");
                ScriptedDesk chat = desk.latestChat();
                Await.until(() -> chat.typing.size() == 2, "two typing calls");
                assertThat(chat.typing).containsExactly(true, false);
            }
        }

        @Test
        @DisplayName("read reaches the desk as userReadMessages")
        void read() {
            try (ChatClient client = chatting()) {
                client.send("{\"type\":\"read\"}");
                ScriptedDesk chat = desk.latestChat();
                Await.until(() -> chat.reads.get() == 1, "a read receipt at the desk");
            }
        }

        @Test
        @DisplayName("endChat ends the chat at the desk and every tab gets chatEnded {reason: user}")
        void endChat() {
            try (ChatClient client = chatting()) {
                client.send("{\"type\":\"endChat\"}");
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("user");
                assertThat(desk.latestChat().ended).isTrue();
                client.send("{\"type\":\"endChat\"}");
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("user");
            }
        }

        @Test
        @DisplayName("the unverified user details of hello reach the desk as chat state, never as a verified user")
        void userState() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send("{\"type\":\"hello\",\"user\":{\"id\":\"u-7\",\"name\":\"Grace\",\"locale\":\"en-GB\"}}");
                client.await("welcome");
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
                ScriptedDesk chat = desk.latestChat();
                Await.until(() -> !chat.states.isEmpty(), "a state update");
                assertThat(chat.states.get(0).displayName()).contains("Grace");
                assertThat(chat.states.get(0).locale()).contains("en-GB");
                assertThat(chat.options.verifiedUser()).isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("server frames")
    class ServerFrames {

        @Test
        @DisplayName("the desk's callbacks become availability, agentJoined, agentTyping, agentMessage, agentRead, transferStarted and agentLeft")
        void callbacks() {
            try (ChatClient client = chatting()) {
                ScriptedDesk chat = desk.latestChat();
                chat.vendor().updateAgentAvailability(AgentAvailability.position(3).withEstimatedWait(Duration.ofSeconds(90)).withMessage("Busy day"));
                JsonNode availability = client.await("availability");
                assertThat(availability.path("positionInQueue").asInt()).isEqualTo(3);
                assertThat(availability.path("estimatedWaitSeconds").asInt()).isEqualTo(90);
                assertThat(availability.path("message").asText()).isEqualTo("Busy day");

                chat.vendor().agentJoined(new AgentProfile("ada", "Ada", Optional.of(URI.create("https://example.com/ada.png"))));
                JsonNode joined = client.await("agentJoined");
                assertThat(joined.path("agent").path("id").asText()).isEqualTo("ada");
                assertThat(joined.path("agent").path("nickname").asText()).isEqualTo("Ada");
                assertThat(joined.path("agent").path("avatarUrl").asText()).isEqualTo("https://example.com/ada.png");

                chat.vendor().agentTyping(true);
                assertThat(client.await("agentTyping").path("isTyping").asBoolean()).isTrue();
                chat.vendor().agentTyping(false);
                assertThat(client.await("agentTyping").path("isTyping").asBoolean()).isFalse();

                chat.vendor().sendMessageToUser(AgentMessage.fromAgent("v-1", "ada", "How can I help?"));
                JsonNode message = client.await("agentMessage");
                assertThat(message.path("id").asText()).isEqualTo("v-1");
                assertThat(message.path("agentId").asText()).isEqualTo("ada");
                assertThat(message.path("text").asText()).isEqualTo("How can I help?");

                chat.vendor().agentReadMessages();
                client.await("agentRead");

                chat.vendor().beginTransferToAnotherAgent(Optional.of(new AgentProfile("sam", "Sam")));
                assertThat(client.await("transferStarted").path("agent").path("nickname").asText()).isEqualTo("Sam");
                chat.vendor().agentLeftChat();
                client.await("agentLeft");
                chat.vendor().agentJoined(new AgentProfile("sam", "Sam"));
                assertThat(client.await("agentJoined").path("agent").has("avatarUrl")).isFalse();
            }
        }

        @Test
        @DisplayName("agentEndedChat becomes agentEnded then chatEnded {reason: agent}")
        void agentEnded() {
            try (ChatClient client = chatting()) {
                ScriptedDesk chat = desk.latestChat();
                chat.vendor().agentJoined(new AgentProfile("ada", "Ada"));
                chat.vendor().agentEndedChat();
                client.await("agentEnded");
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("agent");
                client.send("{\"type\":\"message\",\"id\":\"late\",\"text\":\"Anyone?\"}");
                assertThat(client.awaitBadRequest("NO_CHAT").path("messageId").asText()).isEqualTo("late");
            }
        }

        @Test
        @DisplayName("error states become error frames: DISCONNECTED with isDisconnected, USER_MESSAGE with the message id")
        void errors() {
            try (ChatClient client = chatting()) {
                ScriptedDesk chat = desk.latestChat();
                chat.vendor().agentJoined(new AgentProfile("ada", "Ada"));
                chat.vendor().setErrorStatus(new ErrorInfo.Disconnected(true));
                JsonNode lost = client.await("error");
                assertThat(lost.path("errorType").asText()).isEqualTo("DISCONNECTED");
                assertThat(lost.path("isDisconnected").asBoolean()).isTrue();
                chat.vendor().setErrorStatus(new ErrorInfo.Disconnected(false));
                assertThat(client.await("error").path("isDisconnected").asBoolean()).isFalse();
                chat.vendor().setErrorStatus(new ErrorInfo.UserMessage("m9", "Too long for the vendor"));
                JsonNode failed = client.await("error");
                assertThat(failed.path("errorType").asText()).isEqualTo("USER_MESSAGE");
                assertThat(failed.path("messageId").asText()).isEqualTo("m9");
                assertThat(failed.path("messageToUser").asText()).isEqualTo("Too long for the vendor");
            }
        }

        @Test
        @DisplayName("a chat that cannot start gets error CONNECTING with the desk's message, then chatEnded {reason: failed}")
        void startFails() {
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                client.send("{\"type\":\"startChat\",\"topic\":\"fail\"}");
                JsonNode error = client.await("error");
                assertThat(error.path("errorType").asText()).isEqualTo("CONNECTING");
                assertThat(error.path("messageToUser").asText()).isEqualTo("The test desk is closed.");
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("failed");
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
            }
        }

        @Test
        @DisplayName("a Connecting error while queued ends the chat for the user")
        void connectingWhileQueued() {
            try (ChatClient client = chatting()) {
                desk.latestChat().vendor().setErrorStatus(ErrorInfo.Connecting.of("No agent is free today"));
                assertThat(client.await("error").path("messageToUser").asText()).isEqualTo("No agent is free today");
                assertThat(client.await("chatEnded").path("reason").asText()).isEqualTo("failed");
            }
        }
    }

    @Nested
    @DisplayName("bad input gets BAD_REQUEST naming the problem, and the connection and chat stay up")
    class BadInput {

        private void refused(ChatClient client, String frame, String code, String problem) {
            client.send(frame);
            JsonNode error = client.awaitBadRequest(code);
            assertThat(error.path("messageToUser").asText()).contains(problem);
            assertThat(client.roundTrip().path("status").asText()).isEqualTo("ONLINE");
            assertThat(client.isClosed()).isFalse();
        }

        @Test
        @DisplayName("malformed JSON")
        void malformedJson() {
            try (ChatClient client = chatting()) {
                refused(client, "{\"type\":\"message\",", "MALFORMED_JSON", "not valid JSON");
                refused(client, "[1,2]", "MALFORMED_JSON", "one JSON object");
                refused(client, "{\"type\":\"read\"} {\"type\":\"read\"}", "MALFORMED_JSON", "not valid JSON");
                refused(client, "{\"type\":\"read\",\"type\":\"endChat\"}", "MALFORMED_JSON", "Duplicate field");
                client.sendBinary(new byte[] {1, 2, 3});
                assertThat(client.awaitBadRequest("MALFORMED_JSON").path("messageToUser").asText()).contains("Binary frames");
                assertChatStillUp(client);
            }
        }

        @Test
        @DisplayName("missing, wrong-typed or unknown type")
        void unknownType() {
            try (ChatClient client = chatting()) {
                refused(client, "{\"text\":\"hi\"}", "UNKNOWN_TYPE", "no \"type\"");
                refused(client, "{\"type\":42}", "UNKNOWN_TYPE", "must be a string");
                refused(client, "{\"type\":\"sing\"}", "UNKNOWN_TYPE", "Unknown frame type \"sing\"");
                assertChatStillUp(client);
            }
        }

        @Test
        @DisplayName("missing or wrong-typed fields")
        void fields() {
            try (ChatClient client = chatting()) {
                refused(client, "{\"type\":\"message\",\"text\":\"hi\"}", "INVALID_FIELD", "message.id is required");
                refused(client, "{\"type\":\"message\",\"id\":7,\"text\":\"hi\"}", "INVALID_FIELD", "message.id must be a string, not a number");
                refused(client, "{\"type\":\"message\",\"id\":\"m\"}", "INVALID_FIELD", "message.text is required");
                refused(client, "{\"type\":\"message\",\"id\":\"m\",\"text\":\"  \"}", "INVALID_FIELD", "message.text is empty");
                refused(client, "{\"type\":\"message\",\"id\":\"m\",\"text\":[\"hi\"]}", "INVALID_FIELD", "message.text must be a string, not an array");
                refused(client, "{\"type\":\"typing\"}", "INVALID_FIELD", "typing.isTyping is required");
                refused(client, "{\"type\":\"typing\",\"isTyping\":\"yes\"}", "INVALID_FIELD", "typing.isTyping must be true or false, not a string");
                refused(client, "{\"type\":\"startChat\",\"topic\":{}}", "INVALID_FIELD", "startChat.topic must be a string");
                assertChatStillUp(client);
            }
        }

        @Test
        @DisplayName("hello fields are checked too")
        void helloFields() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send("{\"type\":\"hello\",\"user\":\"Grace\"}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("hello.user must be an object");
                client.send("{\"type\":\"hello\",\"user\":{\"locale\":\"not a locale!\"}}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("hello.user.locale");
                client.send("{\"type\":\"hello\",\"resumeToken\":5}");
                assertThat(client.awaitBadRequest("INVALID_FIELD").path("messageToUser").asText()).contains("hello.resumeToken must be a string");
                client.send("{\"type\":\"hello\"}");
                client.await("welcome");
            }
        }

        @Test
        @DisplayName("text over 4,000 characters is refused with the message id; exactly 4,000 is accepted")
        void textTooLong() {
            try (ChatClient client = chatting()) {
                String tooLong = "x".repeat(4001);
                client.send("{\"type\":\"message\",\"id\":\"long\",\"text\":\"" + tooLong + "\"}");
                JsonNode error = client.awaitBadRequest("TEXT_TOO_LONG");
                assertThat(error.path("messageId").asText()).isEqualTo("long");
                assertThat(error.path("messageToUser").asText()).contains("4001 characters", "4000");
                client.send("{\"type\":\"message\",\"id\":\"max\",\"text\":\"" + "x".repeat(4000) + "\"}");
                assertThat(client.await("messageStatus").path("id").asText()).isEqualTo("max");
                // Characters, not UTF-16 units: 4,000 emoji are accepted.
                client.send("{\"type\":\"message\",\"id\":\"emoji\",\"text\":\"" + "\uD83D\uDE00".repeat(4000) + "\"}");
                assertThat(client.await("messageStatus").path("id").asText()).isEqualTo("emoji");
                assertThat(desk.latestChat().messages).extracting(m -> m.id()).containsExactly("max", "emoji");
            }
        }

        @Test
        @DisplayName("a frame over webchat.maxFrameBytes is refused and the socket stays open")
        void frameTooLarge() {
            try (ChatClient client = chatting()) {
                String padding = "y".repeat(40 * 1024);
                refused(client, "{\"type\":\"read\",\"padding\":\"" + padding + "\"}", "FRAME_TOO_LARGE", "largest accepted is 32768 bytes");
                assertChatStillUp(client);
            }
        }

        @Test
        @DisplayName("frames before hello, a second hello, a message without a chat, and a second startChat")
        void sequence() {
            try (ChatClient client = ChatClient.connect(web.uri())) {
                client.send("{\"type\":\"startChat\"}");
                assertThat(client.awaitBadRequest("HELLO_REQUIRED").path("messageToUser").asText()).contains("Send hello first");
                client.send("{\"type\":\"hello\"}");
                client.await("welcome");
                client.send("{\"type\":\"hello\"}");
                client.awaitBadRequest("ALREADY_GREETED");
                client.send("{\"type\":\"message\",\"id\":\"early\",\"text\":\"hi\"}");
                assertThat(client.awaitBadRequest("NO_CHAT").path("messageId").asText()).isEqualTo("early");
                client.send("{\"type\":\"endChat\"}");
                client.awaitBadRequest("NO_CHAT");
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
                client.send("{\"type\":\"startChat\"}");
                client.awaitBadRequest("CHAT_IN_PROGRESS");
                assertThat(desk.chats()).hasSize(1);
            }
        }

        private void assertChatStillUp(ChatClient client) {
            client.send("{\"type\":\"message\",\"id\":\"still-up\",\"text\":\"Still there?\"}");
            assertThat(client.await("messageStatus", f -> f.path("id").asText().equals("still-up")).path("status").asText()).isEqualTo("sent");
        }
    }

    @Nested
    @DisplayName("floods")
    class Floods {

        @Test
        @DisplayName("frames over webchat.maxMessagesPerSecond are dropped with RATE_LIMITED, naming the message, and the chat stays up")
        void rateLimited() {
            web.close();
            web = WebChatFixture.start(desk, Map.of("webchat.maxMessagesPerSecond", "5"));
            try (ChatClient client = ChatClient.greeted(web.uri())) {
                client.send("{\"type\":\"startChat\"}");
                client.await("chatStarted");
                for (int i = 0; i < 30; i++) {
                    client.send("{\"type\":\"message\",\"id\":\"f" + i + "\",\"text\":\"flood " + i + "\"}");
                }
                JsonNode limited = client.awaitBadRequest("RATE_LIMITED");
                assertThat(limited.path("messageId").asText()).startsWith("f");
                assertThat(limited.path("messageToUser").asText()).contains("Too many frames");
                ScriptedDesk chat = desk.latestChat();
                Await.until(() -> client.all("messageStatus").size() + client.all("error").size() >= 30, "an answer to every frame");
                assertThat(chat.messages.size()).isLessThan(30).isEqualTo(client.all("messageStatus").size());
                // Once the bucket refills, the same connection carries on: a dropped message is sent again with its id.
                String dropped = limited.path("messageId").asText();
                Await.until(() -> {
                    client.send("{\"type\":\"message\",\"id\":\"" + dropped + "\",\"text\":\"flood " + dropped.substring(1) + "\"}");
                    return client.all("messageStatus").stream().anyMatch(f -> f.path("id").asText().equals(dropped));
                }, "the dropped message accepted on a retry");
                assertThat(client.isClosed()).isFalse();
            }
        }
    }

    @Nested
    @DisplayName("HTTP")
    class Http {

        @Test
        @DisplayName("/health answers UP with the desk's name")
        void health() throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(web.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(response.body()).contains("\"status\":\"UP\"", "\"desk\":\"scripted\"");
        }

        @Test
        @DisplayName("the page is served from / with a content security policy, and its script and style load")
        void page() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(web.uri()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Talk to an agent", "chat.js", "role=\"log\"", "aria-live");
            assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
            assertThat(http.send(HttpRequest.newBuilder(web.uri().resolve("/chat.js")).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("resumeToken");
            assertThat(http.send(HttpRequest.newBuilder(web.uri().resolve("/nothing-here")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);
        }

        @Test
        @DisplayName("a page from an origin outside webchat.allowedOrigins cannot open the socket; a listed one can")
        void origins() {
            web.close();
            web = WebChatFixture.start(desk, Map.of("webchat.allowedOrigins", "https://shop.example.com"));
            assertThatThrownBy(() -> ChatClient.connect(web.uri(), Map.of("Origin", "https://evil.example.com")))
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403));
            try (ChatClient client = ChatClient.connect(web.uri(), Map.of("Origin", "https://shop.example.com"))) {
                client.send("{\"type\":\"hello\"}");
                client.await("welcome");
            }
        }

        @Test
        @DisplayName("without allowedOrigins only the server's own origin may open the socket")
        void sameOrigin() {
            String own = "http://localhost:" + web.server.port();
            try (ChatClient client = ChatClient.connect(web.uri(), Map.of("Origin", own))) {
                client.send("{\"type\":\"hello\"}");
                client.await("welcome");
            }
            assertThatThrownBy(() -> ChatClient.connect(web.uri(), Map.of("Origin", "http://other.example:" + web.server.port())))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
        }
    }
}

package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.CallbackMatchers;
import io.deskbridge.testkit.RecordingCallback;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's agent console")
class AgentConsoleTest {
    private GenesysSimulator simulator;
    private GuestClient client;

    @BeforeEach
    void start() {
        simulator = GenesysSimulator.builder().heartbeatInterval(Duration.ZERO).streamCloseDelay(Duration.ofMillis(50))
                .agent(new GenesysAgent("alex", "Alex Agent", URI.create("https://example.com/alex.png")))
                .agent(new GenesysAgent("sam", "Sam Specialist"))
                .webMessagingDeployment(io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment
                        .defaults(GenesysSimulator.DEFAULT_DEPLOYMENT_ID).withLimits(2048, 4000, 200).withHumanize(true)
                        .withClearEnabled(true).withUserTypingIndicator(true))
                .build().start();
        client = new GuestClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> console(String method, String path, String body) {
        return client.send(method, simulator.consoleUrl().resolve(path).toString(), body, "application/json");
    }

    @Test
    @DisplayName("serves the page, its script and style, and generated avatars")
    void servesPage() {
        HttpResponse<String> page = console("GET", "/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Genesys simulator: agent console</title>", "console.js");
        assertThat(console("GET", "/console.js", null).body()).contains("api/state");
        assertThat(console("GET", "/console.css", null).statusCode()).isEqualTo(200);
        HttpResponse<String> avatar = console("GET", "/avatars/alex.svg", null);
        assertThat(avatar.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(avatar.body()).contains(">AA</text>");
        assertThat(console("GET", "/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("a person accepts a waiting chat, types, replies, transfers and ends it; the guest sees each step")
    void playsTheAgent() {
        GuestClient.Created chat = client.createChat();
        StreamRecorder stream = client.openStream(chat);
        stream.nextEvents(8);
        client.sendMessage(chat, "Hello, anyone?");
        stream.nextEvent();
        String base = "/api/conversations/" + chat.id() + "/";

        JsonNode waiting = parse(console("GET", "/api/state", null)).path("conversations").get(0);
        assertThat(waiting.path("status").asText()).isEqualTo("waiting");
        assertThat(waiting.path("guestName").asText()).isEqualTo("Jane Doe");
        assertThat(waiting.path("messages").get(0).path("body").asText()).isEqualTo("Hello, anyone?");

        assertThat(console("POST", base + "accept", "{\"agentId\":\"alex\"}").statusCode()).isEqualTo(200);
        assertThat(stream.nextEvents(5)).extracting(StreamRecorder::gist).startsWith("member-change alex ALERTING");
        console("POST", base + "typing", null);
        assertThat(StreamRecorder.gist(stream.nextEvent())).isEqualTo("typing-indicator alex");
        JsonNode sent = parse(console("POST", base + "send", "{\"text\":\"Hi Jane, Alex here\"}"));
        JsonNode reply = stream.nextEvent();
        assertThat(reply.path("eventBody").path("body").asText()).isEqualTo("Hi Jane, Alex here");
        assertThat(reply.path("eventBody").path("id").asText()).isEqualTo(sent.path("messageId").asText());
        console("POST", base + "transfer", "{\"agentId\":\"sam\"}");
        assertThat(stream.nextEvents(3)).extracting(StreamRecorder::gist).startsWith("member-change sam ALERTING");
        JsonNode alerting = parse(console("GET", "/api/state", null)).path("conversations").get(0);
        assertThat(alerting.path("status").asText()).isEqualTo("alerting");
        assertThat(alerting.path("alertingAgentName").asText()).isEqualTo("Sam Specialist");
        console("POST", base + "accept", "{\"agentId\":\"sam\"}");
        stream.nextEvents(2);
        JsonNode connected = parse(console("GET", "/api/state", null)).path("conversations").get(0);
        assertThat(connected.path("status").asText()).isEqualTo("connected");
        assertThat(connected.path("agentName").asText()).isEqualTo("Sam Specialist");

        assertThat(console("POST", base + "end", null).statusCode()).isEqualTo(200);

        assertThat(stream.awaitEnd()).isEqualTo("close 1000");
        assertThat(parse(console("GET", "/api/state", null)).path("conversations").get(0).path("status").asText())
                .isEqualTo("ended");
    }

    @Test
    @DisplayName("a refused action answers 409 with the reason, and the chat is unchanged")
    void refusedAction() {
        GuestClient.Created chat = client.createChat();

        HttpResponse<String> early = console("POST", "/api/conversations/" + chat.id() + "/accept",
                "{\"agentId\":\"alex\"}");
        HttpResponse<String> unknownAgent = console("POST", "/api/conversations/" + chat.id() + "/accept",
                "{\"agentId\":\"nobody\"}");
        HttpResponse<String> empty = console("POST", "/api/conversations/" + chat.id() + "/send", "{\"text\":\" \"}");

        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(parse(early).path("error").asText()).contains("not routed yet");
        assertThat(parse(unknownAgent).path("error").asText()).contains("no agent 'nobody'");
        assertThat(empty.statusCode()).isEqualTo(409);
        assertThat(simulator.awaitConversation(Duration.ofSeconds(1)).members()).hasSize(1);
    }

    @Nested
    @DisplayName("with a web messaging chat of the real desk")
    class WebMessaging {
        private static final Duration WAIT = Duration.ofSeconds(10);

        private Deskbridge runtime;
        private ServiceDesk desk;
        private RecordingCallback callback;

        @BeforeEach
        void startChat() {
            Map<String, String> configuration = new HashMap<>(simulator.deskbridgeConfiguration());
            configuration.put("genesys.webMessagingOutboundRate", "100");
            configuration.put("genesys.webMessagingReadReceipts", "true"); // the console's agent sends them
            runtime = Deskbridge.builder().configuration(Configuration.of(configuration))
                    .providers(ServiceDeskProviders.of(List.of(new GenesysServiceDeskProvider()))).build();
            callback = new RecordingCallback();
            desk = runtime.getInstance(ServiceDeskFactory.class).create(new DeskContext("console-chat", callback));
            await(desk.updateState(ChatState.empty().withDisplayName("Jane Doe")));
            await(desk.startChat(ConnectRequest.of("billing", "Hello, anyone?"), StartChatOptions.none()));
        }

        @AfterEach
        void stopDesk() {
            runtime.close();
        }

        private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
            try {
                return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the desk did not complete: " + e, e);
            }
        }

        private JsonNode chat() {
            for (JsonNode conversation : parse(console("GET", "/api/state", null)).path("conversations")) {
                if (conversation.path("transport").asText().equals("web-messaging")) {
                    return conversation;
                }
            }
            throw new AssertionError("no web messaging chat in the console");
        }

        private JsonNode awaitChat(Predicate<JsonNode> condition, String what) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                JsonNode chat = chat();
                if (condition.test(chat)) {
                    return chat;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the console did not show " + what + ": " + chat);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20); // the poll interval of a bounded wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        private HttpResponse<String> act(String action, String body) {
            return console("POST", "/api/conversations/" + chat().path("id").asText() + "/" + action, body);
        }

        private CallbackEvent awaitEvent(Predicate<? super CallbackEvent> matcher, String what) {
            return callback.awaitEvent(matcher, what, WAIT);
        }

        @Test
        @DisplayName("a person accepts it, types, replies, sends a read receipt and a bot message; the user sees each"
                + " step, and the console shows the user's messages and typing")
        void playsTheAgent() {
            JsonNode waiting = awaitChat(c -> c.path("messages").size() == 1, "the connect summary");
            assertThat(waiting.path("status").asText()).isEqualTo("waiting");
            assertThat(waiting.path("guestName").asText()).isEqualTo("Jane Doe");
            assertThat(waiting.path("queue").asText()).isEqualTo(GenesysSimulator.DEFAULT_QUEUE_NAME);
            assertThat(waiting.path("streamAttached").asBoolean()).isTrue();
            assertThat(waiting.path("messages").get(0).path("senderRole").asText()).isEqualTo("CUSTOMER");
            assertThat(waiting.path("messages").get(0).path("body").asText()).contains("Hello, anyone?");

            assertThat(act("accept", "{\"agentId\":\"alex\"}").statusCode()).isEqualTo(200);
            AgentProfile joined = ((CallbackEvent.AgentJoined) awaitEvent(CallbackMatchers.agentJoined(), "agentJoined"))
                    .agent();
            assertThat(joined.nickname()).isEqualTo("Alex Agent");
            assertThat(joined.avatarUrl()).hasValue(URI.create("https://example.com/alex.png"));
            assertThat(chat().path("status").asText()).isEqualTo("connected");
            assertThat(chat().path("agentName").asText()).isEqualTo("Alex Agent");

            act("typing", null);
            awaitEvent(CallbackMatchers.agentTyping(true), "agentTyping(true)");
            JsonNode sent = parse(act("send", "{\"text\":\"Hi Jane, Alex here\"}"));
            AgentMessage reply = ((CallbackEvent.MessageToUser) awaitEvent(
                    CallbackMatchers.messageWithText("Hi Jane, Alex here"), "the reply")).message();
            assertThat(reply.id()).isEqualTo(sent.path("messageId").asText());
            assertThat(reply.origin()).isEqualTo(MessageOrigin.AGENT);
            act("read", null);
            awaitEvent(CallbackMatchers.agentRead(), "agentReadMessages");
            act("notice", "{\"text\":\"Our opening hours are 8 to 6\"}");
            AgentMessage bot = ((CallbackEvent.MessageToUser) awaitEvent(
                    CallbackMatchers.messageWithText("Our opening hours are 8 to 6"), "the bot message")).message();
            assertThat(bot.origin()).isEqualTo(MessageOrigin.BOT);

            await(desk.userTyping(true));
            await(desk.sendMessageToAgent(new UserMessage("u-1", "My invoice is wrong")));

            // Accepting greets the guest: Genesys shows a web messaging guest an agent only by the agent's messages.
            JsonNode shown = awaitChat(c -> c.path("messages").size() == 5 && c.path("guestTyping").asBoolean(),
                    "the whole conversation and the guest typing");
            assertThat(shown.path("messages")).extracting(m -> m.path("senderRole").asText() + " "
                    + m.path("senderName").asText() + ": " + m.path("body").asText())
                    .containsExactly("CUSTOMER Jane Doe: " + waiting.path("messages").get(0).path("body").asText(),
                            "AGENT Alex Agent: Hello, this is Alex Agent.",
                            "AGENT Alex Agent: Hi Jane, Alex here", "BOT Bot: Our opening hours are 8 to 6",
                            "CUSTOMER Jane Doe: My invoice is wrong")
                    .hasSize(5);
        }

        @Test
        @DisplayName("a transfer offers the chat to another agent; the user sees the transfer when that agent accepts;"
                + " the agent ends the chat")
        void transfersAndEnds() {
            awaitChat(c -> c.path("messages").size() == 1, "the connect summary");
            act("accept", "{\"agentId\":\"alex\"}");
            awaitEvent(CallbackMatchers.agentJoined(), "agentJoined");

            assertThat(act("transfer", "{\"agentId\":\"sam\"}").statusCode()).isEqualTo(200);
            JsonNode offered = chat();
            assertThat(offered.path("status").asText()).isEqualTo("alerting");
            assertThat(offered.path("alertingAgentName").asText()).isEqualTo("Sam Specialist");
            HttpResponse<String> wrongAgent = act("accept", "{\"agentId\":\"alex\"}");
            assertThat(wrongAgent.statusCode()).isEqualTo(409);
            assertThat(parse(wrongAgent).path("error").asText()).contains("offered to Sam Specialist");
            act("accept", "{\"agentId\":\"sam\"}");
            awaitEvent(CallbackMatchers.transferStarted(), "beginTransferToAnotherAgent");
            AgentProfile sam = ((CallbackEvent.AgentJoined) callback.awaitEvent(
                    callback.indexOf(CallbackMatchers.transferStarted(), 0).orElseThrow(),
                    CallbackMatchers.agentJoined(), "the new agent", WAIT)).agent();
            assertThat(sam.nickname()).isEqualTo("Sam Specialist");
            assertThat(chat().path("agentName").asText()).isEqualTo("Sam Specialist");

            assertThat(act("end", null).statusCode()).isEqualTo(200);

            awaitEvent(CallbackMatchers.agentEnded(), "agentEndedChat");
            JsonNode ended = chat();
            assertThat(ended.path("status").asText()).isEqualTo("ended");
            assertThat(ended.path("messages").get(ended.path("messages").size() - 1).path("bodyType").asText())
                    .isEqualTo("member-leave");
            assertThat(act("send", "{\"text\":\"still there?\"}").statusCode()).isEqualTo(409);
        }

        @Test
        @DisplayName("refuses what web messaging cannot do in the chat's state, with the reason; the user ending shows")
        void refusals() {
            awaitChat(c -> c.path("messages").size() == 1, "the connect summary");

            HttpResponse<String> early = act("send", "{\"text\":\"hello\"}");
            HttpResponse<String> transfer = act("transfer", "{\"agentId\":\"sam\"}");
            assertThat(early.statusCode()).isEqualTo(409);
            assertThat(parse(early).path("error").asText()).isEqualTo("accept the chat first");
            assertThat(parse(transfer).path("error").asText()).isEqualTo("accept the chat first");
            act("accept", "{\"agentId\":\"alex\"}");
            assertThat(parse(act("accept", "{\"agentId\":\"sam\"}")).path("error").asText())
                    .contains("Alex Agent has this chat");
            assertThat(act("leave", null).statusCode()).isEqualTo(200);
            assertThat(chat().path("status").asText()).as("back in the queue").isEqualTo("waiting");

            await(desk.endChat(EndChatInfo.none()));

            assertThat(awaitChat(c -> c.path("status").asText().startsWith("ended"), "the end").path("status")
                    .asText()).isEqualTo("ended by the guest");
            SimulatedWebMessagingSession session = simulator.webMessaging().sessions().get(0);
            assertThat(session.endedByUser()).isTrue();
        }

        @Test
        @DisplayName("waiting and connected web messaging chats count in the default queue (media type message)")
        void queueCounts() {
            awaitChat(c -> c.path("messages").size() == 1, "the connect summary");
            SimulatedQueue queue = simulator.defaultQueue();
            assertThat(queue.webMessagingWaiting()).isEqualTo(1);
            assertThat(queue.waiting()).as("guest chat").isZero();

            act("accept", "{\"agentId\":\"alex\"}");

            assertThat(queue.webMessagingWaiting()).isZero();
            assertThat(queue.webMessagingInteracting()).isEqualTo(1);
            assertThat(client.accessToken()).isNotBlank();
            String query = "{\"filter\":{\"type\":\"or\",\"predicates\":[{\"dimension\":\"queueId\",\"value\":\""
                    + queue.id() + "\"}]},\"metrics\":[\"oInteracting\"]}";
            JsonNode observed = parse(client.platform("POST", "/api/v2/analytics/queues/observations/query",
                    client.accessToken(), query));
            JsonNode message = null;
            for (JsonNode result : observed.path("results")) {
                if (result.path("group").path("mediaType").asText().equals("message")) {
                    message = result;
                }
            }
            assertThat(message).isNotNull();
            assertThat(message.path("data").get(0).path("stats").path("count").asInt()).isEqualTo(1);
        }
    }
}

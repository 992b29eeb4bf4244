package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's agent console")
class AgentConsoleTest {
    private GenesysSimulator simulator;
    private GuestClient client;

    @BeforeEach
    void start() {
        simulator = GenesysSimulator.builder().heartbeatInterval(Duration.ZERO).streamCloseDelay(Duration.ofMillis(50))
                .agent(new SimulatedAgent("alex", "Alex Agent")).agent(new SimulatedAgent("sam", "Sam Specialist"))
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
}

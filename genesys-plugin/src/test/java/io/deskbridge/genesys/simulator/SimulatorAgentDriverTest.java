package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.DriverHookMissing;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The kit's agent driver over the simulator")
class SimulatorAgentDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private SimulatorAgentDriver driver;
    private GenesysSimulator simulator;
    private GuestClient client;

    @BeforeEach
    void start() {
        driver = SimulatorAgentDriver.startSimulator();
        simulator = driver.simulator();
        client = new GuestClient(simulator);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private JsonNode observe(String metric) {
        String token = client.accessToken();
        String query = "{\"filter\":{\"type\":\"or\",\"predicates\":[{\"dimension\":\"queueId\",\"value\":\""
                + simulator.defaultQueue().id() + "\"}]},\"metrics\":[\"" + metric + "\"]}";
        return parse(client.platform("POST", "/api/v2/analytics/queues/observations/query", token, query));
    }

    @Test
    @DisplayName("the configuration selects the guest chat transport at the simulator's addresses")
    void configuration() {
        assertThat(driver.configuration())
                .containsEntry("desk", "genesys")
                .containsEntry("genesys.transport", "guest-chat")
                .containsEntry("genesys.apiBaseUrl", simulator.apiBaseUrl().toString())
                .containsEntry("genesys.loginBaseUrl", simulator.loginBaseUrl().toString())
                .containsEntry("genesys.organizationId", simulator.organizationId())
                .containsEntry("genesys.deploymentId", GenesysSimulator.DEFAULT_DEPLOYMENT_ID)
                .containsEntry("genesys.queueName", GenesysSimulator.DEFAULT_QUEUE_NAME)
                .containsEntry("genesys.clientId", GenesysSimulator.DEFAULT_CLIENT_ID)
                .containsEntry("genesys.clientSecret", GenesysSimulator.DEFAULT_CLIENT_SECRET)
                .containsKey("genesys.environment")
                .doesNotContainKey("genesys.authenticatedChat");
    }

    @Test
    @DisplayName("agents are online at first; setAgentsOnline(false) leaves no agent on queue")
    void agentsOnline() {
        assertThat(observe("oOnQueueUsers").path("results").get(0).path("data").get(0).path("qualifier").asText())
                .isEqualTo("IDLE");

        driver.setAgentsOnline(false);

        assertThat(observe("oOnQueueUsers").path("results")).isEmpty();
    }

    @Test
    @DisplayName("rejectNextChat refuses exactly the next create with a non-retryable error")
    void rejectNextChat() {
        driver.rejectNextChat();

        HttpResponse<String> refused = client.create(client.createRequest());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(parse(refused).path("code").asText()).isEqualTo("chat.deployment.disabled");
        assertThat(client.create(client.createRequest()).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("awaitChat hands out a chat once its stream is attached, and fails clearly when none comes")
    void awaitChat() {
        assertThatThrownBy(() -> driver.awaitChat(Duration.ofMillis(100))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no guest chat conversation");
        GuestClient.Created created = client.createChat();
        client.openStream(created);

        AgentSideChat chat = driver.awaitChat(WAIT);

        assertThat(chat.id()).isEqualTo(created.id());
    }

    @Test
    @DisplayName("awaitChat fails when the desk never attaches the event stream")
    void awaitChatWithoutStream() {
        client.createChat();

        assertThatThrownBy(() -> driver.awaitChat(Duration.ofMillis(200))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not attach its event stream");
    }

    @Test
    @DisplayName("the agent's actions reach the guest's stream; the user's messages, typing and end are reported")
    void agentActions() {
        GuestClient.Created created = client.createChat();
        StreamRecorder stream = client.openStream(created);
        AgentSideChat chat = driver.awaitChat(WAIT);
        stream.nextEvents(8);
        AgentProfile alex = new AgentProfile("alex", "Alex Agent", Optional.of(URI.create("https://x.test/a.png")));

        chat.agentJoins(alex);
        stream.nextEvents(5);
        JsonNode member = parse(client.guest("GET", created.path("/members/alex"), created.jwt(), null));
        assertThat(member.path("displayName").asText()).isEqualTo("Alex Agent");
        assertThat(member.path("avatarImageUrl").asText()).isEqualTo("https://x.test/a.png");
        chat.agentTypes();
        assertThat(stream.nextEvent().path("metadata").path("type").asText()).isEqualTo("typing-indicator");
        String id = chat.agentSends("Hi Jane");
        assertThat(stream.nextEvent().path("eventBody").path("id").asText()).isEqualTo(id);
        chat.transferTo(new AgentProfile("sam", "Sam"));
        assertThat(stream.nextEvents(3)).extracting(StreamRecorder::gist)
                .containsExactly("member-change sam ALERTING", "member-change alex DISCONNECTED",
                        "message alex member-leave");
        chat.agentJoins(new AgentProfile("sam", "Sam"));
        stream.nextEvents(2);
        chat.agentLeaves();
        assertThat(StreamRecorder.gist(stream.nextEvent())).isEqualTo("member-change sam DISCONNECTED");

        client.sendMessage(created, "summary");
        chat.failNextUserMessage();
        assertThat(client.sendMessage(created, "refused").statusCode()).isEqualTo(400);
        client.guest("POST", created.path("/members/" + created.memberId() + "/typing"), created.jwt(), null);
        assertThat(chat.userMessages()).containsExactly("summary");
        assertThat(chat.userTypingCount()).isEqualTo(1);
        assertThat(chat.endedByUser()).isFalse();
        client.guest("DELETE", created.path("/members/" + created.memberId()), created.jwt(), null);
        assertThat(chat.endedByUser()).isTrue();
    }

    @Test
    @DisplayName("the agent ends the chat")
    void agentEnds() {
        GuestClient.Created created = client.createChat();
        StreamRecorder stream = client.openStream(created);
        AgentSideChat chat = driver.awaitChat(WAIT);
        chat.agentJoins(new AgentProfile("alex", "Alex"));

        chat.agentEndsChat();

        assertThat(stream.awaitEnd()).isEqualTo("close 1000");
        assertThat(chat.endedByUser()).isFalse();
    }

    @Test
    @DisplayName("dropConnection drops the stream and refuses reconnects until restoreConnection")
    void connection() {
        GuestClient.Created created = client.createChat();
        StreamRecorder stream = client.openStream(created);
        AgentSideChat chat = driver.awaitChat(WAIT);

        chat.dropConnection();

        assertThat(stream.awaitEnd()).as("connection reset, no close frame").isEqualTo("error IOException");
        assertThatThrownBy(() -> client.openStream(created)).isInstanceOf(RuntimeException.class);
        chat.restoreConnection();
        assertThat(client.openStream(created)).isNotNull();
    }

    @Test
    @DisplayName("setQueueStatus sets the queue's waiting count and the chat's estimated wait")
    void queueStatus() {
        GuestClient.Created created = client.createChat();
        client.openStream(created);
        AgentSideChat chat = driver.awaitChat(WAIT);

        chat.setQueueStatus(OptionalInt.of(3), Optional.of(Duration.ofSeconds(120)));

        JsonNode chatGroup = observe("oWaiting").path("results").get(1);
        assertThat(chatGroup.path("group").path("mediaType").asText()).isEqualTo("chat");
        assertThat(chatGroup.path("data").get(0).path("stats").path("count").asInt()).isEqualTo(3);
        JsonNode wait = parse(client.platform("GET", "/api/v2/routing/queues/" + simulator.defaultQueue().id()
                + "/estimatedwaittime?conversationId=" + created.id(), client.accessToken(), null));
        assertThat(wait.path("results").get(0).path("estimatedWaitTimeSeconds").asInt()).isEqualTo(120);

        chat.setQueueStatus(OptionalInt.empty(), Optional.empty());

        assertThat(observe("oWaiting").path("results").get(1).path("data").get(0).path("stats").path("count").asInt())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("read receipts are not part of guest chat: those hooks stay missing")
    void noReadReceipts() {
        GuestClient.Created created = client.createChat();
        client.openStream(created);
        AgentSideChat chat = driver.awaitChat(WAIT);

        assertThatThrownBy(chat::agentReads).isInstanceOf(DriverHookMissing.class);
        assertThatThrownBy(chat::userReadCount).isInstanceOf(DriverHookMissing.class);
    }
}

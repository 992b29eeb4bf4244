package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.agentLeft;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What an agent's {@code Presence Disconnect} does, as {@code genesys.webMessagingAgentDisconnect} says: {@code end}
 * (the default) ends the chat; {@code deployment} follows Genesys's messenger ({@code MessagingClientImpl}: the event's
 * {@code metadata.readOnly} first, the deployment's {@code conversationDisconnect} type otherwise), so that a disconnect
 * leaving the session writable is the agent leaving, and the chat goes on with the next agent Genesys routes.
 */
@DisplayName("Web messaging: an agent's disconnect, as configured")
class WebMessagingAgentDisconnectTest {
    private static final Map<String, String> DEPLOYMENT_MODE = Map.of("genesys.webMessagingAgentDisconnect", "deployment");
    private final List<WebMessagingHarness> harnesses = new ArrayList<>();

    @AfterEach
    void close() {
        harnesses.forEach(WebMessagingHarness::close);
    }

    private WebMessagingHarness harness(MessengerDeployment deployment, Map<String, String> extra) {
        WebMessagingHarness h = new WebMessagingHarness(deployment, extra, Optional.empty());
        harnesses.add(h);
        return h;
    }

    /** A chat an agent joined, its callback told the chat's life so that it checks the contract. */
    private static WebMessagingHarness.Started joined(WebMessagingHarness h) {
        WebMessagingHarness.Chat chat = h.newChat();
        chat.callback().chatStarting();
        await(chat.desk().startChat(ConnectRequest.of("billing", "The user asks about an invoice"), StartChatOptions.none()));
        chat.callback().chatStarted();
        WebMessagingHarness.Started started = new WebMessagingHarness.Started(chat, h.simulator.awaitSession(WAIT));
        started.session().agentJoins("Ada", Optional.empty());
        started.callback().awaitEvent(agentJoined(), "agentJoined", WAIT);
        return started;
    }

    /** An outbound {@code Presence Disconnect} as Genesys sends it, with {@code metadata.readOnly} when given. */
    private static String disconnectFrame(Optional<String> readOnly) {
        String id = UUID.randomUUID().toString();
        String metadata = "{\"correlationId\":\"c-1\"" + readOnly.map(r -> ",\"readOnly\":\"" + r + "\"").orElse("") + "}";
        return "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"direction\":\"Outbound\",\"id\":\"" + id
                + "\",\"channel\":{\"time\":\"2030-01-01T00:00:00.000Z\",\"messageId\":\"" + id + "\"},\"type\":\"Event\",\"metadata\":"
                + metadata + ",\"events\":[{\"eventType\":\"Presence\",\"presence\":{\"type\":\"Disconnect\"}}]}}";
    }

    private static void assertNoViolations(WebMessagingHarness.Started chat) {
        assertThat(chat.callback().violations()).as("contract violations").isEmpty();
    }

    @Test
    @DisplayName("end (the default): a disconnect that lets the guest write on still ends the chat, as before")
    void endByDefault() {
        WebMessagingHarness h = harness(WebMessagingHarness.defaultDeployment(), Map.of());
        var chat = joined(h);
        chat.session().agentEnds();
        chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentLeft.class)).isEmpty();
        assertNoViolations(chat);
    }

    @Test
    @DisplayName("deployment, type Send: the agent leaves, the user writes on to Genesys, and the next agent's first message is a join")
    void sendDisconnectLeaves() {
        WebMessagingHarness h = harness(WebMessagingHarness.defaultDeployment(), DEPLOYMENT_MODE);
        var chat = joined(h);
        String before = chat.session().agentSends("I am handing you back to the queue.");
        chat.session().agentEnds();
        chat.callback().awaitEvent(agentLeft(), "agentLeftChat", WAIT);
        int left = chat.callback().indexOf(agentLeft(), 0).orElseThrow();
        assertThat(chat.callback().indexOf(messageWithId(before), 0)).hasValueSatisfying(i -> assertThat(i).isLessThan(left));
        assertThat(chat.session().isReadOnly()).isFalse();
        // The persisted state no longer names the agent who left: a chat resumed now has no agent.
        assertThat(chat.callback().lastPersistedState()).hasValueSatisfying(state -> {
            assertThat(state.get(WebMessagingPersistence.KEY_AGENT_ID)).isEmpty();
            assertThat(state.get(WebMessagingPersistence.KEY_TOKEN)).isPresent();
        });

        await(chat.desk().sendMessageToAgent(new UserMessage("after-left", "Is anyone there?")));
        assertThat(chat.session().userTexts()).contains("Is anyone there?");
        assertThat(chat.session().openConnections()).isPositive();

        chat.session().agentJoins("Grace", Optional.empty());
        var joined = (CallbackEvent.AgentJoined) chat.callback().awaitEvent(left, agentJoined(), "agentJoined for the next agent", WAIT);
        assertThat(joined.agent().nickname()).isEqualTo("Grace");
        String greeting = chat.session().agentSends("Grace here, how can I help?");
        chat.callback().awaitEvent(messageWithId(greeting), "the next agent's message", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentEnded.class)).isEmpty();
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentJoined.class)).hasSize(2);
        assertNoViolations(chat);
    }

    @Test
    @DisplayName("deployment, type Send: an agent message the socket lost before the disconnect is delivered before agentLeftChat")
    void leaveAfterCatchUp() {
        WebMessagingHarness h = harness(WebMessagingHarness.defaultDeployment(), DEPLOYMENT_MODE);
        var chat = joined(h);
        chat.session().loseNextOutbound(1);
        String lost = chat.session().agentSends("one last thing before I go");
        chat.session().agentEnds();
        chat.callback().awaitEvent(agentLeft(), "agentLeftChat", WAIT);
        int left = chat.callback().indexOf(agentLeft(), 0).orElseThrow();
        int message = chat.callback().indexOf(messageWithId(lost), 0).orElseThrow(() -> new AssertionError("the lost message never arrived"));
        assertThat(message).isLessThan(left);
        assertNoViolations(chat);
    }

    @Test
    @DisplayName("deployment, type ReadOnly: the disconnect makes the session read-only and ends the chat")
    void readOnlyDisconnectEnds() {
        WebMessagingHarness h = harness(WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(true), DEPLOYMENT_MODE);
        var chat = joined(h);
        chat.session().agentEnds();
        chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentLeft.class)).isEmpty();
        assertNoViolations(chat);
    }

    @Test
    @DisplayName("deployment: the event's metadata.readOnly wins over the deployment's type, either way (raw frames)")
    void metadataWins() {
        // A ReadOnly deployment, but Genesys says this disconnect leaves the session writable.
        WebMessagingHarness readOnlyDeployment = harness(WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(true), DEPLOYMENT_MODE);
        var writable = joined(readOnlyDeployment);
        writable.session().sendRawFrame(disconnectFrame(Optional.of("false")));
        writable.callback().awaitEvent(agentLeft(), "agentLeftChat", WAIT);
        String probe = writable.session().agentSends("still here");
        writable.callback().awaitEvent(messageWithId(probe), "a message after the agent left", WAIT);
        assertThat(writable.callback().eventsOf(CallbackEvent.AgentEnded.class)).isEmpty();
        assertNoViolations(writable);

        // A Send deployment, but Genesys says this one made the session read-only ("TRUE": any case, as the SDK reads it).
        WebMessagingHarness sendDeployment = harness(WebMessagingHarness.defaultDeployment(), DEPLOYMENT_MODE);
        var readOnly = joined(sendDeployment);
        readOnly.session().sendRawFrame(disconnectFrame(Optional.of("TRUE")));
        readOnly.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        assertThat(readOnly.callback().eventsOf(CallbackEvent.AgentLeft.class)).isEmpty();
        assertNoViolations(readOnly);
    }

    @Test
    @DisplayName("deployment: without metadata the deployment's type decides (raw frames); a second disconnect with no agent says nothing")
    void typeDecidesWithoutMetadata() {
        WebMessagingHarness sendDeployment = harness(WebMessagingHarness.defaultDeployment(), DEPLOYMENT_MODE);
        var chat = joined(sendDeployment);
        chat.session().sendRawFrame(disconnectFrame(Optional.empty()));
        chat.callback().awaitEvent(agentLeft(), "agentLeftChat", WAIT);
        chat.session().sendRawFrame(disconnectFrame(Optional.empty()));
        String probe = chat.session().botSends("You are back in the queue.");
        chat.callback().awaitEvent(messageWithId(probe), "the flow's message", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentLeft.class)).hasSize(1);
        assertNoViolations(chat);

        WebMessagingHarness readOnlyDeployment = harness(WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(true), DEPLOYMENT_MODE);
        var ended = joined(readOnlyDeployment);
        ended.session().sendRawFrame(disconnectFrame(Optional.empty()));
        ended.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        assertNoViolations(ended);
    }

    @Test
    @DisplayName("end: even a disconnect whose metadata says the session stays writable ends the chat")
    void endIgnoresMetadata() {
        WebMessagingHarness h = harness(WebMessagingHarness.defaultDeployment(), Map.of("genesys.webMessagingAgentDisconnect", "END"));
        var chat = joined(h);
        chat.session().sendRawFrame(disconnectFrame(Optional.of("false")));
        chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        assertThat(chat.callback().eventsOf(CallbackEvent.AgentLeft.class)).isEmpty();
        assertNoViolations(chat);
    }

    @Test
    @DisplayName("The decision, as Genesys's messenger makes it: metadata.readOnly first, the deployment's type without it; end always ends")
    void decisionTable() {
        WebMessagingDeploymentConfig send = WebMessagingDeploymentConfig.DEFAULTS;
        WebMessagingDeploymentConfig readOnly = new WebMessagingDeploymentConfig(false, false, true, false, Optional.empty(), List.of(), false, false);
        WebMessagingSettings.AgentDisconnect deployment = WebMessagingSettings.AgentDisconnect.DEPLOYMENT;
        WebMessagingSettings.AgentDisconnect end = WebMessagingSettings.AgentDisconnect.END;
        assertThat(deployment.endsChat(Optional.empty(), send)).isFalse();
        assertThat(deployment.endsChat(Optional.empty(), readOnly)).isTrue();
        assertThat(deployment.endsChat(Optional.of(false), readOnly)).isFalse();
        assertThat(deployment.endsChat(Optional.of(true), send)).isTrue();
        for (Optional<Boolean> metadata : List.of(Optional.<Boolean>empty(), Optional.of(false), Optional.of(true))) {
            assertThat(end.endsChat(metadata, send)).isTrue();
            assertThat(end.endsChat(metadata, readOnly)).isTrue();
        }
    }

    @Test
    @DisplayName("A value other than end or deployment fails start-up naming the key and the allowed values")
    void invalidSetting() {
        Map<String, String> values = new java.util.HashMap<>(Map.of("genesys.environment", "mypurecloud.com", "genesys.deploymentId", "d-1",
                "genesys.organizationId", "o-1", "genesys.queueName", "Support", "genesys.webMessagingAgentDisconnect", "leave"));
        assertThatThrownBy(() -> GenesysSettings.read(Configuration.of(values))).isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("genesys.webMessagingAgentDisconnect").hasMessageContaining("end, deployment")
                .hasMessageContaining("leave");
        values.put("genesys.webMessagingAgentDisconnect", "Deployment");
        assertThat(GenesysSettings.read(Configuration.of(values)).webMessaging().agentDisconnect())
                .isEqualTo(WebMessagingSettings.AgentDisconnect.DEPLOYMENT);
        values.remove("genesys.webMessagingAgentDisconnect");
        assertThat(GenesysSettings.read(Configuration.of(values)).webMessaging().agentDisconnect())
                .isEqualTo(WebMessagingSettings.AgentDisconnect.END);
    }
}

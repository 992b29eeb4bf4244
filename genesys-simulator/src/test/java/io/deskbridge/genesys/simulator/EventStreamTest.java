package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.GuestClient.parse;
import static io.deskbridge.genesys.simulator.StreamRecorder.gist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's guest chat event stream")
class EventStreamTest {
    private static final GenesysAgent ALEX = new GenesysAgent("alex", "Alex Agent",
            URI.create("https://example.com/alex.png"));
    private static final GenesysAgent SAM = new GenesysAgent("sam", "Sam Specialist");

    private GenesysSimulator simulator;
    private GuestClient client;
    private GuestClient.Created chat;
    private SimulatedConversation conversation;

    @BeforeEach
    void start() {
        simulator = GenesysSimulator.builder().heartbeatInterval(Duration.ZERO).streamCloseDelay(Duration.ofMillis(50))
                .build().start();
        client = new GuestClient(simulator);
        chat = client.createChat();
        conversation = simulator.awaitConversation(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** Opens the stream and reads the routing sequence. */
    private StreamRecorder attach() {
        StreamRecorder stream = client.openStream(chat);
        assertThat(conversation.awaitRouted(Duration.ofSeconds(5))).isTrue();
        stream.nextEvents(8);
        return stream;
    }

    private String acdId() {
        return conversation.members().stream().filter(m -> m.role() == SimulatedMemberRole.ACD).findFirst().orElseThrow().id();
    }

    @Test
    @DisplayName("routing starts when the stream attaches: guest, workflow, then ACD, in the exact envelope")
    void routingSequence() {
        assertThat(conversation.isRouted()).isFalse();
        assertThatThrownBy(() -> conversation.agentJoins(ALEX)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("awaitRouted");

        StreamRecorder stream = client.openStream(chat);
        List<JsonNode> events = stream.nextEvents(8);

        List<SimulatedMember> members = conversation.members();
        String guest = chat.memberId();
        String workflow = members.get(1).id();
        String acd = members.get(2).id();
        assertThat(members).extracting(SimulatedMember::role)
                .containsExactly(SimulatedMemberRole.CUSTOMER, SimulatedMemberRole.WORKFLOW, SimulatedMemberRole.ACD);
        assertThat(events).extracting(StreamRecorder::gist).containsExactly(
                "member-change " + guest + " CONNECTED",
                "message " + guest + " member-join",
                "member-change " + workflow + " CONNECTED",
                "message " + workflow + " member-join",
                "member-change " + workflow + " DISCONNECTED",
                "message " + workflow + " member-leave",
                "member-change " + acd + " CONNECTED",
                "message " + acd + " member-join");
        JsonNode memberChange = events.get(0);
        assertThat(memberChange.fieldNames()).toIterable()
                .containsExactly("topicName", "version", "eventBody", "metadata");
        assertThat(memberChange.path("topicName").asText()).isEqualTo("v2.conversations.chats." + chat.id() + ".members");
        assertThat(memberChange.path("version").isTextual()).isTrue();
        assertThat(memberChange.path("version").asText()).isEqualTo("2");
        assertThat(memberChange.path("metadata").path("CorrelationId").asText()).matches("[0-9a-f-]{36}");
        assertThat(memberChange.path("eventBody").path("conversation").path("id").asText()).isEqualTo(chat.id());
        assertThat(memberChange.path("eventBody").path("member").fieldNames()).toIterable()
                .containsExactly("id", "state");
        JsonNode join = events.get(1);
        assertThat(join.path("topicName").asText()).isEqualTo("v2.conversations.chats." + chat.id() + ".messages");
        assertThat(join.path("eventBody").fieldNames()).toIterable()
                .containsExactly("id", "conversation", "sender", "body", "bodyType", "timestamp");
        assertThat(conversation.isRouted()).isTrue();
        assertThat(conversation.queue().waiting()).isEqualTo(1);
    }

    @Test
    @DisplayName("an agent joins ALERTING then CONNECTED with member-join, the ACD member leaves, GET member gives name and avatar")
    void agentJoins() {
        StreamRecorder stream = attach();
        String acd = acdId();

        conversation.agentJoins(ALEX);

        assertThat(stream.nextEvents(5)).extracting(StreamRecorder::gist).containsExactly(
                "member-change alex ALERTING",
                "member-change alex CONNECTED",
                "message alex member-join",
                "member-change " + acd + " DISCONNECTED",
                "message " + acd + " member-leave");
        JsonNode agent = parse(client.guest("GET", chat.path("/members/alex"), chat.jwt(), null));
        assertThat(agent.path("displayName").asText()).isEqualTo("Alex Agent");
        assertThat(agent.path("avatarImageUrl").asText()).isEqualTo("https://example.com/alex.png");
        assertThat(agent.path("role").asText()).isEqualTo("AGENT");
        assertThat(agent.path("state").asText()).isEqualTo("CONNECTED");
        assertThat(conversation.queue().waiting()).isZero();
        assertThat(conversation.queue().interacting()).isEqualTo(1);
    }

    @Test
    @DisplayName("agent messages and typing arrive; the guest's own messages and typing come back as echoes")
    void messagesAndTyping() {
        StreamRecorder stream = attach();
        conversation.agentJoins(ALEX);
        stream.nextEvents(5);

        conversation.agentTypes();
        String messageId = conversation.agentSends("How can I help?");
        client.sendMessage(chat, "My bill is wrong");
        client.guest("POST", chat.path("/members/" + chat.memberId() + "/typing"), chat.jwt(), null);

        JsonNode typing = stream.nextEvent();
        assertThat(gist(typing)).isEqualTo("typing-indicator alex");
        assertThat(typing.path("metadata").path("type").asText()).isEqualTo("typing-indicator");
        assertThat(typing.path("eventBody").fieldNames()).toIterable()
                .containsExactly("id", "conversation", "sender", "timestamp");
        JsonNode message = stream.nextEvent();
        assertThat(message.path("eventBody").path("id").asText()).isEqualTo(messageId);
        assertThat(message.path("eventBody").path("body").asText()).isEqualTo("How can I help?");
        assertThat(message.path("eventBody").path("bodyType").asText()).isEqualTo("standard");
        assertThat(message.path("eventBody").path("sender").path("id").asText()).isEqualTo("alex");
        JsonNode echo = stream.nextEvent();
        assertThat(gist(echo)).isEqualTo("message " + chat.memberId() + " standard");
        assertThat(echo.path("eventBody").path("body").asText()).isEqualTo("My bill is wrong");
        assertThat(gist(stream.nextEvent())).isEqualTo("typing-indicator " + chat.memberId());
    }

    @Test
    @DisplayName("a notice arrives as a message with bodyType notice")
    void notice() {
        StreamRecorder stream = attach();

        conversation.sendNotice("All agents are busy");

        JsonNode notice = stream.nextEvent();
        assertThat(notice.path("eventBody").path("bodyType").asText()).isEqualTo("notice");
        assertThat(notice.path("eventBody").path("sender").path("id").asText()).isEqualTo(acdId());
    }

    @Test
    @DisplayName("a transfer offers the chat to the new agent, then the old agent disconnects while the guest stays")
    void transfer() {
        StreamRecorder stream = attach();
        conversation.agentJoins(ALEX);
        stream.nextEvents(5);

        conversation.transferTo(SAM);

        assertThat(stream.nextEvents(3)).extracting(StreamRecorder::gist).containsExactly(
                "member-change sam ALERTING",
                "member-change alex DISCONNECTED",
                "message alex member-leave");
        assertThat(parse(client.guest("GET", chat.path("/members/" + chat.memberId()), chat.jwt(), null))
                .path("state").asText()).isEqualTo("CONNECTED");
        assertThat(parse(client.guest("GET", chat.path("/members/sam"), chat.jwt(), null)).path("displayName")
                .asText()).isEqualTo("Sam Specialist");

        conversation.agentJoins(SAM);

        assertThat(stream.nextEvents(2)).extracting(StreamRecorder::gist).containsExactly(
                "member-change sam CONNECTED",
                "message sam member-join");
        assertThat(conversation.currentAgent()).hasValueSatisfying(agent -> assertThat(agent.id()).isEqualTo("sam"));
    }

    @Test
    @DisplayName("an agent who leaves disconnects without ending the chat")
    void agentLeaves() {
        StreamRecorder stream = attach();
        conversation.agentJoins(ALEX);
        stream.nextEvents(5);

        conversation.agentLeaves();

        assertThat(stream.nextEvents(2)).extracting(StreamRecorder::gist).containsExactly(
                "member-change alex DISCONNECTED", "message alex member-leave");
        assertThat(conversation.isEnded()).isFalse();
        assertThat(client.sendMessage(chat, "still here").statusCode()).isEqualTo(200);
        assertThat(conversation.queue().waiting()).isEqualTo(1);
    }

    @Test
    @DisplayName("the agent ending the chat disconnects the agent, then the guest, then closes the stream with 1000")
    void agentEnds() {
        StreamRecorder stream = attach();
        conversation.agentJoins(ALEX);
        stream.nextEvents(5);

        conversation.agentEndsChat();

        assertThat(stream.nextEvents(4)).extracting(StreamRecorder::gist).containsExactly(
                "member-change alex DISCONNECTED",
                "message alex member-leave",
                "member-change " + chat.memberId() + " DISCONNECTED",
                "message " + chat.memberId() + " member-leave");
        assertThat(stream.awaitEnd()).isEqualTo("close 1000");
        assertThat(client.sendMessage(chat, "hello?").statusCode()).isEqualTo(400);
        assertThat(conversation.endedByGuest()).isFalse();
        assertThat(conversation.queue().interacting()).isZero();
    }

    @Test
    @DisplayName("the guest's DELETE disconnects the guest and closes the stream with 1000")
    void guestEnds() {
        StreamRecorder stream = attach();

        client.guest("DELETE", chat.path("/members/" + chat.memberId()), chat.jwt(), null);

        assertThat(stream.nextEvents(2)).extracting(StreamRecorder::gist).containsExactly(
                "member-change " + chat.memberId() + " DISCONNECTED",
                "message " + chat.memberId() + " member-leave");
        assertThat(stream.awaitEnd()).isEqualTo("close 1000");
        assertThat(conversation.endedByGuest()).isTrue();
        assertThat(conversation.queue().waiting()).isZero();
    }

    @Test
    @DisplayName("sends heartbeats without metadata at the configured interval")
    void heartbeats() {
        simulator.close();
        simulator = GenesysSimulator.builder().heartbeatInterval(Duration.ofMillis(50)).build().start();
        client = new GuestClient(simulator);
        chat = client.createChat();
        StreamRecorder stream = client.openStream(chat);

        JsonNode heartbeat = stream.awaitHeartbeat();

        assertThat(heartbeat.toString())
                .isEqualTo("{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}");
        assertThat(stream.awaitHeartbeat()).isEqualTo(heartbeat);
    }

    @Test
    @DisplayName("a dropped stream ends abnormally, reconnects are refused until restored, and GET messages catches up")
    void dropAndRestore() throws Exception {
        StreamRecorder stream = attach();
        conversation.agentJoins(ALEX);
        stream.nextEvents(5);
        String before = conversation.agentSends("before the drop");
        stream.nextEvent();

        conversation.dropStream();

        assertThat(stream.awaitEnd()).as("connection reset, no close frame").isEqualTo("error IOException");
        assertThatThrownBy(() -> client.openStream(chat)).isInstanceOf(CompletionException.class);
        String during = conversation.agentSends("during the drop");
        conversation.restoreStream();
        StreamRecorder again = client.openStream(chat);
        assertThat(conversation.awaitStreamAttached(Duration.ofSeconds(5))).isTrue();
        String after = conversation.agentSends("after the drop");

        JsonNode resumed = again.nextEvent();
        assertThat(resumed.path("eventBody").path("id").asText()).as("no replay on reconnect").isEqualTo(after);
        JsonNode caughtUp = parse(client.guest("GET", chat.path("/messages?after=" + before), chat.jwt(), null));
        List<String> ids = new ArrayList<>();
        caughtUp.path("entities").forEach(message -> ids.add(message.path("id").asText()));
        assertThat(ids).containsExactly(during, after);
        assertThat(simulator.requests(r -> r.server() == RecordedRequest.Server.EVENT_STREAM))
                .extracting(RecordedRequest::status).containsExactly(101, 404, 101);
        assertThat(again.silentFor(Duration.ofMillis(100))).as("routing is not repeated").isTrue();
    }

    @Test
    @DisplayName("sends a malformed frame, an unknown event, and answers a ping with pong")
    void oddFrames() {
        StreamRecorder stream = attach();

        conversation.sendMalformedFrame();
        conversation.sendUnknownEvent();
        stream.send("{\"message\":\"ping\"}");

        String malformed = stream.nextRaw();
        assertThatThrownBy(() -> GuestClient.JSON.readTree(malformed)).isInstanceOf(Exception.class);
        JsonNode unknown = stream.next();
        assertThat(unknown.path("topicName").asText()).isEqualTo("v2.conversations.chats." + chat.id() + ".attributes");
        assertThat(unknown.path("metadata").path("type").asText()).isEqualTo("attribute-change");
        assertThat(stream.next().path("eventBody").path("message").asText()).isEqualTo("pong");
    }

    @Test
    @DisplayName("refuses a stream with an expired, unknown or edited token")
    void refusesBadTokens() {
        conversation.expireGuestToken();

        assertThatThrownBy(() -> client.openStream(chat)).isInstanceOf(CompletionException.class);
        URI edited = URI.create(chat.eventStreamUri().toString().replaceAll(".$", "x"));
        assertThatThrownBy(() -> StreamRecorder.open(client.http, edited)).isInstanceOf(CompletionException.class);
        assertThat(conversation.isRouted()).isFalse();
    }

    @Test
    @DisplayName("a stream opened after the end is closed at once with 1000")
    void afterEnd() {
        client.guest("DELETE", chat.path("/members/" + chat.memberId()), chat.jwt(), null);

        StreamRecorder late = client.openStream(chat);

        assertThat(late.awaitEnd()).isEqualTo("close 1000");
    }

    @Test
    @DisplayName("serves many conversations from a fixed set of threads")
    void noThreadPerConversation() {
        attach();
        long threadsBefore = simulatorSideThreads();
        List<StreamRecorder> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            GuestClient.Created next = client.createChat();
            streams.add(client.openStream(next));
        }
        for (StreamRecorder stream : streams) {
            stream.nextEvents(8);
        }
        assertThat(simulatorSideThreads() - threadsBefore).as("threads added for 50 conversations").isLessThan(5);
    }

    /** Live threads, without the JDK client's (its pool grows with the test's own sockets). */
    private static long simulatorSideThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.getName().startsWith("HttpClient")).count();
    }
}

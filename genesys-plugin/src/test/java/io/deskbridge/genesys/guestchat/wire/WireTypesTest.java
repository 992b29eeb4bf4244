package io.deskbridge.genesys.guestchat.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Guest chat wire types")
class WireTypesTest {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    @DisplayName("The captured message frame reads with version as a string and CorrelationId")
    void capturedMessageFrame() throws Exception {
        String text = """
                { "topicName": "v2.conversations.chats.aa06a6fc-1fdf-4e59-b8a1-df3ca44f523e.messages", "version": "2",
                  "eventBody": { "id": "485fc952-3021-4dab-bb04-e3ad84d8b62a", "conversation": { "id": "aa06a6fc-1fdf-4e59-b8a1-df3ca44f523e" },
                                 "sender": { "id": "6408f799-973a-436a-9e1a-a75a6ddc46f5" }, "body": "Hi, how are you?", "bodyType": "standard",
                                 "timestamp": "2019-06-18T16:59:22.277Z" },
                  "metadata": { "CorrelationId": "ca138a93-3198-43b4-8ef4-bced8d38b3b9", "type": "message" } }""";
        StreamFrame frame = JSON.readValue(text, StreamFrame.class);
        assertThat(frame.version()).contains("2");
        assertThat(frame.type()).contains("message");
        assertThat(frame.metadata().flatMap(FrameMetadata::correlationId)).contains("ca138a93-3198-43b4-8ef4-bced8d38b3b9");
        assertThat(frame.isMessagesTopic()).isTrue();
        WebChatMessage message = JSON.treeToValue(frame.eventBody().orElseThrow(), WebChatMessage.class);
        assertThat(message.id()).isEqualTo("485fc952-3021-4dab-bb04-e3ad84d8b62a");
        assertThat(message.sender().id()).isEqualTo("6408f799-973a-436a-9e1a-a75a6ddc46f5");
        assertThat(message.body()).contains("Hi, how are you?");
        assertThat(message.bodyType()).isEqualTo(BodyType.STANDARD);
    }

    @Test
    @DisplayName("A numeric version, a lower-case correlationId key and unknown fields are accepted")
    void tolerantEnvelope() throws Exception {
        StreamFrame frame = JSON.readValue("""
                {"topicName":"v2.conversations.chats.c.members","version":2,"extra":{"a":1},
                 "eventBody":{"member":{"id":"m","state":"ALERTING","novel":true}},
                 "metadata":{"correlationid":"x-1","TYPE":"member-change"}}""", StreamFrame.class);
        assertThat(frame.version()).contains("2");
        assertThat(frame.metadata().flatMap(FrameMetadata::correlationId)).contains("x-1");
        assertThat(frame.type()).contains("member-change");
        MemberChangeEvent change = JSON.treeToValue(frame.eventBody().orElseThrow(), MemberChangeEvent.class);
        assertThat(change.state()).isEqualTo(MemberState.ALERTING);
    }

    @Test
    @DisplayName("The heartbeat has no metadata and is recognised by its topic")
    void heartbeat() throws Exception {
        StreamFrame frame = JSON.readValue("{ \"topicName\": \"channel.metadata\", \"eventBody\": { \"message\": \"WebSocket Heartbeat\" } }",
                StreamFrame.class);
        assertThat(frame.isHeartbeat()).isTrue();
        assertThat(frame.metadata()).isEmpty();
        assertThat(frame.type()).isEmpty();
    }

    @Test
    @DisplayName("Unknown roles, states and body types read as UNKNOWN; case does not matter")
    void unknownEnums() throws Exception {
        WebChatMember member = JSON.readValue("{\"id\":\"m\",\"role\":\"supervisor\",\"state\":\"parked\"}", WebChatMember.class);
        assertThat(member.role()).isEqualTo(MemberRole.UNKNOWN);
        assertThat(member.state()).isEqualTo(MemberState.UNKNOWN);
        assertThat(JSON.readValue("{\"id\":\"m\",\"role\":\"agent\",\"state\":\"connected\"}", WebChatMember.class).role())
                .isEqualTo(MemberRole.AGENT);
        assertThat(JSON.readValue("{\"id\":\"1\",\"sender\":{\"id\":\"s\"},\"bodyType\":\"standard | notice\"}", WebChatMessage.class).bodyType())
                .isEqualTo(BodyType.UNKNOWN);
    }

    @Test
    @DisplayName("The create request is written with the documented field names and without absent fields")
    void createRequestJson() throws Exception {
        CreateConversationRequest request = new CreateConversationRequest("org", "dep",
                RoutingTarget.queue("Web Chat Queue", List.of(), Optional.empty(), Optional.of(2)),
                new GuestMemberInfo("Jane Doe", Optional.empty(), Optional.empty(), Optional.of("jane@example.com"), Optional.empty(),
                        Optional.empty(), Map.of("topic", "billing")),
                Optional.empty());
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(request),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        assertThat(json).containsOnlyKeys("organizationId", "deploymentId", "routingTarget", "memberInfo");
        assertThat(json.get("routingTarget")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class,
                Object.class)).containsExactlyInAnyOrderEntriesOf(
                Map.of("targetType", "QUEUE", "targetAddress", "Web Chat Queue", "priority", 2));
        assertThat(json.get("memberInfo")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class,
                Object.class)).containsExactlyInAnyOrderEntriesOf(
                Map.of("displayName", "Jane Doe", "email", "jane@example.com", "customFields", Map.of("topic", "billing")));
        assertThat(JSON.writeValueAsString(CreateMessageRequest.standard("hi"))).isEqualTo("{\"body\":\"hi\",\"bodyType\":\"standard\"}");
    }
}

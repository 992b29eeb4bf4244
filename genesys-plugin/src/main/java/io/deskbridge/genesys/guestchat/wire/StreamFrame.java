package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One frame of the guest chat event stream:
 * {@code {"topicName":"v2.conversations.chats.{id}.messages","version":"2","eventBody":{…},
 * "metadata":{"CorrelationId":"…","type":"message"}}}. Heartbeats ({@code channel.metadata}) have no metadata.
 *
 * @param version a string in captures ({@code "2"}); a number is read as its text
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StreamFrame(String topicName, Optional<String> version, Optional<JsonNode> eventBody, Optional<FrameMetadata> metadata) {
    public StreamFrame {
        topicName = topicName == null ? "" : topicName;
        version = version == null ? Optional.empty() : version;
        eventBody = eventBody == null ? Optional.empty() : eventBody.filter(b -> !b.isNull() && !b.isMissingNode());
        metadata = metadata == null ? Optional.empty() : metadata;
    }

    /** The event type from the metadata ({@code message}, {@code typing-indicator}, {@code member-change}). */
    public Optional<String> type() {
        return metadata.flatMap(FrameMetadata::type);
    }

    /** Whether this is the stream's heartbeat ({@code channel.metadata}). */
    public boolean isHeartbeat() {
        return topicName.equals("channel.metadata");
    }

    /** Whether the topic is a conversation's messages topic ({@code ….messages}). */
    public boolean isMessagesTopic() {
        return topicName.endsWith(".messages");
    }

    /** Whether the topic is a conversation's members topic ({@code ….members}). */
    public boolean isMembersTopic() {
        return topicName.endsWith(".members");
    }
}

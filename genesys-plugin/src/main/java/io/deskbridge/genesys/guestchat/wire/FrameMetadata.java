package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;
import java.util.Optional;

/**
 * A frame's metadata: the event type and the correlation id. Captures spell the key {@code CorrelationId}; some
 * clients read {@code correlationId}; any case is accepted.
 */
public record FrameMetadata(Optional<String> type, Optional<String> correlationId) {
    public FrameMetadata {
        type = type == null ? Optional.empty() : type;
        correlationId = correlationId == null ? Optional.empty() : correlationId;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static FrameMetadata fromJson(Map<String, Object> fields) {
        Optional<String> type = Optional.empty();
        Optional<String> correlationId = Optional.empty();
        if (fields != null) {
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                if (field.getValue() == null) {
                    continue;
                }
                if (field.getKey().equalsIgnoreCase("type")) {
                    type = Optional.of(String.valueOf(field.getValue()));
                } else if (field.getKey().equalsIgnoreCase("correlationId")) {
                    correlationId = Optional.of(String.valueOf(field.getValue()));
                }
            }
        }
        return new FrameMetadata(type, correlationId);
    }
}

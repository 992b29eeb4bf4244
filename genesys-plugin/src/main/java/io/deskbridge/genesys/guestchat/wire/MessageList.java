package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A page of {@code GET …/messages} ({@code WebChatMessageEntityList}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageList(List<WebChatMessage> entities) {
    public MessageList {
        entities = entities == null ? List.of() : List.copyOf(entities);
    }
}

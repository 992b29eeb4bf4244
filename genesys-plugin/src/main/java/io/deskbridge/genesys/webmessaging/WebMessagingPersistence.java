package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.UserIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a web messaging chat keeps in its {@link PersistedState} to be resumed: the session token (the conversation
 * at Genesys), the last delivered message, the agent, the verified user.
 */
final class WebMessagingPersistence {
    static final String KEY_TRANSPORT = "transport";
    static final String KEY_TOKEN = "webMessagingToken";
    static final String KEY_LAST_MESSAGE = "lastMessageId";
    static final String KEY_AGENT_ID = "agentId";
    static final String KEY_AGENT_NAME = "agentName";
    static final String KEY_AGENT_IMAGE = "agentImage";
    static final String KEY_USER_ID = "verifiedUserId";
    static final String TRANSPORT = "web-messaging";

    private WebMessagingPersistence() {
    }

    static PersistedState save(String token, Optional<String> lastMessageId, Optional<AgentProfile> agent, Optional<UserIdentity> user) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KEY_TRANSPORT, TRANSPORT);
        values.put(KEY_TOKEN, token);
        lastMessageId.ifPresent(id -> values.put(KEY_LAST_MESSAGE, id));
        agent.ifPresent(a -> {
            values.put(KEY_AGENT_ID, a.id());
            values.put(KEY_AGENT_NAME, a.nickname());
            a.avatarUrl().ifPresent(u -> values.put(KEY_AGENT_IMAGE, u.toString()));
        });
        user.ifPresent(u -> values.put(KEY_USER_ID, u.id()));
        return new PersistedState(values);
    }

    /** The saved agent, named with {@code fallbackName} when no name was saved. */
    static Optional<AgentProfile> agent(PersistedState state, String fallbackName) {
        return state.get(KEY_AGENT_ID).map(id -> new AgentProfile(id, state.get(KEY_AGENT_NAME).orElse(fallbackName),
                state.get(KEY_AGENT_IMAGE).flatMap(WireValues::absoluteUri)));
    }
}

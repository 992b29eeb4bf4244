package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.UserIdentity;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code record} column of the session table: a {@link SessionRecord} as JSON, with {@code "version": 1}. The
 * token hash is the row's key, not part of the JSON. A row this version cannot read (another version, or damaged) is
 * logged and read as absent, never thrown: the page then starts a new session, and the row is purged with the idle
 * ones. The JSON is written from records of its own ({@link StoredSession} and below), not from the session's types,
 * so that a change to those cannot change the stored format unnoticed. Thread-safe.
 */
final class SessionRecordJson {
    /** Logs as the store: its lines keep the logger name operators configure and search for. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    /** The version of the JSON format this class writes and reads. */
    static final int FORMAT_VERSION = 1;

    private final ObjectMapper json = newObjectMapper();

    /** {@code record} as JSON; empty (and logged) when it cannot be written, so that this change is not stored. */
    Optional<String> serialize(SessionRecord record) {
        try {
            return Optional.of(json.writeValueAsString(StoredSession.of(record)));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("session={} could not be written as JSON ({}); this change is not stored", record.sessionId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** The record stored as {@code text} in the row of {@code tokenHash}; empty (and logged) when it cannot be read. */
    Optional<SessionRecord> read(String tokenHash, String sessionId, String text) {
        try {
            JsonNode tree = json.readTree(text);
            int version = tree == null ? 0 : tree.path("version").asInt(0);
            if (version != FORMAT_VERSION) {
                LOG.warn("session={} is stored in format version {}, which this version of the web chat does not read; it is treated as absent",
                        sessionId, tree == null ? "?" : tree.path("version").asText("none"));
                return Optional.empty();
            }
            return Optional.of(json.treeToValue(tree, StoredSession.class).toRecord(tokenHash));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("session={} has a stored record that cannot be read ({}); it is treated as absent", sessionId, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static ObjectMapper newObjectMapper() {
        return new ObjectMapper()
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_ABSENT);
    }

    private static <T> Optional<T> orEmpty(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    /** A stored session; the token hash is the row's key, not part of the JSON. */
    record StoredSession(int version, String sessionId, Optional<StoredIdentity> identity, Optional<StoredChat> chat, Instant lastActive) {
        StoredSession {
            requireNonNull(sessionId, "sessionId is missing");
            requireNonNull(lastActive, "lastActive is missing");
            identity = orEmpty(identity);
            chat = orEmpty(chat);
        }

        static StoredSession of(SessionRecord r) {
            return new StoredSession(FORMAT_VERSION, r.sessionId(), r.identity().map(StoredIdentity::of), r.chat().map(StoredChat::of), r.lastActive());
        }

        SessionRecord toRecord(String tokenHash) {
            return new SessionRecord(tokenHash, sessionId, identity.map(StoredIdentity::toIdentity), chat.map(StoredChat::toChat), lastActive);
        }
    }

    record StoredIdentity(String id, Optional<String> name, Optional<String> email) {
        StoredIdentity {
            name = orEmpty(name);
            email = orEmpty(email);
        }

        static StoredIdentity of(UserIdentity u) {
            return new StoredIdentity(u.id(), u.name(), u.email());
        }

        UserIdentity toIdentity() {
            return new UserIdentity(id, name, email);
        }
    }

    record StoredChat(String chatId, boolean over, Optional<Map<String, String>> deskState, Optional<StoredAgent> agent,
            List<StoredEntry> transcript) {
        StoredChat {
            requireNonNull(chatId, "chatId is missing");
            deskState = orEmpty(deskState);
            agent = orEmpty(agent);
            transcript = transcript == null ? List.of() : transcript;
        }

        static StoredChat of(SessionRecord.ChatRecord c) {
            return new StoredChat(c.chatId(), c.over(), c.deskState().map(PersistedState::values), c.agent().map(StoredAgent::of),
                    c.transcript().stream().map(StoredEntry::of).toList());
        }

        SessionRecord.ChatRecord toChat() {
            return new SessionRecord.ChatRecord(chatId, over, deskState.map(PersistedState::new), agent.map(StoredAgent::toProfile),
                    transcript.stream().map(StoredEntry::toEntry).toList());
        }
    }

    record StoredAgent(String id, String nickname, Optional<String> avatarUrl) {
        StoredAgent {
            avatarUrl = orEmpty(avatarUrl);
        }

        static StoredAgent of(AgentProfile a) {
            return new StoredAgent(a.id(), a.nickname(), a.avatarUrl().map(URI::toString));
        }

        AgentProfile toProfile() {
            return new AgentProfile(id, nickname, avatarUrl.map(URI::create));
        }
    }

    record StoredEntry(TranscriptEntry.From from, String id, String text, Optional<String> agentId, Optional<String> agentName,
            Optional<TranscriptEntry.Delivery> delivery, Instant at) {
        StoredEntry {
            agentId = orEmpty(agentId);
            agentName = orEmpty(agentName);
            delivery = orEmpty(delivery);
        }

        static StoredEntry of(TranscriptEntry e) {
            return new StoredEntry(e.from(), e.id(), e.text(), e.agentId(), e.agentName(), e.delivery(), e.at());
        }

        TranscriptEntry toEntry() {
            return new TranscriptEntry(from, id, text, agentId, agentName, delivery, at);
        }
    }
}

package io.deskbridge.testkit;

import static io.deskbridge.testkit.CallbackAssertions.assertThat;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.persistedState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.PersistedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Persisted state and reconnect: rule 13 (state kept current, small however long the chat, JSON, no secret) and
 * rule 8 across a reconnect (the resumed desk delivers what was missed, once, and nothing the user already had).
 */
abstract class PersistenceTests extends KitGroup {

    /**
     * How many characters a persisted state may gain between the middle and the end of the long chat: counters gain
     * a digit or two, a window of recent ids stays the same size; a state that keeps every id grows by thousands.
     */
    static final int GROWTH_ALLOWANCE = 64;

    PersistenceTests(ServiceDeskConformanceKit kit) {
        super(kit);
    }

    @Test
    @DisplayName("Rule 13: a desk that can reconnect persists its state once the chat started")
    void persistsOnStart() {
        assumeDeclared(Capability.RECONNECT);
        ChatUnderTest chat = joinedChat();
        chat.awaitEvent(persistedState().described("rule 13: updatePersistedState once the chat started"));
    }

    @Test
    @DisplayName("Rule 13: persisted state is small, JSON-serialisable and holds no secret (declared, configured or the kit's canary)")
    void persistedStateIsSmallAndClean() {
        ChatUnderTest chat = joinedChat();
        chat.agentSendsAndAwait("something to remember");
        settle();
        List<PersistedState> states = statesOf(chat);
        require(13, !declares(Capability.RECONNECT) || !states.isEmpty(), () -> "the desk declares RECONNECT but never called updatePersistedState");
        Assumptions.assumeFalse(states.isEmpty(), "the desk persists no state");
        ObjectMapper json = kit.runtime().getInstance(ObjectMapper.class);
        Map<String, String> secrets = secrets();
        for (PersistedState state : states) {
            require(13, state.sizeInChars() <= PersistedState.RECOMMENDED_MAX_CHARS,
                    () -> "a persisted state of " + state.sizeInChars() + " characters is larger than " + PersistedState.RECOMMENDED_MAX_CHARS);
            try {
                Map<String, String> back = json.readValue(json.writeValueAsString(state.values()), new TypeReference<Map<String, String>>() {});
                require(13, back.equals(state.values()), () -> "a persisted state does not survive JSON: " + state);
            } catch (JsonProcessingException e) {
                throw new AssertionError("rule 13: a persisted state is not JSON-serialisable: " + e.getMessage(), e);
            }
            secrets.forEach((what, secret) -> require(13, state.values().entrySet().stream()
                    .noneMatch(e -> e.getValue().contains(secret) || e.getKey().contains(secret)),
                    () -> "a persisted state holds " + what + " (key or value " + state.values().keySet() + ")"));
        }
    }

    @Test
    @DisplayName("Rule 13: persisted state stays small and stops growing over a long chat of hundreds of agent messages")
    void stateBoundedOverLongChat() {
        int total = Math.max(100, kit.longChatMessages());
        ChatUnderTest chat = joinedChat();
        List<String> ids = new ArrayList<>(MessageTests.sendBurst(chat, "long chat, part one,", total / 2));
        MessageTests.awaitAll(chat, ids);
        settle();
        int middle = largestState(chat);
        List<String> more = MessageTests.sendBurst(chat, "long chat, part two,", total - total / 2);
        MessageTests.awaitAll(chat, more);
        settle();
        ids.addAll(more);
        requireDeliveredOnceInOrder(8, chat, ids, "a chat of " + total + " agent messages");
        List<PersistedState> states = statesOf(chat);
        require(13, !declares(Capability.RECONNECT) || !states.isEmpty(), () -> "the desk declares RECONNECT but never called updatePersistedState");
        int end = largestState(chat);
        require(13, end <= PersistedState.RECOMMENDED_MAX_CHARS, () -> "after " + total + " agent messages the persisted state has "
                + end + " characters, more than " + PersistedState.RECOMMENDED_MAX_CHARS);
        require(13, end <= middle + GROWTH_ALLOWANCE, () -> "the persisted state grows with the chat: " + middle + " characters after "
                + (total / 2) + " agent messages, " + end + " after " + total + "; it must hold what reconnect needs, not the history. Last state: "
                + chat.recording().lastPersistedState().map(PersistedState::values).orElse(Map.of()));
    }

    @Test
    @DisplayName("Rule 8: a desk resumed from the last persisted state receives later agent messages exactly once")
    void resumedDeskReceivesLaterMessages() {
        assumeDeclared(Capability.RECONNECT);
        ChatUnderTest resumed = resumeAfterFirstMessage();
        String later = resumed.agent().agentSends("after the reconnect");
        resumed.awaitEvent(messageWithId(later).described("rule 8: the resumed desk receives agent message " + later));
        settle();
        checkRule(8, () -> assertThat(resumed.recording()).hasExactly(1, messageWithId(later)));
    }

    @Test
    @DisplayName("Rule 8: a resumed desk delivers what the user missed since the state was saved, once")
    void resumedDeskDeliversMissedMessages() {
        assumeDeclared(Capability.RECONNECT);
        ChatUnderTest chat = joinedChat();
        chat.agentSendsAndAwait("before the state was saved");
        settle();
        PersistedState state = lastState(chat);
        String missed = chat.agent().agentSends("while the user was away");
        ChatUnderTest resumed = resumedChat(state);
        resumed.attachAgentSide(chat.agent());
        require(8, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                () -> "reconnect of a live chat answered false");
        resumed.awaitEvent(messageWithId(missed).described("rule 8: the missed agent message " + missed + " on the resumed desk"));
        settle();
        checkRule(8, () -> assertThat(resumed.recording()).hasExactly(1, messageWithId(missed)));
    }

    @Test
    @DisplayName("Rule 8: a resumed desk does not deliver again what the user already had")
    void resumedDeskSkipsDeliveredMessages() {
        assumeDeclared(Capability.RECONNECT);
        ChatUnderTest chat = joinedChat();
        String before = chat.agentSendsAndAwait("the user already has this one");
        settle();
        ChatUnderTest resumed = resumedChat(lastState(chat));
        resumed.attachAgentSide(chat.agent());
        require(8, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                () -> "reconnect of a live chat answered false");
        settle();
        checkRule(8, () -> assertThat(resumed.recording()).hasNo(messageWithId(before)));
    }

    @Test
    @DisplayName("reconnect to a chat the agent ended answers false")
    void reconnectToEndedChat() {
        assumeDeclared(Capability.RECONNECT);
        ChatUnderTest chat = joinedChat();
        chat.agent().agentEndsChat();
        chat.awaitEvent(agentEnded().described("rule 6: agentEndedChat after the agent ended the chat"));
        settle();
        ChatUnderTest resumed = resumedChat(lastState(chat));
        assertThat(resumed.await(resumed.reconnect(), "reconnect of an ended chat")).as("reconnect of an ended chat").isFalse();
    }

    @Test
    @DisplayName("Rule 7: after detach completes, no callback is called; the chat stays open at the vendor and a new desk resumes it")
    void detachLetsGoWithoutEnding() {
        declaredCapabilityWorks(Capability.RECONNECT, () -> {
            ChatUnderTest chat = joinedChat();
            chat.agentSendsAndAwait("before this process lets go of the chat");
            settle();
            chat.await(chat.detach(), "detach of a live chat");
            check(!chat.agent().endedByUser(), "detach ended the chat at the vendor; it must leave it open for a desk in another process to reconnect to");
            String later = chat.agent().agentSends("after the detach");
            if (declares(Capability.AGENT_TYPING)) {
                chat.agent().agentTypes();
            }
            settle();
            List<CallbackEvent> events = chat.recording().events();
            int detachedAt = chat.callbacksBeforeEnd();
            require(7, events.size() == detachedAt, () -> (events.size() - detachedAt) + " callbacks after detach completed: "
                    + events.subList(Math.max(0, detachedAt), events.size()));
            chat.await(chat.endChat(), "endChat after detach");
            settle();
            check(!chat.agent().endedByUser(), "endChat after detach ended the chat at the vendor; after detach it must do nothing more");
            ChatUnderTest resumed = resumedChat(lastState(chat));
            resumed.attachAgentSide(chat.agent());
            check(Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a detached chat")),
                    "reconnect of a chat another desk detached answered false: detach must leave the chat open");
            resumed.awaitEvent(messageWithId(later).described("rule 8: the agent message sent after the detach, on the resumed desk"));
            settle();
            checkRule(8, () -> assertThat(resumed.recording()).hasExactly(1, messageWithId(later)));
        });
    }

    /** A desk resumed from the state saved after one agent message; reconnect must answer true (rule 14). */
    ChatUnderTest resumeAfterFirstMessage() {
        ChatUnderTest chat = joinedChat();
        chat.agentSendsAndAwait("before the reconnect");
        settle();
        ChatUnderTest resumed = resumedChat(lastState(chat));
        resumed.attachAgentSide(chat.agent());
        require(14, Boolean.TRUE.equals(resumed.await(resumed.reconnect(), "reconnect of a live chat")),
                () -> "the desk declares RECONNECT but reconnect of a live chat answered false");
        return resumed;
    }

    /**
     * What must never be persisted, by what it is: the kit's canary, and the value of every configured key that the
     * desk declared secret ({@code Settings.secret}) or whose name looks secret.
     */
    private Map<String, String> secrets() {
        Map<String, String> secrets = new TreeMap<>();
        secrets.put("the kit's canary secret", kit.canarySecret());
        Configuration configuration = harness().configuration();
        List<String> keys = new ArrayList<>(configuration.declaredSecretKeys());
        for (String key : configuration.describe().lines().map(l -> l.substring(0, l.indexOf('='))).toList()) {
            if (configuration.isSecret(key) && !keys.contains(key)) {
                keys.add(key);
            }
        }
        for (String key : keys) {
            configuration.get(key).filter(v -> v.length() >= 4)
                    .ifPresent(v -> secrets.put("the value of the secret setting " + key, v));
        }
        return secrets;
    }

    /** A failed check of a declared capability (declaredCapabilityWorks names rule 14 and the capability). */
    private static void check(boolean holds, String problem) {
        if (!holds) {
            throw new AssertionError(problem);
        }
    }

    private static List<PersistedState> statesOf(ChatUnderTest chat) {
        return chat.recording().eventsOf(CallbackEvent.PersistedStateUpdated.class).stream()
                .map(CallbackEvent.PersistedStateUpdated::state).toList();
    }

    private static int largestState(ChatUnderTest chat) {
        return statesOf(chat).stream().mapToInt(PersistedState::sizeInChars).max().orElse(0);
    }
}

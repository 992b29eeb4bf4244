package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ErrorInfo;
import java.util.function.Predicate;

/**
 * Predicates over recorded {@link CallbackEvent}s, with a description for failure messages: what the kit's awaits
 * and {@link CallbackAssertions} take.
 *
 * <pre>{@code
 * chat.awaitEvent(messageWithId(id));
 * assertThat(chat.recording()).containsSubsequence(agentJoined(alice), transferStarted(), agentJoined(bob));
 * }</pre>
 */
public final class CallbackMatchers {
    private CallbackMatchers() {}

    /**
     * A described predicate.
     *
     * @param description what it matches, in words ({@code "agentJoined(alice)"})
     * @param predicate the test
     */
    public record Matcher(String description, Predicate<? super CallbackEvent> predicate) implements Predicate<CallbackEvent> {
        public Matcher {
            requireNonNull(description, "description is null");
            requireNonNull(predicate, "predicate is null");
        }

        @Override
        public boolean test(CallbackEvent event) {
            return predicate.test(event);
        }

        /** The same test with another description. */
        public Matcher described(String newDescription) {
            return new Matcher(newDescription, predicate);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Any event of the given type. */
    public static Matcher any(Class<? extends CallbackEvent> type) {
        return new Matcher(type.getSimpleName(), type::isInstance);
    }

    /** {@code agentJoined} with any profile. */
    public static Matcher agentJoined() {
        return any(CallbackEvent.AgentJoined.class).described("agentJoined");
    }

    /** {@code agentJoined} for the agent with {@code agent}'s id. */
    public static Matcher agentJoined(AgentProfile agent) {
        return new Matcher("agentJoined(" + agent.id() + ")",
                e -> e instanceof CallbackEvent.AgentJoined j && j.agent().id().equals(agent.id()));
    }

    /** {@code beginTransferToAnotherAgent}, with or without a profile. */
    public static Matcher transferStarted() {
        return any(CallbackEvent.TransferStarted.class).described("beginTransferToAnotherAgent");
    }

    /** {@code agentLeftChat}. */
    public static Matcher agentLeft() {
        return any(CallbackEvent.AgentLeft.class).described("agentLeftChat");
    }

    /** {@code agentEndedChat}. */
    public static Matcher agentEnded() {
        return any(CallbackEvent.AgentEnded.class).described("agentEndedChat");
    }

    /** {@code agentTyping(isTyping)}. */
    public static Matcher agentTyping(boolean isTyping) {
        return new Matcher("agentTyping(" + isTyping + ")",
                e -> e instanceof CallbackEvent.AgentTyping t && t.isTyping() == isTyping);
    }

    /** Any {@code agentTyping}. */
    public static Matcher anyAgentTyping() {
        return any(CallbackEvent.AgentTyping.class).described("agentTyping");
    }

    /** {@code agentReadMessages}. */
    public static Matcher agentRead() {
        return any(CallbackEvent.AgentRead.class).described("agentReadMessages");
    }

    /** {@code sendMessageToUser} of the vendor message {@code id}. */
    public static Matcher messageWithId(String id) {
        return new Matcher("sendMessageToUser(id=" + id + ")",
                e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(id));
    }

    /** {@code sendMessageToUser} with exactly {@code text}. */
    public static Matcher messageWithText(String text) {
        return new Matcher("sendMessageToUser(\"" + text + "\")",
                e -> e instanceof CallbackEvent.MessageToUser m && m.message().text().equals(text));
    }

    /** Any {@code sendMessageToUser}. */
    public static Matcher anyMessage() {
        return any(CallbackEvent.MessageToUser.class).described("sendMessageToUser");
    }

    /** {@code updateAgentAvailability} with any content. */
    public static Matcher availability() {
        return any(CallbackEvent.AvailabilityUpdated.class).described("updateAgentAvailability");
    }

    /** {@code updateAgentAvailability} reporting queue position {@code position}. */
    public static Matcher queuePosition(int position) {
        return new Matcher("updateAgentAvailability(position " + position + ")",
                e -> e instanceof CallbackEvent.AvailabilityUpdated a && a.availability().positionInQueue().isPresent()
                        && a.availability().positionInQueue().getAsInt() == position);
    }

    /** {@code setErrorStatus(Connecting)}. */
    public static Matcher connectingError() {
        return new Matcher("setErrorStatus(Connecting)",
                e -> e instanceof CallbackEvent.ErrorStatus s && s.error() instanceof ErrorInfo.Connecting);
    }

    /** {@code setErrorStatus(Disconnected(isDisconnected))}. */
    public static Matcher disconnected(boolean isDisconnected) {
        return new Matcher("setErrorStatus(Disconnected(" + isDisconnected + "))",
                e -> e instanceof CallbackEvent.ErrorStatus s && s.error() instanceof ErrorInfo.Disconnected d
                        && d.isDisconnected() == isDisconnected);
    }

    /** {@code setErrorStatus(UserMessage)} for the user message {@code messageId}. */
    public static Matcher userMessageError(String messageId) {
        return new Matcher("setErrorStatus(UserMessage(" + messageId + "))",
                e -> e instanceof CallbackEvent.ErrorStatus s && s.error() instanceof ErrorInfo.UserMessage u
                        && u.messageId().equals(messageId));
    }

    /** {@code updatePersistedState} with any state. */
    public static Matcher persistedState() {
        return any(CallbackEvent.PersistedStateUpdated.class).described("updatePersistedState");
    }

    /** {@code setFileUploadStatus} of the upload {@code fileId}. */
    public static Matcher fileStatus(String fileId) {
        return new Matcher("setFileUploadStatus(" + fileId + ")",
                e -> e instanceof CallbackEvent.FileStatus f && f.status().fileId().equals(fileId));
    }

    /** An event equal to {@code expected}. */
    public static Matcher equalTo(CallbackEvent expected) {
        return new Matcher(String.valueOf(expected), expected::equals);
    }

    /** A callback that the chat's user would see as agent activity (everything but errors, files, state, capabilities). */
    public static Matcher agentActivity() {
        return new Matcher("agent activity", e -> !(e instanceof CallbackEvent.ErrorStatus
                || e instanceof CallbackEvent.FileStatus
                || e instanceof CallbackEvent.PersistedStateUpdated
                || e instanceof CallbackEvent.CapabilitiesUpdated));
    }
}

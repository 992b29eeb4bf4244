package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One call of {@link ServiceDeskCallback} as a value: what {@link ChatSession} queues and checks, and what the
 * conformance kit records. {@link #recorder(Consumer)} turns calls into events; {@link #deliverTo} turns an event
 * back into the call.
 */
public sealed interface CallbackEvent {

    /** Calls the matching method of {@code callback}. */
    void deliverTo(ServiceDeskCallback callback);

    /** The name of the {@link ServiceDeskCallback} method this event stands for: each event names its own. */
    String methodName();

    record AvailabilityUpdated(AgentAvailability availability) implements CallbackEvent {
        public AvailabilityUpdated { requireNonNull(availability, "availability is null"); }
        @Override public String methodName() { return "updateAgentAvailability"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.updateAgentAvailability(availability); }
    }

    record AgentJoined(AgentProfile agent) implements CallbackEvent {
        public AgentJoined { requireNonNull(agent, "agent is null"); }
        @Override public String methodName() { return "agentJoined"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.agentJoined(agent); }
    }

    record TransferStarted(Optional<AgentProfile> newAgent) implements CallbackEvent {
        public TransferStarted { requireNonNull(newAgent, "newAgent is null"); }
        @Override public String methodName() { return "beginTransferToAnotherAgent"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.beginTransferToAnotherAgent(newAgent); }
    }

    record AgentLeft() implements CallbackEvent {
        @Override public String methodName() { return "agentLeftChat"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.agentLeftChat(); }
    }

    record AgentEnded() implements CallbackEvent {
        @Override public String methodName() { return "agentEndedChat"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.agentEndedChat(); }
    }

    record AgentTyping(boolean isTyping) implements CallbackEvent {
        @Override public String methodName() { return "agentTyping"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.agentTyping(isTyping); }
    }

    record AgentRead() implements CallbackEvent {
        @Override public String methodName() { return "agentReadMessages"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.agentReadMessages(); }
    }

    record MessageToUser(AgentMessage message) implements CallbackEvent {
        public MessageToUser { requireNonNull(message, "message is null"); }
        @Override public String methodName() { return "sendMessageToUser"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.sendMessageToUser(message); }
    }

    record ErrorStatus(ErrorInfo error) implements CallbackEvent {
        public ErrorStatus { requireNonNull(error, "error is null"); }
        @Override public String methodName() { return "setErrorStatus"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.setErrorStatus(error); }
    }

    record FileStatus(FileUploadStatus status) implements CallbackEvent {
        public FileStatus { requireNonNull(status, "status is null"); }
        @Override public String methodName() { return "setFileUploadStatus"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.setFileUploadStatus(status); }
    }

    record CapabilitiesUpdated(Set<Capability> capabilities) implements CallbackEvent {
        public CapabilitiesUpdated { capabilities = Set.copyOf(requireNonNull(capabilities, "capabilities is null")); }
        @Override public String methodName() { return "updateCapabilities"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.updateCapabilities(capabilities); }
    }

    record PersistedStateUpdated(PersistedState state) implements CallbackEvent {
        public PersistedStateUpdated { requireNonNull(state, "state is null"); }
        @Override public String methodName() { return "updatePersistedState"; }
        @Override public void deliverTo(ServiceDeskCallback callback) { callback.updatePersistedState(state); }
    }

    /** A callback that hands every call to {@code sink} as an event, on the calling thread. */
    static ServiceDeskCallback recorder(Consumer<CallbackEvent> sink) {
        requireNonNull(sink, "sink is null");
        return new ServiceDeskCallback() {
            @Override public void updateAgentAvailability(AgentAvailability availability) { sink.accept(new AvailabilityUpdated(availability)); }
            @Override public void agentJoined(AgentProfile agent) { sink.accept(new AgentJoined(agent)); }
            @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) { sink.accept(new TransferStarted(newAgent)); }
            @Override public void agentLeftChat() { sink.accept(new AgentLeft()); }
            @Override public void agentEndedChat() { sink.accept(new AgentEnded()); }
            @Override public void agentTyping(boolean isTyping) { sink.accept(new AgentTyping(isTyping)); }
            @Override public void agentReadMessages() { sink.accept(new AgentRead()); }
            @Override public void sendMessageToUser(AgentMessage message) { sink.accept(new MessageToUser(message)); }
            @Override public void setErrorStatus(ErrorInfo error) { sink.accept(new ErrorStatus(error)); }
            @Override public void setFileUploadStatus(FileUploadStatus status) { sink.accept(new FileStatus(status)); }
            @Override public void updateCapabilities(Set<Capability> capabilities) { sink.accept(new CapabilitiesUpdated(capabilities)); }
            @Override public void updatePersistedState(PersistedState state) { sink.accept(new PersistedStateUpdated(state)); }
        };
    }
}

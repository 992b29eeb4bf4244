package io.deskbridge.desk.support;

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

/** A callback that ignores every call; tests override the calls they watch. */
class IgnoringCallback implements ServiceDeskCallback {
    @Override public void updateAgentAvailability(AgentAvailability availability) {}
    @Override public void agentJoined(AgentProfile agent) {}
    @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {}
    @Override public void agentLeftChat() {}
    @Override public void agentEndedChat() {}
    @Override public void agentTyping(boolean isTyping) {}
    @Override public void agentReadMessages() {}
    @Override public void sendMessageToUser(AgentMessage message) {}
    @Override public void setErrorStatus(ErrorInfo error) {}
    @Override public void setFileUploadStatus(FileUploadStatus status) {}
    @Override public void updateCapabilities(Set<Capability> capabilities) {}
    @Override public void updatePersistedState(PersistedState state) {}
}

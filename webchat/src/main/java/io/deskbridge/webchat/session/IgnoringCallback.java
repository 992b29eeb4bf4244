package io.deskbridge.webchat.session;

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

/**
 * The callback of a desk chat whose reports no page needs: one that is only asked a question and never started (the
 * agents-online probe), or a stored chat that is over and is opened only to be shown.
 */
final class IgnoringCallback implements ServiceDeskCallback {
    static final IgnoringCallback INSTANCE = new IgnoringCallback();

    private IgnoringCallback() {}

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

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's callback as a desk should call it: the desk calls the gate, and the gate keeps the rules a desk
 * would otherwise check before every call.
 * <ul>
 *   <li><b>Nothing after the end</b> (rules 6, 7): after {@code agentEndedChat}, or once the desk {@link #close()}d
 *       the gate (the user ended the chat, the start failed, the chat was taken over), every call is dropped.</li>
 *   <li><b>Only on the lane, never inside the application's call</b> (rule 12): a call made off the chat's lane (on
 *       the application's thread, say, inside {@code sendMessageToAgent}) is queued on the lane instead.</li>
 *   <li><b>Never re-entrant</b> (rule 12): a call made while the application is still inside another callback (it
 *       called the desk from its callback, and the desk answered at once) is delivered after that callback returned,
 *       in order.</li>
 *   <li>A callback that throws is logged with the chat id and does not disturb the chat.</li>
 * </ul>
 * The gate's state is confined to the lane.
 */
public final class CallbackGate implements ServiceDeskCallback {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackGate.class);

    private final String chatId;
    private final ServiceDeskCallback application;
    private final ChatLane lane;
    private final Queue<Call> pending = new ArrayDeque<>();
    private boolean delivering;
    private volatile boolean closed;

    private record Call(String method, Consumer<ServiceDeskCallback> invocation) {}

    /**
     * @param chatId the chat's id, for the log
     * @param application the application's callback
     * @param lane the chat's lane, the only place the application is called from
     */
    public CallbackGate(String chatId, ServiceDeskCallback application, ChatLane lane) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.application = requireNonNull(application, "application is null");
        this.lane = requireNonNull(lane, "lane is null");
    }

    /** Nothing more reaches the application, including calls already queued. Idempotent; any thread. */
    public void close() {
        closed = true;
    }

    /** Whether the chat is over for the application: {@link #close()}d or ended by the agent. */
    public boolean isClosed() {
        return closed;
    }

    private void deliver(String method, Consumer<ServiceDeskCallback> invocation) {
        if (closed) {
            return;
        }
        if (!lane.isCurrent()) {
            lane.execute(() -> deliver(method, invocation));
            return;
        }
        pending.add(new Call(method, invocation));
        if (delivering) {
            return; // the outer delivery below calls it once the application's callback returned
        }
        delivering = true;
        try {
            Call next;
            while ((next = pending.poll()) != null) {
                if (!closed) {
                    invoke(next);
                }
            }
        } finally {
            delivering = false;
            pending.clear();
        }
    }

    private void invoke(Call call) {
        try {
            call.invocation().accept(application);
        } catch (RuntimeException e) {
            LOG.error("chat={} the application's {} callback failed", chatId, call.method(), e);
        }
    }

    @Override
    public void updateAgentAvailability(AgentAvailability availability) {
        requireNonNull(availability, "availability is null");
        deliver("updateAgentAvailability", cb -> cb.updateAgentAvailability(availability));
    }

    @Override
    public void agentJoined(AgentProfile agent) {
        requireNonNull(agent, "agent is null");
        deliver("agentJoined", cb -> cb.agentJoined(agent));
    }

    @Override
    public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {
        requireNonNull(newAgent, "newAgent is null");
        deliver("beginTransferToAnotherAgent", cb -> cb.beginTransferToAnotherAgent(newAgent));
    }

    @Override
    public void agentLeftChat() {
        deliver("agentLeftChat", ServiceDeskCallback::agentLeftChat);
    }

    /** The last call the application hears (rule 6): the gate closes behind it. */
    @Override
    public void agentEndedChat() {
        deliver("agentEndedChat", cb -> {
            closed = true;
            cb.agentEndedChat();
        });
    }

    @Override
    public void agentTyping(boolean isTyping) {
        deliver("agentTyping", cb -> cb.agentTyping(isTyping));
    }

    @Override
    public void agentReadMessages() {
        deliver("agentReadMessages", ServiceDeskCallback::agentReadMessages);
    }

    @Override
    public void sendMessageToUser(AgentMessage message) {
        requireNonNull(message, "message is null");
        deliver("sendMessageToUser", cb -> cb.sendMessageToUser(message));
    }

    @Override
    public void setErrorStatus(ErrorInfo error) {
        requireNonNull(error, "error is null");
        deliver("setErrorStatus", cb -> cb.setErrorStatus(error));
    }

    @Override
    public void setFileUploadStatus(FileUploadStatus status) {
        requireNonNull(status, "status is null");
        deliver("setFileUploadStatus", cb -> cb.setFileUploadStatus(status));
    }

    @Override
    public void updateCapabilities(Set<Capability> capabilities) {
        Set<Capability> copy = Set.copyOf(requireNonNull(capabilities, "capabilities is null"));
        deliver("updateCapabilities", cb -> cb.updateCapabilities(copy));
    }

    @Override
    public void updatePersistedState(PersistedState state) {
        requireNonNull(state, "state is null");
        deliver("updatePersistedState", cb -> cb.updatePersistedState(state));
    }
}

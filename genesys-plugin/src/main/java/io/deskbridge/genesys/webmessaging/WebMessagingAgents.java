package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.AgentTypingIndicator;
import io.deskbridge.desk.support.ChatLane;
import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of one chat as the user sees it: who the agent is (join, transfer), whether the agent types, and,
 * while no agent has joined, the queue's waiting count and estimated wait ({@code QUEUE_STATUS}).
 *
 * <p>Web messaging has no member model: the agent is known from {@code channel.from} of the agent's messages (with
 * humanize on: nickname, name, picture) or shown with {@link WebMessagingSettings#agentFallbackName()}. The first
 * human gives {@code agentJoined}, a different one a transfer. An agent typing indicator lasts its duration, until the
 * agent's next message, a transfer or the end: Genesys sends no "stopped typing".
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingAgents {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingAgents.class);
    /** The agent id used when the deployment does not humanize agents. */
    static final String FALLBACK_AGENT_ID = "genesys-agent";

    private final String chatId;
    private final ServiceDeskCallback callback;
    private final WebMessagingSettings settings;
    private final ChatLane timers;
    private final QueueAvailabilityClient queueStatus;
    private final Set<Capability> capabilities;
    private final BooleanSupplier running;
    private final Runnable changed;

    private Optional<AgentProfile> agent = Optional.empty();
    private final AgentTypingIndicator typing;
    private QueueAvailabilityClient.QueueWatch queueWatch;

    /**
     * @param running whether the chat still runs (nothing is reported once it stopped)
     * @param changed called when the agent changed (for the persisted state)
     */
    WebMessagingAgents(String chatId, ServiceDeskCallback callback, WebMessagingSettings settings, ChatLane timers,
            QueueAvailabilityClient queueStatus, Set<Capability> capabilities, BooleanSupplier running, Runnable changed) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.queueStatus = requireNonNull(queueStatus, "queueStatus is null");
        this.capabilities = Set.copyOf(capabilities);
        this.running = requireNonNull(running, "running is null");
        this.changed = requireNonNull(changed, "changed is null");
        this.typing = new AgentTypingIndicator(timers, callback, settings.agentTypingDuration());
    }

    Optional<AgentProfile> agent() {
        return agent;
    }

    /** The agent a resumed chat had. */
    void restore(Optional<AgentProfile> saved) {
        agent = requireNonNull(saved, "saved is null");
    }

    /**
     * The human agent who sent {@code message}: the sender shown, or the current agent, or the fallback. Genesys's
     * sender carries names and a picture but no id, so the name shown is the agent's id too.
     */
    AgentProfile sender(StructuredMessage message) {
        Optional<StructuredMessage.Participant> from = message.from();
        if (from.isPresent()) {
            String name = from.get().displayName().orElse(settings.agentFallbackName());
            return new AgentProfile(name, name, from.get().image().flatMap(WireValues::absoluteUri));
        }
        return agent.orElseGet(() -> new AgentProfile(FALLBACK_AGENT_ID, settings.agentFallbackName()));
    }

    /** {@code profile} speaks for the desk: a join if no agent had, a transfer if another agent had. */
    void speaking(AgentProfile profile) {
        if (agent.isPresent() && agent.get().id().equals(profile.id())) {
            return;
        }
        stopQueueWatch();
        stopTyping();
        if (agent.isPresent()) {
            LOG.info("chat={} another agent took over the chat", chatId);
            callback.beginTransferToAnotherAgent(Optional.of(profile));
        } else {
            LOG.info("chat={} an agent joined", chatId);
        }
        agent = Optional.of(profile);
        // As for a departure: the state naming the new agent is persisted before the application hears of the join.
        changed.run();
        callback.agentJoined(profile);
    }

    /**
     * The agent left without ending the conversation (a disconnect that leaves the session writable):
     * {@code agentLeftChat}, and no agent until the next human writes, whose first message is a join again. Nothing is
     * reported when no agent is in the chat (a bot's conversation, or a disconnect already reported).
     */
    void left() {
        if (agent.isEmpty()) {
            LOG.debug("chat={} a disconnect left the conversation writable with no agent in the chat", chatId);
            return;
        }
        LOG.info("chat={} the agent left; the conversation stays open", chatId);
        stopTyping();
        agent = Optional.empty();
        // The state without the agent is persisted before the application hears the agent left: whatever it does on
        // agentLeftChat (save the chat, move it) already sees a chat that would resume with no agent.
        changed.run();
        callback.agentLeftChat();
    }

    /** The agent types, for {@code duration}. */
    void typing(Duration duration) {
        typing.typing(duration);
    }

    /** Ends the agent typing indicator, if it shows; nothing is reported once the chat stopped running. */
    void stopTyping() {
        if (running.getAsBoolean()) {
            typing.stop();
        } else {
            typing.release();
        }
    }

    /** While no human agent has joined, reports the queue's waiting count and estimated wait, refreshed. */
    void watchQueueWhileWaiting() {
        if (queueWatch != null || agent.isPresent() || !capabilities.contains(Capability.QUEUE_STATUS) || !running.getAsBoolean()) {
            return;
        }
        queueWatch = queueStatus.watchWhileWaiting(chatId, timers,
                () -> agent.isEmpty() && running.getAsBoolean(), callback::updateAgentAvailability);
    }

    private void stopQueueWatch() {
        if (queueWatch != null) {
            queueWatch.stop();
            queueWatch = null;
        }
    }

    /** Stops the typing timer and the queue watch: the chat ends. */
    void stop() {
        typing.release();
        stopQueueWatch();
    }
}

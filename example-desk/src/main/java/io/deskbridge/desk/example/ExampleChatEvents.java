package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.DeliveredIds;
import io.deskbridge.desk.support.AgentEvents;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The example contact center's events of one chat turned into desk-support's {@link AgentEvents} (once per agent,
 * typing off before messages and on expiry, the end last): durable events already seen are skipped by their sequence
 * number and agent messages by their id (rule 8), and the persisted state follows every durable event (rule 13). On
 * the chat's lane only; nothing reaches the application once the chat's {@link CallbackGate} is closed.
 */
final class ExampleChatEvents {
    private final CallbackGate callback;
    private final AgentEvents agent;
    private final DeliveredIds delivered = new DeliveredIds();
    private String chatId;
    private long lastEvent;

    /**
     * @param chat deskbridge's id of the chat, for the log
     * @param ended called after {@code agentEndedChat}: the desk lets go of the chat
     */
    ExampleChatEvents(String chat, CallbackGate callback, ChatLane lane, Duration typingTimeout, Runnable ended) {
        this.callback = requireNonNull(callback, "callback is null");
        this.agent = new AgentEvents(chat, lane, callback, typingTimeout, ended);
    }

    /** The contact center's id of the chat, once known. */
    String chatId() {
        return chatId;
    }

    /** The sequence number of the last durable event delivered. */
    long lastEvent() {
        return lastEvent;
    }

    /** The chat is the contact center's {@code chatId}, and the events up to {@code lastEvent} were delivered. */
    void at(String chatId, long lastEvent) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.lastEvent = lastEvent;
    }

    /** A resumed chat: the agent the contact center says is in it, told to an earlier desk. */
    void resumedWith(Optional<String> agentId, boolean agentJoined) {
        agent.toldBefore(agentId, agentJoined);
    }

    /** Turns the agent typing indicator off, if it is on (rule 9). */
    void stopTyping() {
        agent.stopTyping();
    }

    /** The chat is over for the application: no timer left. */
    void release() {
        agent.release();
    }

    /** Rule 13: what a later desk needs to resume the chat. */
    void persist() {
        callback.updatePersistedState(new PersistedState(Map.of(ExampleServiceDesk.STATE_CHAT_ID, chatId,
                ExampleServiceDesk.STATE_LAST_EVENT, Long.toString(lastEvent))));
    }

    /** One event of the contact center. */
    void handle(ContactCenterEvent event) {
        if (callback.isClosed() || (event.durable() && event.sequence() <= lastEvent)) {
            return;
        }
        if (event instanceof ContactCenterEvent.QueueStatus status) {
            agent.waiting(new AgentAvailability(status.position(), status.estimatedWait(), Optional.empty()));
        } else if (event instanceof ContactCenterEvent.AgentJoined joined) {
            agent.joined(profile(joined.agent()));
        } else if (event instanceof ContactCenterEvent.TransferStarted transfer) {
            agent.transfer(transfer.to().map(ExampleChatEvents::profile));
        } else if (event instanceof ContactCenterEvent.AgentLeft) {
            agent.left();
        } else if (event instanceof ContactCenterEvent.AgentTyping agentTyping) {
            if (agentTyping.typing()) {
                agent.typing();
            } else {
                agent.stopTyping();
            }
        } else if (event instanceof ContactCenterEvent.AgentRead) {
            agent.read();
        } else if (event instanceof ContactCenterEvent.Message message) {
            if (delivered.firstDelivery(message.messageId())) {
                agent.message(new AgentMessage(message.messageId(), message.agentId(), message.text(),
                        message.agentId().isPresent() ? MessageOrigin.AGENT : MessageOrigin.SYSTEM, Optional.of(message.sentAt())));
            }
        } else if (event instanceof ContactCenterEvent.ChatEnded) {
            // Persisted before the end, the last callback: a later reconnect() then answers false.
            lastEvent = event.sequence();
            agentEnded();
            return;
        }
        if (event.durable()) {
            lastEvent = event.sequence();
            persist();
        }
    }

    /** The chat ended at the contact center: {@code agentEndedChat}, the last callback (rule 6). */
    void agentEnded() {
        agent.stopTyping();
        persist();
        agent.ended();
    }

    /** A sequence number as persisted, if it is one. */
    static Optional<Long> sequence(String text) {
        try {
            long value = Long.parseLong(text);
            return value < 0 ? Optional.empty() : Optional.of(value);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static AgentProfile profile(ExampleContactCenter.Agent agent) {
        return new AgentProfile(agent.id(), agent.name(), agent.avatar());
    }
}

package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.DeliveredIds;
import io.deskbridge.desk.support.CatchUpBuffer;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.genesys.webmessaging.wire.Bodies;
import io.deskbridge.genesys.webmessaging.wire.ErrorCode;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.Direction;
import io.deskbridge.genesys.webmessaging.wire.EventType;
import io.deskbridge.genesys.webmessaging.wire.MessageType;
import io.deskbridge.genesys.webmessaging.wire.OriginatingEntity;
import io.deskbridge.genesys.webmessaging.wire.PresenceType;
import io.deskbridge.genesys.webmessaging.wire.ReceiptStatus;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.genesys.webmessaging.wire.TypingType;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the guest's side of a web messaging chat has seen, and how each outbound message changes it: the rules of
 * the protocol turned into contract callbacks.
 *
 * <ul>
 *   <li>{@code Text} and {@code Structured} messages reach the user; bot and flow messages keep
 *       {@link MessageOrigin#BOT} and never count as an agent.</li>
 *   <li>Who the agent is and whether the agent types is {@link WebMessagingAgents}'s: a human's message names the
 *       agent, {@code Typing} shows the agent typing for its duration.</li>
 *   <li>{@code Presence Disconnect} is the desk's to judge (it ends the chat, or the agent leaves, as
 *       {@code genesys.webMessagingAgentDisconnect} and the deployment say); {@code Clear} ends the chat;
 *       {@code Receipt Read} gives {@code agentReadMessages}.</li>
 *   <li>Live messages pass through an {@link OutboundOrder}; while a catch-up reads the history, live messages wait
 *       in a {@link CatchUpBuffer} and are delivered after it. Every message id is handled once (receipts, which carry
 *       the id of the message they refer to, are told apart by status).</li>
 * </ul>
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingConversation {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingConversation.class);

    /** What the desk does when the conversation changes. Called on the serial executor. */
    interface Effects {
        /** Whether the chat still delivers (not ending, not ended). */
        boolean running();

        /** The agent or Genesys ended the conversation. */
        void ended(String reason);

        /**
         * The agent disconnected the conversation ({@code Presence Disconnect}).
         *
         * @param reason what happened, for the log
         * @param readOnly what the event's {@code metadata.readOnly} says about the session, where it says anything
         * @param fromHistory whether a catch-up read it from the history (every message before it was handled already);
         *     a live one may have overtaken agent messages the socket still owes
         */
        void disconnected(String reason, Optional<Boolean> readOnly, boolean fromHistory);

        /** The last delivered message changed (persisted for a later resume). */
        void lastMessageChanged();

    }

    private final String chatId;
    private final ServiceDeskCallback callback;
    private final WebMessagingSettings settings;
    private final Clock clock;
    private final ChatLane timers;
    private final Effects effects;
    private final ObjectMapper json;
    private final WebMessagingSender sender;
    private final WebMessagingUploads uploads;
    private final WebMessagingAgents agents;
    private final OutboundOrder order;

    private final DeliveredIds delivered = new DeliveredIds();
    /** Outbound messages, live or read from the history: each message id handled once, live ones held during a catch-up. */
    private final CatchUpBuffer<Arrival> arrivals = new CatchUpBuffer<>(Arrival::messageId, delivered, this::arrived);
    private Optional<String> lastMessageId = Optional.empty();
    private ChatLane.Timer orderTimer;
    private Instant orderTimerAt;

    /** What the catch-up buffer holds: messages, and what the desk does once a history was delivered. */
    private sealed interface Arrival {
        /** The id the delivered-ids window knows this arrival by; empty: handled every time. */
        Optional<String> messageId();
    }

    /**
     * A message. The history's messages are in Genesys's order already and include the guest's own (confirmations of
     * sends); live ones are outbound and go through the {@link OutboundOrder}.
     */
    private record Message(StructuredMessage message, boolean fromHistory) implements Arrival {
        Message {
            requireNonNull(message, "message is null");
        }

        /**
         * None for the guest's own messages (the history shows them to confirm sends, never to deliver) and for
         * receipts (they carry the id of the message they refer to).
         */
        @Override
        public Optional<String> messageId() {
            if (message.messageDirection().orElse(null) == Direction.INBOUND
                    || message.messageType().filter(t -> t == MessageType.RECEIPT).isPresent()) {
                return Optional.empty();
            }
            return idOf(message);
        }
    }

    /** Runs after a history's messages and before the live ones that waited for it. */
    private record AfterHistory(Runnable action) implements Arrival {
        AfterHistory {
            requireNonNull(action, "action is null");
        }

        @Override
        public Optional<String> messageId() {
            return Optional.empty();
        }
    }

    WebMessagingConversation(String chatId, ServiceDeskCallback callback, WebMessagingSettings settings, Clock clock, ChatLane timers,
            ObjectMapper json, WebMessagingSender sender, WebMessagingUploads uploads, WebMessagingAgents agents, Effects effects) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.effects = requireNonNull(effects, "effects is null");
        this.json = requireNonNull(json, "json is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.order = new OutboundOrder(settings.reorderWindow());
    }

    /** Restores what a persisted chat had seen. */
    void restore(Optional<String> lastMessageId) {
        this.lastMessageId = lastMessageId;
        lastMessageId.ifPresent(delivered::firstDelivery);
    }

    Optional<String> lastMessageId() {
        return lastMessageId;
    }

    /** Whether the outbound message with this id reached the user. */
    boolean wasDelivered(String id) {
        return delivered.contains(id);
    }

    // ---------------------------------------------------------------- frames

    /** A frame that answers no request: pushed by Genesys, or an error nobody claimed. */
    void frame(Frame frame) {
        Optional<ResponseClass> kind = frame.responseClass();
        if (kind.isEmpty()) {
            LOG.debug("chat={} ignored a frame of unknown class {}", chatId, frame.className());
            return;
        }
        try {
            switch (kind.get()) {
                case STRUCTURED_MESSAGE -> onStructuredMessage(frame, read(frame, StructuredMessage.class));
                case SESSION_EXPIRED_EVENT -> effects.ended("the session expired");
                case SESSION_CLEARED_EVENT -> effects.ended("the conversation was cleared");
                case CONNECTION_CLOSED_EVENT -> effects.ended("Genesys closed this connection ("
                        + read(frame, Bodies.ConnectionClosed.class).reason().orElse("session opened elsewhere") + ")");
                case LOGOUT_EVENT -> effects.ended("the user was logged out");
                case UPLOAD_SUCCESS_EVENT -> uploads.uploadEvent(read(frame, Bodies.UploadSuccess.class).attachmentId(), frame);
                case UPLOAD_FAILURE_EVENT -> uploads.uploadEvent(read(frame, Bodies.UploadFailure.class).attachmentId(), frame);
                case STRING, ERROR, TOO_MANY_REQUESTS, GENERATE_URL_ERROR -> onUncorrelatedError(frame);
                default -> LOG.debug("chat={} ignored a {} frame", chatId, frame.className());
            }
        } catch (RuntimeException e) {
            LOG.warn("chat={} ignored a {} frame that could not be read: {}", chatId, frame.className(), e.toString());
        }
    }

    private void onUncorrelatedError(Frame frame) {
        if (frame.code() == ErrorCode.SESSION_EXPIRED.code() || frame.code() == ErrorCode.SESSION_NOT_FOUND.code()) {
            effects.ended("Genesys answered code " + frame.code());
        } else if (frame.responseClass().filter(c -> c == ResponseClass.TOO_MANY_REQUESTS).isPresent()) {
            sender.slowDown(frame);
        } else {
            // Answers no request (a 403 for a typing event the deployment does not show, say): never pinned on a send.
            LOG.info("chat={} Genesys reported error {} ({}) outside any request", chatId, frame.code(), frame.className());
        }
    }

    private void onStructuredMessage(Frame frame, StructuredMessage message) {
        Optional<Direction> direction = message.messageDirection();
        if (direction.isEmpty()) {
            LOG.debug("chat={} ignored a message with unknown direction {}", chatId, message.direction());
            return;
        }
        if (direction.get() == Direction.INBOUND) {
            // The echo of the guest's own message: the confirmation of a send.
            Optional.ofNullable(message.metadata().get("customMessageId")).ifPresent(id -> sender.echoed(id, frame));
            return;
        }
        live(message);
    }

    private <T> T read(Frame frame, Class<T> type) {
        try {
            return json.treeToValue(frame.body(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a " + frame.className() + " body that is not a valid " + type.getSimpleName(), e);
        }
    }

    // ---------------------------------------------------------------- live messages and the catch-up

    /** A catch-up begins: live messages wait until {@link #finishCatchUp}. */
    void beginCatchUp() {
        arrivals.hold();
    }

    /**
     * The catch-up failed: live messages it held are dropped and are not marked delivered, so the next catch-up reads
     * them from the history.
     */
    void abandonCatchUp() {
        arrivals.clear();
    }

    /** Delivers what the history showed (oldest first), then what arrived live meanwhile, each message once. */
    void finishCatchUp(List<StructuredMessage> missed) {
        arrivals.caughtUp(missed.stream().<Arrival>map(m -> new Message(m, true)).toList());
    }

    /**
     * Delivers what the history showed (oldest first), runs {@code afterHistory}, then delivers what arrived live
     * meanwhile: what a live event overtook is handled before it, what came after it after.
     */
    void finishCatchUp(List<StructuredMessage> missed, Runnable afterHistory) {
        List<Arrival> history = new ArrayList<>(missed.size() + 1);
        missed.forEach(m -> history.add(new Message(m, true)));
        history.add(new AfterHistory(afterHistory));
        arrivals.caughtUp(history);
    }

    /** An outbound message from the socket. */
    private void live(StructuredMessage message) {
        arrivals.offer(new Message(message, false));
    }

    /** A message seen for the first time (the buffer skipped repeats): from the history now, live in Genesys's order. */
    private void arrived(Arrival arrival) {
        if (!effects.running()) {
            order.clear();
            return;
        }
        if (arrival instanceof AfterHistory after) {
            after.action().run();
            return;
        }
        Message m = (Message) arrival;
        StructuredMessage message = m.message();
        if (!m.fromHistory()) {
            deliverInOrder(order.add(message, clock.instant()));
        } else if (message.messageDirection().orElse(null) == Direction.INBOUND) {
            Optional.ofNullable(message.metadata().get("customMessageId")).ifPresent(sender::confirmedByHistory);
        } else {
            onOutbound(message, true);
        }
    }

    // ---------------------------------------------------------------- Genesys's order

    private void deliverInOrder(List<StructuredMessage> due) {
        deliverLive(due);
        scheduleOrderRelease();
    }

    /** Delivers live messages the order released, until the chat stops running (what is left is dropped). */
    private void deliverLive(List<StructuredMessage> released) {
        for (StructuredMessage message : released) {
            if (!effects.running()) {
                order.clear();
                return;
            }
            onOutbound(message, false);
        }
    }

    private void scheduleOrderRelease() {
        Optional<Instant> next = order.nextRelease();
        if (next.isEmpty() || !effects.running()) {
            return;
        }
        if (orderTimer != null && orderTimerAt != null && !orderTimerAt.isAfter(next.get())) {
            return;
        }
        if (orderTimer != null) {
            orderTimer.cancel();
        }
        orderTimerAt = next.get();
        orderTimer = timers.schedule(Duration.between(clock.instant(), next.get()), () -> {
            orderTimer = null;
            orderTimerAt = null;
            deliverInOrder(order.releaseDue(clock.instant()));
        });
    }

    /** Delivers every held message now (the socket they came on is gone). */
    void releaseHeld() {
        if (orderTimer != null) {
            orderTimer.cancel();
            orderTimer = null;
        }
        orderTimerAt = null;
        deliverLive(order.releaseAll());
    }

    /** Drops held messages and stops the timers: the chat ends. */
    void stop() {
        arrivals.clear();
        order.clear();
        if (orderTimer != null) {
            orderTimer.cancel();
            orderTimer = null;
        }
        orderTimerAt = null;
        agents.stop();
    }

    // ---------------------------------------------------------------- agent side

    private void onOutbound(StructuredMessage message, boolean fromHistory) {
        if (!effects.running()) {
            return;
        }
        Optional<String> id = idOf(message);
        Optional<MessageType> type = message.messageType();
        if (type.isEmpty()) {
            LOG.debug("chat={} ignored an outbound message of unknown type {}", chatId, message.type());
            return;
        }
        switch (type.get()) {
            case TEXT, STRUCTURED -> deliverText(id.orElseGet(() -> "genesys-" + UUID.randomUUID()), message);
            case EVENT -> {
                for (StructuredMessage.Event event : message.events()) {
                    onEvent(message, event, fromHistory);
                    if (!effects.running()) {
                        return;
                    }
                }
            }
            case RECEIPT -> {
                // A receipt carries the id of the message it refers to, which a Delivered and a Read share: receipts
                // are told apart by status, never dropped as a repeat of the message.
                String key = "receipt:" + message.status().orElse("") + ":" + id.orElse("");
                if (!fromHistory && delivered.firstDelivery(key) && settings.readReceipts()
                        && message.receiptStatus().filter(s -> s == ReceiptStatus.READ).isPresent()) {
                    callback.agentReadMessages();
                }
                return;
            }
            default -> LOG.debug("chat={} ignored an outbound {} message", chatId, message.type());
        }
    }

    private void deliverText(String id, StructuredMessage message) {
        String text = StructuredContent.text(message);
        if (text.isBlank()) {
            LOG.debug("chat={} ignored outbound message {} without text", chatId, id);
            return;
        }
        Optional<Instant> sentAt = message.channel().flatMap(StructuredMessage.Channel::time).flatMap(WireValues::instant);
        if (message.origin().filter(o -> o == OriginatingEntity.BOT).isPresent()) {
            agents.stopTyping();
            callback.sendMessageToUser(new AgentMessage(id, Optional.empty(), text, MessageOrigin.BOT, sentAt));
        } else {
            AgentProfile from = agents.sender(message);
            agents.speaking(from);
            agents.stopTyping();
            callback.sendMessageToUser(new AgentMessage(id, Optional.of(from.id()), text, MessageOrigin.AGENT, sentAt));
        }
        lastMessageId = Optional.of(id);
        effects.lastMessageChanged();
    }

    private void onEvent(StructuredMessage message, StructuredMessage.Event event, boolean fromHistory) {
        Optional<EventType> kind = event.kind();
        if (kind.isEmpty()) {
            LOG.debug("chat={} ignored an event of unknown type {}", chatId, event.eventType());
            return;
        }
        switch (kind.get()) {
            case TYPING -> {
                if (fromHistory) {
                    return;
                }
                Optional<TypingType> typing = event.typing().flatMap(StructuredMessage.Typing::typingType);
                if (message.origin().filter(o -> o == OriginatingEntity.HUMAN).isPresent()) {
                    agents.speaking(agents.sender(message)); // a human's typing names the agent as a message does
                }
                if (typing.filter(t -> t == TypingType.ON).isPresent()) {
                    long millis = event.typing().get().duration().orElse(settings.agentTypingDuration().toMillis());
                    agents.typing(Duration.ofMillis(Math.max(100, millis)));
                } else if (typing.filter(t -> t == TypingType.OFF).isPresent()) {
                    agents.stopTyping();
                }
            }
            case PRESENCE -> {
                Optional<PresenceType> presence = event.presence().flatMap(StructuredMessage.Presence::presenceType);
                if (presence.isEmpty()) {
                    LOG.debug("chat={} ignored a presence event of unknown type", chatId);
                    return;
                }
                switch (presence.get()) {
                    // Genesys announces no agent's join: a Join is the conversation's autostart (the messenger SDK's reading).
                    case JOIN -> LOG.debug("chat={} the conversation started", chatId);
                    case DISCONNECT -> {
                        // Genesys's messenger prefers the event's metadata.readOnly ("true" in any case) to the deployment's type.
                        Optional<Boolean> readOnly = Optional.ofNullable(message.metadata().get("readOnly")).map("true"::equalsIgnoreCase);
                        String reason = "Genesys disconnected the conversation"
                                + readOnly.map(r -> r ? " (read-only)" : " (the guest may write on)").orElse("");
                        effects.disconnected(reason, readOnly, fromHistory);
                    }
                    case CLEAR -> effects.ended("the conversation was cleared");
                    case SESSION_EXPIRED -> effects.ended("the session expired");
                    default -> LOG.debug("chat={} ignored presence {}", chatId, presence.get());
                }
            }
            default -> LOG.debug("chat={} ignored a {} event", chatId, event.eventType());
        }
    }

    static Optional<String> idOf(StructuredMessage message) {
        return message.id().or(() -> message.channel().flatMap(StructuredMessage.Channel::messageId));
    }
}

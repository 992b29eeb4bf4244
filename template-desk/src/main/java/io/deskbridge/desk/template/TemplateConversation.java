package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.DeliveredIds;
import io.deskbridge.desk.support.AgentTypingIndicator;
import io.deskbridge.desk.support.Backoff;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.CatchUpBuffer;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorConversationStatus;
import io.deskbridge.desk.template.vendor.VendorEvent;
import io.deskbridge.desk.template.vendor.VendorMessage;
import io.deskbridge.desk.template.vendor.VendorParticipant;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open conversation's vendor events turned into callbacks (steps 4, 6, 7, 8, 10, 11, 12, 13). Runs on the chat's
 * lane; once the chat's {@link CallbackGate} is closed it does nothing more.
 */
final class TemplateConversation {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateConversation.class);
    private static final Backoff CATCH_UP_RETRY = Backoff.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final String chatId;
    private final VendorConversation conversation;
    private final TemplateVendorClient vendor;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final BooleanSupplier open;
    private PersistedState lastPersisted = PersistedState.empty();
    private final Runnable ended;
    private final AgentTypingIndicator typing;
    private final CatchUpBuffer<VendorEvent> events = new CatchUpBuffer<>(TemplateConversation::messageId, new DeliveredIds(), this::handle);
    private final Backoff.Attempts catchUpRetries = CATCH_UP_RETRY.attempts();
    private Optional<VendorParticipant> agent = Optional.empty();
    private boolean anyAgentJoined;
    private boolean disconnected;
    private long catchUpRound;
    private Optional<String> lastMessageId;

    /**
     * @param open whether the chat is open (not still starting), for reporting a lost stream
     * @param ended called after {@code agentEndedChat}: the desk finishes the chat
     */
    TemplateConversation(String chatId, VendorConversation conversation, Optional<String> lastMessageId, TemplateSettings settings,
            TemplateVendorClient vendor, ChatLane lane, CallbackGate callback, BooleanSupplier open, Runnable ended) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.conversation = requireNonNull(conversation, "conversation is null");
        this.lastMessageId = requireNonNull(lastMessageId, "lastMessageId is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.open = requireNonNull(open, "open is null");
        this.ended = requireNonNull(ended, "ended is null");
        this.typing = new AgentTypingIndicator(lane, callback, settings.typingTimeout());
    }

    /** The id of the last message delivered, from which a resumed chat fetches what it missed. */
    Optional<String> lastMessageId() {
        return lastMessageId;
    }

    /** Rule 13: tells the application what a new desk needs to resume this chat, when it changed. */
    void persist() {
        if (callback.isClosed()) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TemplateServiceDesk.CONVERSATION_ID, conversation.id());
        values.put(TemplateServiceDesk.CONVERSATION_TOKEN, conversation.token()); // scoped to this conversation: fine to persist
        lastMessageId.ifPresent(id -> values.put(TemplateServiceDesk.LAST_MESSAGE_ID, id));
        PersistedState next = new PersistedState(values);
        if (!next.equals(lastPersisted)) {
            lastPersisted = next;
            callback.updatePersistedState(next);
        }
    }

    /** Live events wait until {@link #caughtUp} (a resumed chat reads its history first: rule 8, in order, once). */
    void hold() {
        events.hold();
    }

    /** The chat is over: no timer, nothing held. */
    void close() {
        typing.release();
        events.clear();
    }

    /** One event of the vendor's stream, on the lane. */
    void onEvent(VendorEvent event) {
        if (callback.isClosed()) {
            return; // Rules 6 and 7: nothing after the end
        }
        if (event instanceof VendorEvent.ConnectionLost lost) {
            connectionLost(lost.reason());
        } else if (event instanceof VendorEvent.ConnectionRestored) {
            catchUp(++catchUpRound);
        } else {
            events.offer(event); // held while a catch-up reads the history
        }
    }

    private void handle(VendorEvent event) {
        if (callback.isClosed()) {
            return;
        }
        if (event instanceof VendorEvent.QueueUpdated queue && agent.isEmpty()) {
            // Step 15 (availability): queue position and wait while the user waits.
            callback.updateAgentAvailability(new AgentAvailability(queue.position(), queue.estimatedWait(), Optional.empty()));
        } else if (event instanceof VendorEvent.ParticipantJoined joined && isAgent(joined.participant())) {
            agentJoined(joined.participant());
        } else if (event instanceof VendorEvent.TransferStarted transfer && anyAgentJoined) {
            // Step 8 (transfer): the agent hands the chat on; agentJoined follows for the new agent (rule 4).
            typing.stop();
            callback.beginTransferToAnotherAgent(transfer.to().map(TemplateConversation::profile));
        } else if (event instanceof VendorEvent.ParticipantLeft left && agent.filter(a -> a.id().equals(left.participant().id())).isPresent()) {
            agentLeft(); // Step 8 (transfer): rule 5, the chat goes on
        } else if (event instanceof VendorEvent.Typing typer && isAgent(typer.participant())) {
            typing.typing(); // Step 10 (typing); rule 9: the customer's own typing is echoed and is not the agent's
        } else if (event instanceof VendorEvent.Read read && isAgent(read.participant())) {
            callback.agentReadMessages(); // Step 11 (read receipts)
        } else if (event instanceof VendorEvent.MessagePosted posted) {
            deliver(posted.message());
        } else if (event instanceof VendorEvent.ConversationEnded) {
            endedByAgent();
        }
    }

    private static boolean isAgent(VendorParticipant participant) {
        return participant.role() == VendorParticipant.Role.AGENT;
    }

    private void agentJoined(VendorParticipant participant) {
        if (agent.filter(a -> a.id().equals(participant.id())).isPresent()) {
            return; // Rule 3: once per agent (vendors repeat joins, for example after a reconnect)
        }
        typing.stop();
        agent = Optional.of(participant);
        anyAgentJoined = true;
        LOG.info("chat={} agent {} joined", chatId, participant.id());
        callback.agentJoined(profile(participant)); // Step 4 (join), step 12 (nickname and avatar)
    }

    private void agentLeft() {
        typing.stop();
        agent = Optional.empty();
        callback.agentLeftChat();
    }

    private static AgentProfile profile(VendorParticipant participant) {
        return new AgentProfile(participant.id(), participant.displayName().isBlank() ? "Agent" : participant.displayName(), participant.avatarUrl());
    }

    /** Step 6 (receive): one vendor message to the user; the catch-up buffer already dropped repeats (rule 8). */
    private void deliver(VendorMessage message) {
        VendorParticipant sender = message.sender();
        if (sender.role() == VendorParticipant.Role.CUSTOMER) {
            return; // the vendor echoes the customer's own messages
        }
        typing.stop(); // Rule 9: typing ends before the agent's message
        MessageOrigin origin = isAgent(sender) ? MessageOrigin.AGENT
                : sender.role() == VendorParticipant.Role.BOT ? MessageOrigin.BOT : MessageOrigin.SYSTEM;
        Optional<String> agentId = origin == MessageOrigin.AGENT ? Optional.of(sender.id()) : Optional.empty();
        callback.sendMessageToUser(new AgentMessage(message.id(), agentId, message.text(), origin, Optional.of(message.sentAt())));
        lastMessageId = Optional.of(message.id());
        persist(); // Rule 13: a resumed chat fetches what came after this message
    }

    private static Optional<String> messageId(VendorEvent event) {
        return event instanceof VendorEvent.MessagePosted posted ? Optional.of(posted.message().id()) : Optional.empty();
    }

    /** Step 7 (end): the agent or the vendor ended the chat. Rule 6: the last callback. */
    private void endedByAgent() {
        typing.stop();
        LOG.info("chat={} ended by the agent", chatId);
        callback.agentEndedChat();
        ended.run();
    }

    /** Step 13 (errors): rule 10, the stream dropped; the client reconnects by itself. */
    private void connectionLost(String reason) {
        LOG.warn("chat={} lost the template vendor's event stream: {}", chatId, reason);
        events.hold();
        if (!disconnected && open.getAsBoolean()) {
            typing.stop();
            disconnected = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    /** Step 13 (errors): rule 10, the stream is back; the vendor's history fills the gap, then the live events follow. */
    private void catchUp(long round) {
        events.hold();
        lane.whenComplete(vendor.fetchConversation(conversation).thenCompose(status -> vendor.fetchMessagesAfter(conversation, lastMessageId)
                .thenApply(missed -> Map.entry(status, missed))), (caught, failure) -> {
                    if (callback.isClosed() || round != catchUpRound) {
                        return; // over, or a newer catch-up runs
                    }
                    if (failure == null) {
                        caughtUp(caught.getKey(), caught.getValue());
                        return;
                    }
                    Duration wait = catchUpRetries.next().orElseThrow(); // unbounded: the chat needs its history
                    LOG.warn("chat={} could not catch up with the template vendor, retrying in {} ms: {}", chatId, wait.toMillis(), failure.getMessage());
                    lane.schedule(wait, () -> {
                        if (!callback.isClosed() && round == catchUpRound) {
                            catchUp(round);
                        }
                    });
                });
    }

    /**
     * What the vendor says the conversation is now, and the messages after the last one delivered: the agent joins or
     * is gone, the missed messages and then the live events that waited are delivered, and an ended conversation ends.
     */
    void caughtUp(VendorConversationStatus status, List<VendorMessage> missed) {
        catchUpRound++;
        catchUpRetries.reset();
        status.agent().ifPresentOrElse(this::agentJoined, () -> agent.filter(a -> !status.ended()).ifPresent(a -> agentLeft()));
        if (disconnected) {
            disconnected = false;
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        }
        LOG.info("chat={} caught up with conversation {} ({} messages missed)", chatId, conversation.id(), missed.size());
        events.caughtUp(missed.stream().map(VendorEvent.MessagePosted::new).toList());
        if (status.ended() && !callback.isClosed()) {
            endedByAgent();
        }
    }
}

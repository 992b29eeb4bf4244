package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.support.AgentEvents;
import io.deskbridge.desk.support.ChatVendor;
import io.deskbridge.desk.support.VendorChat;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.VendorConnection;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorEvent;
import io.deskbridge.desk.template.vendor.VendorParticipant;
import io.deskbridge.desk.template.vendor.VendorParticipant.Role;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The template vendor's side of a chat (steps 4, 6, 7, 8, 10-13): its event stream, history and persisted state, and
 * what each of its events means for the user. {@link VendorChat} calls it and keeps the contract's rules.
 */
final class TemplateConversation implements ChatVendor<VendorConversation, VendorEvent> {
    /** Keys of the persisted state (rule 13): enough to find the conversation again. */
    static final String CONVERSATION_ID = "conversationId";
    static final String CONVERSATION_TOKEN = "conversationToken";

    private final TemplateVendorClient vendor;

    TemplateConversation(TemplateVendorClient vendor) {
        this.vendor = requireNonNull(vendor, "vendor is null");
    }

    @Override
    public CompletionStage<VendorConnection> connect(VendorConversation conversation, Events<VendorEvent> events) {
        return vendor.connect(conversation, event -> {
            if (event instanceof VendorEvent.ConnectionLost lost) {
                events.lost(lost.reason()); // Step 13 (errors): rule 10, the client reconnects by itself
            } else if (event instanceof VendorEvent.ConnectionRestored) {
                events.restored();
            } else {
                events.event(event);
            }
        });
    }

    @Override
    public CompletionStage<Snapshot<VendorEvent>> snapshot(VendorConversation conversation, Optional<String> afterMessageId) {
        // Step 13 (errors): is the conversation still going on, who is in it, and what did the user miss?
        return vendor.fetchConversation(conversation).thenCompose(status -> vendor.fetchMessagesAfter(conversation, afterMessageId)
                .thenApply(missed -> new Snapshot<>(status.ended(), status.agent().map(TemplateConversation::profile),
                        missed.stream().map(VendorEvent.MessagePosted::new).map(VendorEvent.class::cast).toList())));
    }

    @Override
    public CompletionStage<Void> end(VendorConversation conversation) {
        return vendor.endConversation(conversation); // Step 7 (end)
    }

    @Override
    public Optional<String> messageId(VendorEvent event) {
        return event instanceof VendorEvent.MessagePosted posted ? Optional.of(posted.message().id()) : Optional.empty();
    }

    @Override
    public void handle(VendorEvent event, AgentEvents agent) {
        if (event instanceof VendorEvent.QueueUpdated queue) {
            agent.waiting(new AgentAvailability(queue.position(), queue.estimatedWait(), Optional.empty())); // Step 15
        } else if (event instanceof VendorEvent.ParticipantJoined joined && isAgent(joined.participant())) {
            agent.joined(profile(joined.participant())); // Step 4 (join), step 12 (nickname and avatar)
        } else if (event instanceof VendorEvent.TransferStarted transfer) {
            agent.transfer(transfer.to().map(TemplateConversation::profile)); // Step 8 (transfer)
        } else if (event instanceof VendorEvent.ParticipantLeft left) {
            agent.left(left.participant().id());
        } else if (event instanceof VendorEvent.Typing typer && isAgent(typer.participant())) {
            agent.typing(); // Step 10; rule 9: the customer's own typing is echoed and is not the agent's
        } else if (event instanceof VendorEvent.Read read && isAgent(read.participant())) {
            agent.read(); // Step 11 (read receipts)
        } else if (event instanceof VendorEvent.MessagePosted posted && posted.message().sender().role() != Role.CUSTOMER) {
            // Step 6 (receive); the vendor echoes the customer's own messages, which are skipped.
            VendorParticipant sender = posted.message().sender();
            MessageOrigin origin = isAgent(sender) ? MessageOrigin.AGENT : sender.role() == Role.BOT ? MessageOrigin.BOT : MessageOrigin.SYSTEM;
            agent.message(new AgentMessage(posted.message().id(), Optional.of(sender.id()).filter(id -> origin == MessageOrigin.AGENT),
                    posted.message().text(), origin, Optional.of(posted.message().sentAt())));
        } else if (event instanceof VendorEvent.ConversationEnded) {
            agent.ended(); // Step 7 (end): the agent or the vendor ended the chat
        }
    }

    @Override
    public PersistedState save(VendorConversation conversation) {
        // The token is scoped to this conversation: fine to persist (rule 13).
        return new PersistedState(Map.of(CONVERSATION_ID, conversation.id(), CONVERSATION_TOKEN, conversation.token()));
    }

    @Override
    public Optional<VendorConversation> load(PersistedState state) {
        return state.get(CONVERSATION_ID).flatMap(id -> state.get(CONVERSATION_TOKEN).map(token -> new VendorConversation(id, token)));
    }

    private static boolean isAgent(VendorParticipant participant) {
        return participant.role() == Role.AGENT;
    }

    private static AgentProfile profile(VendorParticipant participant) {
        return new AgentProfile(participant.id(), participant.displayName().isBlank() ? "Agent" : participant.displayName(), participant.avatarUrl());
    }
}

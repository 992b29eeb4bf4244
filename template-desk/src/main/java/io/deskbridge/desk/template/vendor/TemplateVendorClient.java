package io.deskbridge.desk.template.vendor;

import io.deskbridge.spi.FileUpload;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the template vendor's client offers: the calls a real vendor SDK, or a REST client with an event socket,
 * makes. Every call is asynchronous and completes on the client's I/O threads; a failed call completes
 * exceptionally with {@link TemplateVendorException}. Implementations are thread-safe and shared by every chat:
 * they hold no thread per conversation.
 */
public interface TemplateVendorClient {

    /**
     * Creates a conversation and queues it for an agent (a {@code POST /conversations} at most vendors). Completes
     * when the vendor accepted it, not when an agent answered.
     */
    CompletionStage<VendorConversation> openConversation(OpenConversation request);

    /**
     * Opens the conversation's event stream (a WebSocket or long poll at most vendors). Events reach
     * {@code listener} one at a time in the vendor's order, on the client's I/O threads. When the stream drops the
     * client says so with {@link VendorEvent.ConnectionLost}, reconnects by itself, and sends
     * {@link VendorEvent.ConnectionRestored} once it is back; events of the gap are not replayed (fetch them with
     * {@link #fetchMessagesAfter}).
     */
    CompletionStage<VendorConnection> connect(VendorConversation conversation, VendorEventListener listener);

    /**
     * Posts a customer message. {@code clientMessageId} is the vendor's idempotency key: posting it again returns
     * the message already posted.
     *
     * @param attachmentIds ids returned by {@link #uploadAttachment}
     */
    CompletionStage<VendorMessage> sendMessage(VendorConversation conversation, String clientMessageId, String text,
            List<String> attachmentIds);

    /** Uploads a file for a later message and returns the vendor's id of the attachment. */
    CompletionStage<String> uploadAttachment(VendorConversation conversation, FileUpload file);

    /** Tells the agent that the customer is typing (vendors treat it as "typing now", with no "stopped"). */
    CompletionStage<Void> sendTyping(VendorConversation conversation);

    /** Tells the agent that the customer read every message so far. */
    CompletionStage<Void> markRead(VendorConversation conversation);

    /** Updates what the agent sees of the customer. */
    CompletionStage<Void> updateCustomer(VendorConversation conversation, CustomerDetails customer);

    /** Ends the conversation for the customer. Ending an ended conversation succeeds. */
    CompletionStage<Void> endConversation(VendorConversation conversation);

    /** Where the conversation is now: whether it ended, and which agent is in it. */
    CompletionStage<VendorConversationStatus> fetchConversation(VendorConversation conversation);

    /**
     * The conversation's messages after the one with id {@code afterMessageId} (all of them when empty), in the
     * vendor's order, the customer's own included.
     */
    CompletionStage<List<VendorMessage>> fetchMessagesAfter(VendorConversation conversation, Optional<String> afterMessageId);

    /** How many agents are logged in to serve {@code queue}. */
    CompletionStage<Integer> agentsOnline(String queue);
}

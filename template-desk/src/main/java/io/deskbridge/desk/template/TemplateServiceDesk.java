package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.VendorChat;
import io.deskbridge.desk.template.vendor.CustomerDetails;
import io.deskbridge.desk.template.vendor.OpenConversation;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorEvent;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One chat at the template vendor: the application's calls mapped onto the vendor's client ({@link TemplateVendorClient});
 * {@link TemplateConversation} maps the vendor's events back. The life of the chat (start, resume, end, sends once per
 * message, failures, persisted state, all on the chat's lane) is desk-support's {@link VendorChat}.
 */
final class TemplateServiceDesk implements ServiceDesk {

    /** Everything the contract offers. Drop what the vendor cannot do: what is declared must work (rule 14). */
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    private final TemplateSettings settings;
    private final TemplateVendorClient vendor;
    private final VendorChat<VendorConversation, VendorEvent> chat;
    private volatile ChatState state = ChatState.empty();

    TemplateServiceDesk(DeskContext context, ChatLane lane, TemplateSettings settings, TemplateVendorClient vendor) {
        this.settings = requireNonNull(settings, "settings is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.chat = new VendorChat<>(context, lane, settings.typingTimeout(), new TemplateConversation(vendor));
    }

    @Override
    public String name() {
        return "Template";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        // Step 3 (start) and step 14 (authentication): only a verified identity is vouched for, never the browser's.
        OpenConversation open = new OpenConversation(settings.queue(), customer(), options.verifiedUser().map(UserIdentity::id),
                request.routingAttributes());
        // The stream opens before anything can happen in the conversation; the bot's summary is the customer's first message.
        return chat.start(() -> vendor.openConversation(open), request.connectSummary(),
                (conversation, summary) -> vendor.sendMessage(conversation, VendorChat.SUMMARY_MESSAGE_ID, summary, List.of()));
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        return chat.resume(); // Step 13: the conversation in the persisted state, and what the user missed
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        return chat.end(); // Step 7 (end)
    }

    @Override
    public CompletionStage<Void> detach() {
        return chat.detach(); // Step 13: the conversation stays open at the vendor for another process to resume
    }

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        // Step 5 (send): files first, by the vendor's ids; the message id is the vendor's idempotency key.
        return chat.send(message, settings.files(), (conversation, sent) -> VendorChat.uploadInOrder(sent.files(),
                        file -> vendor.uploadAttachment(conversation, file))
                .thenCompose(ids -> vendor.sendMessage(conversation, sent.id(), sent.text(), ids)));
    }

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        return chat.filesSelected(uploads, settings.files()); // Step 5: refuse early what the vendor would refuse
    }

    @Override
    public CompletionStage<Void> updateState(ChatState newState) {
        // Step 9 (state): the agent sees the customer's name and language (before the chat opens: when it opens).
        state = requireNonNull(newState, "newState is null");
        return chat.whenOpen(conversation -> vendor.updateCustomer(conversation, customer()), "update the customer");
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        // Step 10 (typing): the vendor has no "stopped typing"; its indication lapses by itself.
        return isTyping ? chat.whenOpen(vendor::sendTyping, "send a typing indication") : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        return chat.whenOpen(vendor::markRead, "send a read receipt"); // Step 11 (read receipts)
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        // Step 15 (availability): a slow or failing vendor means UNKNOWN, not an error.
        return vendor.agentsOnline(settings.queue()).handle((count, failure) -> failure != null ? AgentsOnline.UNKNOWN
                : count > 0 ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE);
    }

    private CustomerDetails customer() {
        return new CustomerDetails(state.displayName(), state.locale());
    }
}

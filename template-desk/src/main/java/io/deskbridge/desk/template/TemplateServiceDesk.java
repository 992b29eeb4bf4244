package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.IdempotentSends;
import io.deskbridge.desk.template.vendor.CustomerDetails;
import io.deskbridge.desk.template.vendor.OpenConversation;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.TemplateVendorException;
import io.deskbridge.desk.template.vendor.VendorConnection;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat at the template vendor: the application's calls mapped onto the vendor's client
 * ({@link TemplateVendorClient}); {@link TemplateConversation} maps the vendor's events back. What is the same for every
 * vendor comes from desk-support: the chat's {@link ChatLane} (every state change and callback runs on it, so fields
 * need no locks and callbacks are never concurrent, rule 12), the {@link CallbackGate} (nothing after the end, rules 6
 * and 7) and {@link IdempotentSends} (rule 11).
 */
final class TemplateServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateServiceDesk.class);

    /** Everything the contract offers. Drop what the vendor cannot do: what is declared must work (rule 14). */
    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    /** Keys of the persisted state (rule 13): enough to find the conversation and the last message delivered. */
    static final String CONVERSATION_ID = "conversationId";
    static final String CONVERSATION_TOKEN = "conversationToken";
    static final String LAST_MESSAGE_ID = "lastMessageId";
    /** The client message id of the hand-over summary, the customer's first message. */
    static final String SUMMARY_MESSAGE_ID = "connect-summary";

    private static final String CANNOT_CONNECT = "We could not connect you to an agent. Please try again later.";

    private enum Phase { NEW, STARTING, OPEN, FINISHED }

    private final String chatId;
    private final Optional<PersistedState> persisted;
    private final TemplateSettings settings;
    private final TemplateVendorClient vendor;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final IdempotentSends sends = new IdempotentSends();
    private final CompletableFuture<VendorConversation> opened = new CompletableFuture<>();

    // Confined to the lane.
    private Phase phase = Phase.NEW;
    private Optional<VendorConversation> conversation = Optional.empty();
    private Optional<VendorConnection> connection = Optional.empty();
    private ChatState state = ChatState.empty();
    private Optional<TemplateConversation> events = Optional.empty();
    private CompletableFuture<Void> ending;
    private Optional<VendorConversation> unended = Optional.empty();

    TemplateServiceDesk(DeskContext context, TemplateSettings settings, TemplateVendorClient vendor, ChatLane lane) {
        this.chatId = context.chatId();
        this.persisted = context.persistedState();
        this.settings = requireNonNull(settings, "settings is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = new CallbackGate(chatId, context.callback(), lane);
    }

    @Override
    public String name() {
        return "Template";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // ---- Step 3 (start the chat) and step 13 (resume it)

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        return lane.call(done -> {
            begin();
            // Step 14 (authentication): only a verified identity is vouched for, from the server, never the browser.
            OpenConversation open = new OpenConversation(settings.queue(), customer(), options.verifiedUser().map(UserIdentity::id),
                    request.routingAttributes());
            lane.whenComplete(vendor.openConversation(open), (opening, failure) -> {
                if (failure != null) {
                    failStart(done, failure, "open a conversation", Optional.empty());
                    return;
                }
                LOG.info("chat={} opened conversation {} at the template vendor", chatId, opening.id());
                // Step 13: the stream opens before anything can happen in the conversation, then the bot's summary
                // reaches the agent as the customer's first message.
                attach(opening, Optional.empty(), done, () -> request.connectSummary()
                        .map(summary -> vendor.sendMessage(opening, SUMMARY_MESSAGE_ID, summary, List.of()).thenApply(posted -> (Void) null))
                        .orElse(CompletableFuture.completedFuture(null)), null, Optional.empty());
            });
        });
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        return lane.call(done -> {
            begin();
            Optional<String> id = persisted.flatMap(s -> s.get(CONVERSATION_ID));
            Optional<String> token = persisted.flatMap(s -> s.get(CONVERSATION_TOKEN));
            if (id.isEmpty() || token.isEmpty()) {
                finish();
                done.complete(false); // nothing to resume
                return;
            }
            VendorConversation resuming = new VendorConversation(id.get(), token.get());
            Optional<String> lastMessageId = persisted.flatMap(s -> s.get(LAST_MESSAGE_ID));
            // Step 13 (errors): is the conversation still going on? Then what did the user miss? Live events wait for
            // the history (rule 8: in order, once).
            attach(resuming, lastMessageId, done, () -> vendor.fetchConversation(resuming).thenCompose(status -> status.ended()
                    ? CompletableFuture.failedFuture(new TemplateVendorException(410, "conversation " + resuming.id() + " ended"))
                    : vendor.fetchMessagesAfter(resuming, lastMessageId).thenApply(missed -> {
                        lane.execute(() -> events.ifPresent(conversation -> conversation.caughtUp(status, missed)));
                        return (Void) null;
                    })), true, Optional.of(false));
        });
    }

    private void begin() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("chat " + chatId + " already started (rule 1: a new chat needs a new desk)");
        }
        phase = Phase.STARTING;
    }

    /**
     * Connects the event stream of {@code opening}, then runs {@code first}, and completes {@code done} with
     * {@code result}; {@code ifGone} is what a resumed chat that is over answers (empty when starting).
     */
    private <T> void attach(VendorConversation opening, Optional<String> lastMessageId, CompletableFuture<T> done,
            Supplier<CompletionStage<Void>> first, T result, Optional<T> ifGone) {
        conversation = Optional.of(opening);
        opened.complete(opening);
        TemplateConversation handler = new TemplateConversation(chatId, opening, lastMessageId, settings, vendor, lane, callback,
                () -> phase == Phase.OPEN, this::finish);
        events = Optional.of(handler);
        if (ifGone.isPresent()) {
            handler.hold();
        }
        if (phase == Phase.FINISHED) {
            endAtVendor(opening); // the user ended the chat while it opened
            done.complete(ifGone.orElse(null));
            return;
        }
        handler.persist(); // Rule 13: from now on the chat can be resumed.
        lane.whenComplete(vendor.connect(opening, event -> lane.execute(() -> handler.onEvent(event))), (stream, failure) -> {
            if (failure == null) {
                connection = Optional.of(stream);
            }
            if (failure != null || phase == Phase.FINISHED) {
                settle(done, failure, ifGone);
                return;
            }
            lane.whenComplete(first.get(), (ok, firstFailure) -> {
                if (firstFailure == null && phase != Phase.FINISHED) {
                    phase = Phase.OPEN;
                    done.complete(result);
                } else {
                    settle(done, firstFailure, ifGone);
                }
            });
        });
    }

    /** The start or resume did not open the chat: it failed, or the user ended the chat meanwhile. */
    private <T> void settle(CompletableFuture<T> done, Throwable failure, Optional<T> ifGone) {
        if (failure != null) {
            failStart(done, failure, "open the conversation", ifGone);
        } else {
            finish();
            done.complete(ifGone.orElse(null));
        }
    }

    private <T> void failStart(CompletableFuture<T> done, Throwable failure, String action, Optional<T> ifGone) {
        ServiceDeskException error = deskException(failure, action, CANNOT_CONNECT);
        LOG.warn("chat={} could not {}: {}", chatId, ifGone.isPresent() ? "resume" : "start", error.getMessage());
        opened.completeExceptionally(error);
        if (ifGone.isEmpty()) {
            conversation.ifPresent(this::endAtVendor);
            // Rule 2: before an agent joined, every failure is Connecting, and startChat fails.
            callback.setErrorStatus(new ErrorInfo.Connecting(error.messageToUser()));
        }
        finish();
        if (ifGone.isPresent() && error.kind() == Kind.VENDOR_REJECTED) {
            done.complete(ifGone.get()); // the resumed conversation is over (ended, expired, unknown to the vendor)
        } else {
            done.completeExceptionally(error);
        }
    }

    // ---- Step 7 (end the chat): the user's side

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        return lane.call(done -> {
            if (ending == null) {
                if (phase == Phase.STARTING || phase == Phase.OPEN) {
                    unended = conversation; // empty while still opening: the opening sees FINISHED and ends it
                }
                finish(); // Rule 7: from here on no callback is called
                LOG.info("chat={} ended by the user", chatId);
                ending = unended.map(c -> vendorCall(vendor.endConversation(c), "end the conversation")).orElse(CompletableFuture.completedFuture(null));
                ending.whenComplete((ok, failure) -> lane.execute(() -> {
                    if (failure == null) {
                        unended = Optional.empty();
                    } else {
                        ending = null; // a retry calls the vendor again
                    }
                }));
            }
            lane.relay(ending, done);
        });
    }

    private void endAtVendor(VendorConversation gone) {
        // Step 7 (end): a conversation the chat gave up on is ended at the vendor too, so no agent is left waiting.
        vendorCall(vendor.endConversation(gone), "end the conversation").exceptionally(failure -> {
            LOG.warn("chat={} could not end conversation {}: {}", chatId, gone.id(), failure.getMessage());
            return null;
        });
    }

    // ---- Step 5 (send messages and files)

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        return sends.send(message.id(), () -> lane.call(done -> {
            Optional<String> refused = message.files().stream().map(this::refusal).flatMap(Optional::stream).findFirst();
            if (phase == Phase.NEW || phase == Phase.FINISHED || refused.isPresent()) {
                String why = refused.orElse(phase == Phase.NEW ? "The chat has not started: call startChat before sending message " + message.id()
                        : "The chat has ended: message " + message.id() + " was not sent; start a new chat to reach an agent");
                failSend(message, done, new ServiceDeskException(Kind.VENDOR_REJECTED, why, refused.orElse(null), null));
                return;
            }
            // A message sent while the conversation is still opening waits for it; files go first, by the vendor's ids.
            // The client message id is the vendor's idempotency key. Rule 11: a failure also reports UserMessage.
            lane.whenComplete(opened.thenCompose(opening -> upload(opening, message.files())
                    .thenCompose(ids -> vendor.sendMessage(opening, message.id(), message.text(), ids))), (posted, failure) -> {
                        if (failure != null) {
                            failSend(message, done, deskException(failure, "send message " + message.id(), "Your message could not be delivered."));
                        } else {
                            done.complete(null);
                        }
                    });
        }));
    }

    private CompletableFuture<List<String>> upload(VendorConversation opening, List<FileUpload> files) {
        CompletableFuture<List<String>> ids = CompletableFuture.completedFuture(new ArrayList<>());
        for (FileUpload file : files) {
            ids = ids.thenCompose(done -> vendor.uploadAttachment(opening, file).thenApply(id -> {
                done.add(id);
                return done;
            }));
        }
        return ids;
    }

    private void failSend(UserMessage message, CompletableFuture<Void> done, ServiceDeskException error) {
        LOG.warn("chat={} message {} failed: {}", chatId, message.id(), error.getMessage());
        callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(error.getMessage())));
        done.completeExceptionally(error);
    }

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        List<FileUpload> files = List.copyOf(requireNonNull(uploads, "uploads is null"));
        // Step 5 (send): refuse early what the vendor would refuse; the files travel with the message.
        return lane.call(done -> {
            files.forEach(file -> refusal(file).ifPresent(reason -> callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason))));
            done.complete(null);
        });
    }

    private Optional<String> refusal(FileUpload file) {
        if (!settings.allowedFileTypes().contains(file.extension())) {
            return Optional.of(file.fileName() + " cannot be sent: only " + String.join(", ", new TreeSet<>(settings.allowedFileTypes()))
                    + " files are accepted");
        }
        return file.sizeBytes() > settings.maxFileSize()
                ? Optional.of(file.fileName() + " cannot be sent: it is larger than " + settings.maxFileSize() + " bytes")
                : Optional.empty();
    }

    // ---- Steps 9 (state), 10 (typing), 11 (read receipts), 15 (availability)

    @Override
    public CompletionStage<Void> updateState(ChatState newState) {
        requireNonNull(newState, "newState is null");
        // Step 9 (state): the agent sees the customer's name and language (before the chat opens: when it opens).
        return whenOpen(true, () -> state = newState, c -> vendor.updateCustomer(c, customer()), "update the customer");
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        // Step 10 (typing): the vendor has no "stopped typing"; its indication lapses by itself.
        return whenOpen(isTyping, () -> { }, vendor::sendTyping, "send a typing indication");
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        return whenOpen(true, () -> { }, vendor::markRead, "send a read receipt");
    }

    /** Runs {@code update} on the lane, then, if {@code call} and the chat is open, the vendor call. */
    private CompletionStage<Void> whenOpen(boolean call, Runnable update, Function<VendorConversation, CompletionStage<Void>> request,
            String action) {
        return lane.call(done -> {
            update.run();
            if (!call || conversation.isEmpty() || phase == Phase.FINISHED) {
                done.complete(null);
            } else {
                lane.relay(vendorCall(request.apply(conversation.get()), action), done);
            }
        });
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        // Step 15 (availability): a slow or failing vendor means UNKNOWN, not an error.
        return vendor.agentsOnline(settings.queue()).handle((count, failure) -> failure != null ? AgentsOnline.UNKNOWN
                : count > 0 ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE);
    }

    // ---- Plumbing

    /** The chat is over for this desk: no callback, no timer, no stream. */
    private void finish() {
        phase = Phase.FINISHED;
        callback.close();
        events.ifPresent(TemplateConversation::close);
        connection.ifPresent(VendorConnection::close);
        connection = Optional.empty();
    }

    private CustomerDetails customer() {
        return new CustomerDetails(state.displayName(), state.locale());
    }

    /** A vendor call whose failure becomes a {@link ServiceDeskException}, completing on the lane. */
    private CompletableFuture<Void> vendorCall(CompletionStage<Void> call, String action) {
        return lane.onLane(call.handle((ok, failure) -> {
            if (failure != null) {
                throw deskException(CompletionFailures.unwrap(failure), action, null);
            }
            return ok;
        }));
    }

    /** Step 13 (errors): a failure as deskbridge's one exception family, of the kind that says who can fix it. */
    private static ServiceDeskException deskException(Throwable cause, String action, String messageToUser) {
        if (cause instanceof ServiceDeskException desk) {
            return desk;
        }
        return cause instanceof TemplateVendorException failure ? failure.toServiceDeskException(action, messageToUser)
                : new ServiceDeskException(Kind.INTERNAL, "Could not " + action + ": " + cause, messageToUser, cause);
    }
}

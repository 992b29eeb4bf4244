package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.SerialExecutor;
import io.deskbridge.desk.template.vendor.CustomerDetails;
import io.deskbridge.desk.template.vendor.OpenConversation;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.TemplateVendorException;
import io.deskbridge.desk.template.vendor.VendorConnection;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorConversationStatus;
import io.deskbridge.desk.template.vendor.VendorEvent;
import io.deskbridge.desk.template.vendor.VendorMessage;
import io.deskbridge.desk.template.vendor.VendorParticipant;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat at the template vendor: maps the contract ({@link ServiceDesk}, {@link ServiceDeskCallback}) onto the
 * vendor's client ({@link TemplateVendorClient}).
 *
 * <p><b>Threads.</b> Every state change and every callback runs on {@link #chat}, a {@link SerialExecutor} over the
 * shared worker pool: the vendor's events, the completions of vendor calls and the typing timer all hop onto it. So
 * callbacks are never concurrent and never run inside the application's call (rule 12), and the fields below need no
 * locks. Timers use the shared scheduler; the desk owns no thread.
 */
final class TemplateServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateServiceDesk.class);

    /** Everything the contract offers. Drop what the vendor cannot do: what is declared must work (rule 14). */
    static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.allOf(Capability.class));

    /** Keys of the persisted state (rule 13): enough to find the conversation and the last message delivered. */
    static final String CONVERSATION_ID = "conversationId";
    static final String CONVERSATION_TOKEN = "conversationToken";
    static final String LAST_MESSAGE_ID = "lastMessageId";

    /** The client message id of the hand-over summary, the customer's first message. */
    static final String SUMMARY_MESSAGE_ID = "connect-summary";

    private static final String CANNOT_CONNECT = "We could not connect you to an agent. Please try again later.";
    private static final int REMEMBERED_MESSAGE_IDS = 1000;
    private static final long CATCH_UP_RETRY_MILLIS = 1000;

    private enum Phase { NEW, STARTING, OPEN, FINISHED }

    private final String chatId;
    private final ServiceDeskCallback callback;
    private final Optional<PersistedState> persisted;
    private final TemplateSettings settings;
    private final TemplateVendorClient vendor;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor chat;

    // Confined to `chat`.
    private Phase phase = Phase.NEW;
    private Optional<VendorConversation> conversation = Optional.empty();
    private final CompletableFuture<VendorConversation> opened = new CompletableFuture<>();
    private VendorConnection connection;
    private ChatState state = ChatState.empty();
    private Optional<VendorParticipant> agent = Optional.empty();
    private boolean anyAgentJoined;
    private boolean agentTyping;
    private ScheduledFuture<?> typingTimer;
    private long typingGeneration;
    private boolean disconnected;
    private boolean reportedDisconnected;
    private boolean catchingUp;
    private long catchUpRound;
    private final Queue<VendorEvent> heldDuringCatchUp = new ArrayDeque<>();
    private Optional<String> lastMessageId = Optional.empty();
    private final Set<String> deliveredMessageIds = new LinkedHashSet<>();
    private final Map<String, CompletableFuture<Void>> sends = new HashMap<>();
    private PersistedState lastPersisted = PersistedState.empty();
    private CompletableFuture<Void> ending;

    TemplateServiceDesk(DeskContext context, TemplateSettings settings, TemplateVendorClient vendor, ExecutorService workers,
            ScheduledExecutorService scheduler) {
        this.chatId = context.chatId();
        this.callback = context.callback();
        this.persisted = context.persistedState();
        this.settings = requireNonNull(settings, "settings is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.chat = SerialExecutor.forChat(chatId, requireNonNull(workers, "workers is null"));
    }

    @Override
    public String name() {
        return "Template";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    // ---- Step 3 (start the chat)

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (phase != Phase.NEW) {
                done.completeExceptionally(new IllegalStateException("chat " + chatId + " already started (rule 1: a new chat needs a new desk)"));
                return;
            }
            phase = Phase.STARTING;
            OpenConversation open = new OpenConversation(settings.queue(), customer(),
                    options.verifiedUser().map(UserIdentity::id), request.routingAttributes());
            // Step 3 (start): open the conversation at the vendor and queue it. Rule 2: failures here are Connecting.
            // Step 14 (authentication): only a verified identity is vouched for, from the server, never the browser.
            onChat(vendor.openConversation(open), (opening, failure) -> {
                if (failure != null) {
                    failStart(done, failure, "open a conversation");
                    return;
                }
                conversation = Optional.of(opening);
                opened.complete(opening);
                LOG.info("chat={} opened conversation {} at the template vendor", chatId, opening.id());
                if (phase == Phase.FINISHED) {
                    endAtVendor(opening); // the user ended the chat while it opened
                    done.complete(null);
                    return;
                }
                persist(); // Rule 13: from now on the chat can be resumed.
                // Step 3 (start): open the event stream before anything can happen in the conversation.
                onChat(vendor.connect(opening, this::onVendorEvent), (stream, streamFailure) -> {
                    if (streamFailure != null) {
                        endAtVendor(opening);
                        failStart(done, streamFailure, "open the conversation's event stream");
                        return;
                    }
                    if (phase == Phase.FINISHED) {
                        stream.close();
                        done.complete(null);
                        return;
                    }
                    connection = stream;
                    Optional<String> summary = request.connectSummary();
                    if (summary.isEmpty()) {
                        opened(done);
                        return;
                    }
                    // Step 3 (start): the bot's hand-over summary reaches the agent as the customer's first message.
                    onChat(vendor.sendMessage(opening, SUMMARY_MESSAGE_ID, summary.get(), List.of()), (posted, sendFailure) -> {
                        if (sendFailure != null) {
                            endAtVendor(opening);
                            failStart(done, sendFailure, "send the hand-over summary");
                        } else {
                            opened(done);
                        }
                    });
                });
            });
        });
        return done;
    }

    private void opened(CompletableFuture<Void> done) {
        if (phase == Phase.STARTING) {
            phase = Phase.OPEN;
        }
        done.complete(null);
    }

    private void failStart(CompletableFuture<Void> done, Throwable failure, String action) {
        ServiceDeskException error = deskException(failure, action, CANNOT_CONNECT);
        LOG.warn("chat={} could not start: {}", chatId, error.getMessage());
        if (!opened.isDone()) {
            opened.completeExceptionally(error);
        }
        if (phase != Phase.FINISHED) {
            release();
            phase = Phase.FINISHED;
            // Rule 2: before an agent joined, every failure is Connecting, and startChat fails.
            callback.setErrorStatus(new ErrorInfo.Connecting(error.messageToUser()));
        }
        done.completeExceptionally(error);
    }

    // ---- Step 7 (end the chat): the user's side

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (ending != null) {
                forward(ending, done); // idempotent: one vendor call, however often the user ends
                return;
            }
            boolean wasOpen = phase == Phase.STARTING || phase == Phase.OPEN;
            Phase before = phase;
            phase = Phase.FINISHED; // Rule 7: from here on no callback is called
            release();
            if (!wasOpen || conversation.isEmpty()) {
                // Never started, already over, or still opening (the opening sees FINISHED and ends it).
                LOG.debug("chat={} ended by the user in phase {}", chatId, before);
                done.complete(null);
                return;
            }
            ending = new CompletableFuture<>();
            // Step 7 (end): end the conversation at the vendor. Failing to do so fails endChat; a retry calls again.
            onChat(vendor.endConversation(conversation.get()), (ignored, failure) -> {
                CompletableFuture<Void> current = ending;
                if (failure != null) {
                    ending = null;
                    current.completeExceptionally(deskException(failure, "end the conversation", null));
                    conversation.ifPresent(c -> LOG.warn("chat={} could not end conversation {}: {}", chatId, c.id(), failure.getMessage()));
                } else {
                    LOG.info("chat={} ended by the user", chatId);
                    current.complete(null);
                }
            });
            forward(ending, done);
        });
        return done;
    }

    private void endAtVendor(VendorConversation opening) {
        // Step 7 (end): a conversation the chat gave up on is ended at the vendor too, so no agent is left waiting.
        vendor.endConversation(opening).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warn("chat={} could not end conversation {}: {}", chatId, opening.id(), CompletionFailures.unwrap(failure).getMessage());
            }
        });
    }

    // ---- Step 5 (send messages)

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            CompletableFuture<Void> earlier = sends.get(message.id());
            if (earlier != null) {
                forward(earlier, done); // idempotent per message id: a retry never posts twice
                return;
            }
            if (phase == Phase.FINISHED) {
                done.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The chat has ended: message " + message.id() + " was not sent; start a new chat to reach an agent"));
                return;
            }
            if (phase == Phase.NEW) {
                failSend(message, done, new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                        "The chat has not started: call startChat before sending message " + message.id()));
                return;
            }
            Optional<String> refused = message.files().stream().map(this::refusal).flatMap(Optional::stream).findFirst();
            if (refused.isPresent()) {
                failSend(message, done, new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, refused.get(), refused.get(), null));
                return;
            }
            sends.put(message.id(), done);
            // A message sent while the conversation is still opening waits for it.
            onChat(opened, (opening, openFailure) -> {
                if (openFailure != null) {
                    sendFailed(message, done, openFailure);
                    return;
                }
                uploadAll(opening, message.files(), new ArrayList<>(), (attachmentIds, uploadFailure) -> {
                    if (uploadFailure != null) {
                        sendFailed(message, done, uploadFailure);
                        return;
                    }
                    // Step 5 (send): post the message; the client message id is the vendor's idempotency key.
                    // Rule 11: a failure completes the stage exceptionally and reports UserMessage.
                    onChat(vendor.sendMessage(opening, message.id(), message.text(), attachmentIds), (posted, failure) -> {
                        if (failure != null) {
                            sendFailed(message, done, failure);
                        } else {
                            LOG.debug("chat={} message {} posted as {}", chatId, message.id(), posted.id());
                            done.complete(null);
                        }
                    });
                });
            });
        });
        return done;
    }

    private void uploadAll(VendorConversation opening, List<FileUpload> files, List<String> ids, BiConsumer<List<String>, Throwable> next) {
        if (ids.size() == files.size()) {
            next.accept(List.copyOf(ids), null);
            return;
        }
        // Step 5 (send): files go to the vendor first; the message refers to them by the vendor's ids.
        onChat(vendor.uploadAttachment(opening, files.get(ids.size())), (id, failure) -> {
            if (failure != null) {
                next.accept(null, failure);
            } else {
                ids.add(id);
                uploadAll(opening, files, ids, next);
            }
        });
    }

    private void sendFailed(UserMessage message, CompletableFuture<Void> done, Throwable failure) {
        sends.remove(message.id()); // a failed message may be retried
        failSend(message, done, deskException(failure, "send message " + message.id(), "Your message could not be delivered."));
    }

    private void failSend(UserMessage message, CompletableFuture<Void> done, ServiceDeskException error) {
        LOG.warn("chat={} message {} failed: {}", chatId, message.id(), error.getMessage());
        if (phase != Phase.FINISHED) {
            callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(error.getMessage())));
        }
        done.completeExceptionally(error);
    }

    // ---- Step 9 (state), Step 10 (typing), Step 11 (read receipts)

    @Override
    public CompletionStage<Void> updateState(ChatState newState) {
        requireNonNull(newState, "newState is null");
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            state = newState;
            if (conversation.isEmpty() || phase == Phase.FINISHED) {
                done.complete(null); // used when the conversation opens
                return;
            }
            // Step 9 (state): the agent sees the customer's name and language.
            forward(vendorCall(vendor.updateCustomer(conversation.get(), customer()), "update the customer"), done);
        });
        return done;
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (!isTyping || conversation.isEmpty() || phase != Phase.OPEN) {
                // The vendor has no "stopped typing": its indication lapses by itself.
                done.complete(null);
                return;
            }
            // Step 10 (typing): the customer's typing reaches the agent.
            forward(vendorCall(vendor.sendTyping(conversation.get()), "send a typing indication"), done);
        });
        return done;
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (conversation.isEmpty() || phase != Phase.OPEN) {
                done.complete(null);
                return;
            }
            // Step 11 (read receipts): the customer read everything so far.
            forward(vendorCall(vendor.markRead(conversation.get()), "send a read receipt"), done);
        });
        return done;
    }

    // ---- Step 15 (availability)

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        // Step 15 (availability): ask the vendor about the queue; a slow or failing vendor means UNKNOWN, not an error.
        return vendor.agentsOnline(settings.queue()).handle((count, failure) -> {
            if (failure != null) {
                LOG.warn("chat={} could not ask the template vendor for agents: {}", chatId, CompletionFailures.unwrap(failure).getMessage());
                return AgentsOnline.UNKNOWN;
            }
            return count > 0 ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE;
        });
    }

    // ---- Step 5 (send): files

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        List<FileUpload> files = List.copyOf(requireNonNull(uploads, "uploads is null"));
        CompletableFuture<Void> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (phase != Phase.FINISHED) {
                for (FileUpload file : files) {
                    // Step 5 (send): refuse early what the vendor would refuse; the files travel with the message.
                    refusal(file).ifPresent(reason -> callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason)));
                }
            }
            done.complete(null);
        });
        return done;
    }

    private Optional<String> refusal(FileUpload file) {
        if (!settings.allowedFileTypes().contains(file.extension())) {
            return Optional.of(file.fileName() + " cannot be sent: only " + String.join(", ", new java.util.TreeSet<>(settings.allowedFileTypes()))
                    + " files are accepted");
        }
        if (file.sizeBytes() > settings.maxFileSize()) {
            return Optional.of(file.fileName() + " cannot be sent: it is larger than " + settings.maxFileSize() + " bytes");
        }
        return Optional.empty();
    }

    // ---- Step 13 (errors): resuming a chat from persisted state

    @Override
    public CompletionStage<Boolean> reconnect() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        chat.execute(() -> {
            if (phase != Phase.NEW) {
                done.completeExceptionally(new IllegalStateException("chat " + chatId + " already started (rule 1: a new chat needs a new desk)"));
                return;
            }
            Optional<String> id = persisted.flatMap(s -> s.get(CONVERSATION_ID));
            Optional<String> token = persisted.flatMap(s -> s.get(CONVERSATION_TOKEN));
            if (id.isEmpty() || token.isEmpty()) {
                phase = Phase.FINISHED;
                done.complete(false); // nothing to resume
                return;
            }
            phase = Phase.STARTING;
            VendorConversation resuming = new VendorConversation(id.get(), token.get());
            lastMessageId = persisted.flatMap(s -> s.get(LAST_MESSAGE_ID));
            lastMessageId.ifPresent(deliveredMessageIds::add);
            // Step 13 (errors): ask the vendor whether the conversation is still going on.
            onChat(vendor.fetchConversation(resuming), (status, failure) -> {
                if (failure != null || status.ended()) {
                    resumeFailed(done, resuming, failure);
                    return;
                }
                if (phase == Phase.FINISHED) {
                    endAtVendor(resuming); // the user ended the chat while it resumed
                    done.complete(false);
                    return;
                }
                conversation = Optional.of(resuming);
                opened.complete(resuming);
                catchingUp = true; // hold live events until the history is delivered (rule 8: in order, once)
                long round = ++catchUpRound;
                // Step 13 (errors): open the event stream again, then fetch what the user missed.
                onChat(vendor.connect(resuming, this::onVendorEvent), (stream, streamFailure) -> {
                    if (streamFailure != null) {
                        resumeFailed(done, resuming, streamFailure);
                        return;
                    }
                    if (phase == Phase.FINISHED) {
                        stream.close();
                        done.complete(false);
                        return;
                    }
                    connection = stream;
                    // The application of a resumed chat learns who the agent is again.
                    status.agent().ifPresent(this::agentJoined);
                    onChat(vendor.fetchMessagesAfter(resuming, lastMessageId), (missed, fetchFailure) -> {
                        if (fetchFailure != null) {
                            resumeFailed(done, resuming, fetchFailure);
                            return;
                        }
                        if (phase == Phase.FINISHED) {
                            done.complete(false);
                            return;
                        }
                        phase = Phase.OPEN;
                        if (round == catchUpRound) { // otherwise a newer catch-up (the stream dropped meanwhile) delivers
                            missed.forEach(this::deliver);
                            persist();
                            releaseHeldEvents();
                        }
                        LOG.info("chat={} resumed conversation {} ({} messages caught up)", chatId, resuming.id(), missed.size());
                        done.complete(true);
                    });
                });
            });
        });
        return done;
    }

    private void resumeFailed(CompletableFuture<Boolean> done, VendorConversation resuming, Throwable failure) {
        release();
        phase = Phase.FINISHED;
        Throwable cause = CompletionFailures.unwrap(failure);
        if (!opened.isDone()) {
            opened.completeExceptionally(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "Conversation " + resuming.id() + " could not be resumed"));
        }
        if (cause == null || (cause instanceof TemplateVendorException v && (v.isRejection() || v.status() == 410))) {
            LOG.info("chat={} conversation {} is over and cannot be resumed", chatId, resuming.id());
            done.complete(false); // gone: ended, expired or unknown to the vendor
        } else {
            done.completeExceptionally(deskException(cause, "resume conversation " + resuming.id(), null));
        }
    }

    // ---- Steps 4, 6, 7, 8, 10, 11, 12, 13: the vendor's events

    /** Called on the vendor client's I/O thread: hop onto the chat's executor and do nothing else there. */
    private void onVendorEvent(VendorEvent event) {
        chat.execute(() -> handle(event));
    }

    private void handle(VendorEvent event) {
        if (phase == Phase.FINISHED) {
            return; // Rules 6 and 7: nothing after the end
        }
        if (catchingUp && !(event instanceof VendorEvent.ConnectionLost) && !(event instanceof VendorEvent.ConnectionRestored)) {
            heldDuringCatchUp.add(event);
            return;
        }
        if (event instanceof VendorEvent.QueueUpdated queue) {
            if (agent.isEmpty()) {
                // Step 15 (availability): queue position and wait while the user waits.
                callback.updateAgentAvailability(new AgentAvailability(queue.position(), queue.estimatedWait(), Optional.empty()));
            }
        } else if (event instanceof VendorEvent.ParticipantJoined joined) {
            if (joined.participant().role() == VendorParticipant.Role.AGENT) {
                agentJoined(joined.participant());
            }
        } else if (event instanceof VendorEvent.TransferStarted transfer) {
            if (!anyAgentJoined) {
                LOG.warn("chat={} ignored a transfer before any agent joined (rule 4)", chatId);
                return;
            }
            stopTyping();
            // Step 8 (transfer): the agent hands the chat on; agentJoined follows for the new agent.
            callback.beginTransferToAnotherAgent(transfer.to().map(TemplateServiceDesk::profile));
        } else if (event instanceof VendorEvent.ParticipantLeft left) {
            VendorParticipant leaving = left.participant();
            if (leaving.role() == VendorParticipant.Role.AGENT && agent.isPresent() && agent.get().id().equals(leaving.id())) {
                stopTyping();
                agent = Optional.empty();
                // Step 8 (transfer): the agent left; rule 5: the chat goes on.
                callback.agentLeftChat();
            }
        } else if (event instanceof VendorEvent.Typing typing) {
            // Rule 9: the vendor echoes the customer's own typing; only the agent's is the agent's.
            if (typing.participant().role() == VendorParticipant.Role.AGENT) {
                agentIsTyping();
            }
        } else if (event instanceof VendorEvent.Read read) {
            if (read.participant().role() == VendorParticipant.Role.AGENT) {
                // Step 11 (read receipts): the agent read the customer's messages.
                callback.agentReadMessages();
            }
        } else if (event instanceof VendorEvent.MessagePosted posted) {
            deliver(posted.message());
        } else if (event instanceof VendorEvent.ConversationEnded) {
            endedByAgent();
        } else if (event instanceof VendorEvent.ConnectionLost lost) {
            connectionLost(lost.reason());
        } else if (event instanceof VendorEvent.ConnectionRestored) {
            catchUp();
        }
    }

    private void agentJoined(VendorParticipant participant) {
        if (agent.isPresent() && agent.get().id().equals(participant.id())) {
            return; // Rule 3: once per agent (vendors repeat joins, for example after a reconnect)
        }
        stopTyping();
        agent = Optional.of(participant);
        anyAgentJoined = true;
        LOG.info("chat={} agent {} joined", chatId, participant.id());
        // Step 4 (join): the first agent ends the wait; a later one completes a transfer.
        // Step 12 (nickname and avatar): the vendor's display name and picture become the AgentProfile.
        callback.agentJoined(profile(participant));
    }

    private static AgentProfile profile(VendorParticipant participant) {
        String nickname = participant.displayName().isBlank() ? "Agent" : participant.displayName();
        return new AgentProfile(participant.id(), nickname, participant.avatarUrl());
    }

    /** Step 6 (receive): one vendor message to the user, exactly once and in order (rule 8). */
    private void deliver(VendorMessage message) {
        VendorParticipant sender = message.sender();
        if (sender.role() == VendorParticipant.Role.CUSTOMER) {
            return; // the vendor echoes the customer's own messages
        }
        if (!deliveredMessageIds.add(message.id())) {
            return; // already delivered (seen live and again in a catch-up)
        }
        if (deliveredMessageIds.size() > REMEMBERED_MESSAGE_IDS) {
            Iterator<String> oldest = deliveredMessageIds.iterator();
            oldest.next();
            oldest.remove();
        }
        stopTyping(); // Rule 9: typing ends before the agent's message
        MessageOrigin origin = switch (sender.role()) {
            case AGENT -> MessageOrigin.AGENT;
            case BOT -> MessageOrigin.BOT;
            default -> MessageOrigin.SYSTEM;
        };
        Optional<String> agentId = origin == MessageOrigin.AGENT ? Optional.of(sender.id()) : Optional.empty();
        callback.sendMessageToUser(new AgentMessage(message.id(), agentId, message.text(), origin, Optional.of(message.sentAt())));
        lastMessageId = Optional.of(message.id());
        persist(); // Rule 13: a resumed chat fetches what came after this message
    }

    private void agentIsTyping() {
        if (!agentTyping) {
            agentTyping = true;
            // Step 10 (typing): the agent is typing.
            callback.agentTyping(true);
        }
        // Rule 9: the vendor sends no "stopped typing"; the indication lapses after the typing timeout.
        if (typingTimer != null) {
            typingTimer.cancel(false);
        }
        long generation = ++typingGeneration;
        typingTimer = scheduler.schedule(() -> chat.execute(() -> {
            if (generation == typingGeneration && phase != Phase.FINISHED) {
                stopTyping();
            }
        }), settings.typingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopTyping() {
        cancelTypingTimer();
        if (agentTyping) {
            agentTyping = false;
            callback.agentTyping(false);
        }
    }

    private void cancelTypingTimer() {
        typingGeneration++;
        if (typingTimer != null) {
            typingTimer.cancel(false);
            typingTimer = null;
        }
    }

    /** Step 7 (end): the agent or the vendor ended the chat. Rule 6: the last callback. */
    private void endedByAgent() {
        stopTyping();
        phase = Phase.FINISHED;
        release();
        LOG.info("chat={} ended by the agent", chatId);
        callback.agentEndedChat();
    }

    /** Step 13 (errors): rule 10, the stream dropped; the client reconnects by itself. */
    private void connectionLost(String reason) {
        if (disconnected) {
            return;
        }
        disconnected = true;
        LOG.warn("chat={} lost the template vendor's event stream: {}", chatId, reason);
        if (phase == Phase.OPEN) {
            stopTyping();
            reportedDisconnected = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    /**
     * Step 13 (errors): rule 10, the stream is back. Events of the gap were lost, so fetch the conversation's state
     * and the messages after the last one delivered, deliver what was missed (rule 8 drops what was not), and only
     * then the live events that arrived meanwhile.
     */
    private void catchUp() {
        if (conversation.isEmpty()) {
            return;
        }
        VendorConversation current = conversation.get();
        catchingUp = true;
        long round = ++catchUpRound;
        // Step 13 (errors): rules 8 and 10, the vendor's history fills the gap the stream left.
        onChat(vendor.fetchConversation(current), (status, failure) -> {
            if (phase == Phase.FINISHED || round != catchUpRound) {
                return;
            }
            if (failure != null) {
                retryCatchUp(round, failure);
                return;
            }
            onChat(vendor.fetchMessagesAfter(current, lastMessageId), (missed, fetchFailure) -> {
                if (phase == Phase.FINISHED || round != catchUpRound) {
                    return;
                }
                if (fetchFailure != null) {
                    retryCatchUp(round, fetchFailure);
                    return;
                }
                caughtUp(status, missed);
            });
        });
    }

    private void caughtUp(VendorConversationStatus status, List<VendorMessage> missed) {
        if (status.agent().isPresent()) {
            agentJoined(status.agent().get());
        } else if (agent.isPresent() && !status.ended()) {
            stopTyping();
            agent = Optional.empty();
            callback.agentLeftChat();
        }
        missed.forEach(this::deliver);
        catchingUp = false;
        disconnected = false;
        LOG.info("chat={} event stream restored ({} messages caught up)", chatId, missed.size());
        if (reportedDisconnected) {
            reportedDisconnected = false;
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        }
        if (status.ended()) {
            endedByAgent();
            return;
        }
        releaseHeldEvents();
    }

    private void retryCatchUp(long round, Throwable failure) {
        LOG.warn("chat={} could not catch up with the template vendor, retrying: {}", chatId, CompletionFailures.unwrap(failure).getMessage());
        scheduler.schedule(() -> chat.execute(() -> {
            if (phase != Phase.FINISHED && round == catchUpRound) {
                catchUp();
            }
        }), CATCH_UP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void releaseHeldEvents() {
        catchingUp = false;
        while (!heldDuringCatchUp.isEmpty() && !catchingUp && phase != Phase.FINISHED) {
            handle(heldDuringCatchUp.poll());
        }
    }

    // ---- Plumbing

    /** Rule 13: tells the application what a new desk needs to resume this chat, when it changed. */
    private void persist() {
        if (conversation.isEmpty() || phase == Phase.FINISHED) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(CONVERSATION_ID, conversation.get().id());
        values.put(CONVERSATION_TOKEN, conversation.get().token()); // scoped to this conversation: fine to persist
        lastMessageId.ifPresent(id -> values.put(LAST_MESSAGE_ID, id));
        PersistedState next = new PersistedState(values);
        if (!next.equals(lastPersisted)) {
            lastPersisted = next;
            callback.updatePersistedState(next);
        }
    }

    /** Stops everything the chat holds (stream, timers) without a callback. */
    private void release() {
        cancelTypingTimer();
        agentTyping = false;
        heldDuringCatchUp.clear();
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private CustomerDetails customer() {
        return new CustomerDetails(state.displayName(), state.locale());
    }

    /** Runs {@code then} on the chat's executor once {@code stage} completed, whatever thread completed it. */
    private <T> void onChat(CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        stage.whenComplete((value, failure) -> chat.execute(() -> then.accept(value, CompletionFailures.unwrap(failure))));
    }

    /** A vendor call whose failure becomes a {@link ServiceDeskException}. */
    private CompletableFuture<Void> vendorCall(CompletionStage<Void> call, String action) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onChat(call, (ignored, failure) -> {
            if (failure != null) {
                result.completeExceptionally(deskException(failure, action, null));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    private void forward(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(CompletionFailures.unwrap(failure));
            } else {
                to.complete(value);
            }
        });
    }

    /** Step 13 (errors): the vendor's failure as deskbridge's one exception family, of the kind that says who can fix it. */
    private ServiceDeskException deskException(Throwable failure, String action, String messageToUser) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof ServiceDeskException desk) {
            return desk;
        }
        if (cause instanceof TemplateVendorException vendorFailure) {
            boolean rejected = vendorFailure.isRejection();
            String status = vendorFailure.status() == 0 ? "unreachable" : "HTTP " + vendorFailure.status();
            return new ServiceDeskException(rejected ? ServiceDeskException.Kind.VENDOR_REJECTED : ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                    "The template vendor " + (rejected ? "refused to " : "failed to ") + action + " (" + status + "): "
                            + vendorFailure.getMessage() + (rejected ? "" : "; try again later"),
                    messageToUser, vendorFailure);
        }
        return new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "Could not " + action + ": " + cause, messageToUser, cause);
    }

}

package io.deskbridge.testkit.reference;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.SerialExecutor;
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
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.core.Secret;
import io.deskbridge.testkit.ReceivedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The reference desk: every call and every vendor event is handled on one per-chat strand (a {@link SerialExecutor}
 * over the shared scheduler), so callbacks are serial, never made inside the application's call, and nothing is
 * called once the chat is over.
 */
final class ReferenceServiceDesk implements ServiceDesk, FakeContactCenter.Listener {
    static final long MAX_FILE_BYTES = 1_000_000;

    private final FakeContactCenter vendor;
    private final ScheduledExecutorService scheduler;
    private final TypingIndicator typing;
    private final Set<Capability> capabilities;
    private final Defect defect;
    private final ServiceDeskCallback callback;
    private final Optional<PersistedState> persisted;
    private final SerialExecutor strand;
    private final Optional<Secret> passphrase;
    private final List<FakeContactCenter.Event> batch = new ArrayList<>();

    // Confined to the strand.
    private FakeContactCenter.Chat chat;
    private Runnable unsubscribe = () -> {};
    private final Set<String> sentMessageIds = new HashSet<>();
    private long lastSeq;
    private boolean started;
    private boolean over;
    private boolean endedByUser;
    private boolean detached;
    private boolean disconnected;
    private boolean joined;
    private long lastMessageSeq;
    private final List<String> deliveredIds = new ArrayList<>();
    private Optional<String> userName = Optional.empty();
    private Optional<String> userLocale = Optional.empty();

    ReferenceServiceDesk(FakeContactCenter vendor, ScheduledExecutorService scheduler, Duration typingTimeout,
            Set<Capability> capabilities, Defect defect, Optional<Secret> passphrase, DeskContext context) {
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.capabilities = Set.copyOf(capabilities);
        this.defect = requireNonNull(defect, "defect is null");
        this.callback = context.callback();
        this.persisted = context.persistedState();
        this.strand = new SerialExecutor(scheduler);
        this.typing = new TypingIndicator(scheduler, strand, typingTimeout, callback, () -> over);
        this.passphrase = requireNonNull(passphrase, "passphrase is null");
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    private boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    /** Runs {@code work} on the strand; its stage completes there. */
    private <T> CompletionStage<T> onStrand(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        strand.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- the application's calls ----

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        return onStrand(() -> {
            if (started) {
                throw new IllegalStateException("this desk already started a chat; create a new desk for a new chat");
            }
            started = true;
            try {
                chat = vendor.open(request.connectSummary());
            } catch (FakeContactCenter.Refused e) {
                over = true;
                callback.setErrorStatus(ErrorInfo.Connecting.of("No agent can take the chat right now."));
                throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Cannot start the chat: " + e.getMessage());
            }
            if (defect != Defect.IGNORES_UPDATE_STATE) {
                chat.updateUser(userName, userLocale);
            }
            callback.updateAgentAvailability(AgentAvailability.connecting());
            persist();
            unsubscribe = chat.subscribe(this, 0);
            if (defect == Defect.KEEP_ALIVE_OUTLIVES_CHAT) {
                // A keep-alive poll nobody stops: the chat's end leaves it running.
                scheduler.scheduleAtFixedRate(vendor::agentsOnline, 20, 20, TimeUnit.SECONDS);
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        if (!supports(Capability.RECONNECT)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
        }
        return onStrand(() -> {
            if (started) {
                throw new IllegalStateException("this desk already started a chat");
            }
            started = true;
            PersistedState state = persisted.orElseThrow(() -> new IllegalStateException("the desk was created without persisted state"));
            Optional<FakeContactCenter.Chat> found = state.get("chat").flatMap(vendor::find);
            if (found.isEmpty() || found.get().isEnded()) {
                over = true;
                return false;
            }
            chat = found.get();
            lastSeq = state.get("lastSeq").map(Long::parseLong).orElse(0L);
            unsubscribe = chat.subscribe(this, lastSeq);
            return true;
        });
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        return onStrand(this::endChatNow);
    }

    /** On the strand: the user ends the chat, at the vendor too; after a detach, nothing more. */
    private Void endChatNow() {
        if (!endedByUser && !detached) {
            endedByUser = true;
            over = true;
            typing.cancel();
            unsubscribe.run();
            if (chat != null) {
                chat.endByUser();
            }
            if (defect == Defect.CALLS_BACK_AFTER_END_CHAT) {
                scheduler.schedule(callback::agentEndedChat, 1, TimeUnit.SECONDS);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<Void> detach() {
        if (!supports(Capability.RECONNECT)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
        }
        return onStrand(() -> {
            if (defect == Defect.DETACH_ENDS_CHAT) {
                return endChatNow();
            }
            if (!over && !detached && defect != Defect.CALLS_BACK_AFTER_DETACH) {
                // The vendor chat stays open: only this desk's subscription and timers go.
                over = true;
                typing.cancel();
                unsubscribe.run();
            }
            detached = true;
            return null;
        });
    }

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        if (!message.files().isEmpty() && !supports(Capability.FILE_UPLOADS)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.FILE_UPLOADS));
        }
        if (defect == Defect.SENDS_IN_PARALLEL) {
            return Misdelivery.postedOnTheirOwn(scheduler, message, this::post);
        }
        if (defect == Defect.SEND_HANGS_WHILE_WAITING) {
            return Misdelivery.acknowledgedOnceJoined(post(message), () -> joined);
        }
        return post(message);
    }

    private CompletionStage<Void> post(UserMessage message) {
        return onStrand(() -> {
            if (chat == null || over) {
                throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "The chat has ended; the message was not sent.");
            }
            if (sentMessageIds.contains(message.id())) {
                return null;
            }
            if (defect == Defect.RETRY_OF_FAILED_MESSAGE_DROPPED) {
                sentMessageIds.add(message.id()); // too early: a failed message's retry is taken for a duplicate
            }
            if (disconnected && defect == Defect.LOSES_MESSAGES_IN_OUTAGE) {
                sentMessageIds.add(message.id()); // "sent later", but nothing ever sends it
                return null;
            }
            try {
                if (message.files().isEmpty() || defect == Defect.DROPS_ATTACHMENTS) {
                    chat.postUserMessage(message.text());
                } else {
                    chat.postUserMessage(message.text(), read(message.files()));
                }
            } catch (FakeContactCenter.Refused e) {
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), "The message could not be delivered."));
                throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "Message " + message.id() + " refused: " + e.getMessage());
            }
            sentMessageIds.add(message.id());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        if (!supports(Capability.UPDATE_STATE)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.UPDATE_STATE));
        }
        return onStrand(() -> {
            if (defect == Defect.IGNORES_UPDATE_STATE) {
                return null;
            }
            userName = state.displayName().or(() -> userName);
            userLocale = state.locale().or(() -> userLocale);
            if (chat != null && !over) {
                chat.updateUser(state.displayName(), state.locale());
            }
            return null;
        });
    }

    private static List<ReceivedFile> read(List<FileUpload> files) {
        List<ReceivedFile> read = new ArrayList<>();
        for (FileUpload file : files) {
            try (InputStream in = file.content().open()) {
                read.add(new ReceivedFile(file.fileName(), file.contentType(), in.readNBytes((int) MAX_FILE_BYTES + 1)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return read;
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        if (!supports(Capability.USER_TYPING) && defect != Defect.ACCEPTS_UNDECLARED_METHOD) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.USER_TYPING));
        }
        return onStrand(() -> {
            if (chat != null && !over) {
                chat.userTyped();
            }
            return null;
        });
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        if (!supports(Capability.USER_READ_RECEIPTS) || defect == Defect.UNDECLARED_CAPABILITY) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.USER_READ_RECEIPTS));
        }
        return onStrand(() -> {
            if (chat != null && !over) {
                chat.userRead();
            }
            return null;
        });
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        if (!supports(Capability.AGENTS_ONLINE)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.AGENTS_ONLINE));
        }
        return onStrand(() -> vendor.agentsOnline() ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE);
    }

    @Override
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        if (!supports(Capability.FILE_UPLOADS)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.FILE_UPLOADS));
        }
        return onStrand(() -> {
            for (FileUpload upload : uploads) {
                if (upload.sizeBytes() > MAX_FILE_BYTES && defect != Defect.NO_CHECK_ON_SELECTION) {
                    callback.setFileUploadStatus(FileUploadStatus.failed(upload.id(), "Files may be at most 1 MB."));
                }
            }
            return null;
        });
    }

    // ---- the vendor's events (from its push channel) ----

    @Override
    public void onEvent(FakeContactCenter.Event event) {
        if (defect == Defect.SORTS_BATCH_BY_TEXT) {
            synchronized (batch) {
                batch.add(event);
            }
            strand.execute(this::handleBatchSortedByText);
            return;
        }
        strand.execute(() -> handle(event));
    }

    /** The ordering bug: what arrived together is delivered with its messages sorted by id as text. */
    private void handleBatchSortedByText() {
        List<FakeContactCenter.Event> events;
        synchronized (batch) {
            events = new ArrayList<>(batch);
            batch.clear();
        }
        long before = lastSeq;
        for (FakeContactCenter.Event chosen : Misdelivery.messagesSortedByText(events)) {
            if (!over && chosen.seq() > before) {
                lastSeq = Math.max(lastSeq, chosen.seq());
                apply(chosen);
            }
        }
    }

    @Override
    public void onConnectionLost() {
        strand.execute(() -> {
            if (!over && !disconnected && supports(Capability.CONNECTION_RECOVERY)) {
                disconnected = true;
                callback.setErrorStatus(new ErrorInfo.Disconnected(true));
            }
        });
    }

    @Override
    public void onConnectionBack() {
        strand.execute(() -> {
            if (over || !disconnected) {
                return;
            }
            disconnected = false;
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
            if (defect == Defect.REDELIVERS_AFTER_DROP && lastMessageSeq > 0) {
                lastSeq = Math.min(lastSeq, lastMessageSeq - 1);
            }
            List<FakeContactCenter.Event> missed = new ArrayList<>(chat.eventsAfter(lastSeq));
            if (defect == Defect.OUTAGE_NEWEST_ONLY) {
                java.util.Collections.reverse(missed);
            }
            if (defect == Defect.CATCHES_UP_MESSAGES_ONLY) {
                missed.removeIf(e -> e.kind() != FakeContactCenter.Kind.MESSAGE);
            }
            missed.forEach(this::handle);
        });
    }

    private void handle(FakeContactCenter.Event event) {
        if (over || event.seq() <= lastSeq) {
            return;
        }
        lastSeq = event.seq();
        apply(event);
    }

    private void apply(FakeContactCenter.Event event) {
        switch (event.kind()) {
            case QUEUE:
                // The first join ends the wait (rule 3): a late queue update is the vendor's, not the user's news.
                if (supports(Capability.QUEUE_STATUS) && (!joined || defect == Defect.QUEUE_AFTER_JOIN)) {
                    callback.updateAgentAvailability(new AgentAvailability(event.position(), event.estimatedWait(), Optional.empty()));
                }
                break;
            case JOINED:
                joined = true;
                typing.stop();
                if (defect != Defect.NEVER_JOINS) {
                    callback.agentJoined(event.agent().orElseThrow());
                }
                if (defect == Defect.ANNOUNCES_UNDECLARED_CAPABILITY) {
                    // What this agent's console can do, taken for what the desk can do.
                    callback.updateCapabilities(java.util.EnumSet.allOf(Capability.class));
                }
                break;
            case TYPING:
                if (supports(Capability.AGENT_TYPING)) {
                    typing.on();
                }
                break;
            case MESSAGE:
                typing.stop();
                deliver(event);
                break;
            case READ:
                if (supports(Capability.AGENT_READ_RECEIPTS)) {
                    callback.agentReadMessages();
                }
                break;
            case TRANSFER:
                if (defect != Defect.TYPING_LEFT_ON) {
                    typing.stop();
                }
                if (supports(Capability.TRANSFER)) {
                    callback.beginTransferToAnotherAgent(event.agent());
                }
                break;
            case LEFT:
                typing.stop();
                callback.agentLeftChat();
                break;
            case ENDED:
                if (defect == Defect.TYPING_LEFT_ON) {
                    typing.cancel();
                } else {
                    typing.stop();
                }
                over = true;
                unsubscribe.run();
                callback.agentEndedChat();
                if (defect == Defect.ENDS_TWICE) {
                    callback.agentEndedChat();
                }
                return;
            default:
                throw new IllegalStateException("unknown vendor event " + event.kind());
        }
        persist();
    }

    private void deliver(FakeContactCenter.Event event) {
        AgentMessage message = AgentMessage.fromAgent(event.messageId().orElseThrow(),
                event.agent().map(AgentProfile::id).orElse("unknown-agent"), event.text().orElse(""));
        if (defect == Defect.CONCURRENT_CALLBACKS) {
            Misdelivery.fromTwoThreads(callback, message);
            return;
        }
        lastMessageSeq = event.seq();
        if (defect == Defect.PERSISTED_STATE_GROWS) {
            deliveredIds.add(message.id());
        }
        callback.sendMessageToUser(message);
        if (defect == Defect.DUPLICATES_MESSAGES) {
            callback.sendMessageToUser(message);
        }
    }

    private void persist() {
        if (supports(Capability.RECONNECT) && chat != null) {
            Map<String, String> state = new HashMap<>(Map.of("chat", chat.id(), "lastSeq", Long.toString(lastSeq)));
            if (defect == Defect.PERSISTED_STATE_GROWS) {
                state.put("delivered", String.join(",", deliveredIds));
            }
            if (defect == Defect.PERSISTS_SECRET) {
                passphrase.ifPresent(p -> state.put("auth", p.reveal()));
            }
            callback.updatePersistedState(new PersistedState(state));
        }
    }
}

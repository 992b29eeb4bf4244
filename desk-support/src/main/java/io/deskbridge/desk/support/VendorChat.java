package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.DeliveredIds;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.UserMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one chat around one vendor conversation, the same for every vendor whose API has a conversation to open,
 * an event stream to connect and a history to read: a desk says how its vendor does each step ({@link Vendor}) and maps
 * the application's calls onto the methods here, which keep the contract's rules.
 * <ul>
 *   <li><b>Start</b> ({@link #start}): open the conversation, connect its stream, send the first message; a failure is
 *       reported as {@code Connecting} and fails the start (rule 2), and a conversation the chat gave up on is ended at
 *       the vendor so no agent is left waiting. Only once (rule 1).</li>
 *   <li><b>Resume</b> ({@link #resume}): the conversation from the persisted state, connected again, its history read
 *       while live events wait, each message once (rules 8, 13); {@code false} when it is over.</li>
 *   <li><b>Stream lost and back</b> ({@link Events}): {@code Disconnected(true)}, then the history since the last message
 *       read (retried with backoff until it works), {@code Disconnected(false)}, and the events that waited (rule 10).</li>
 *   <li><b>End</b> ({@link #end}, {@link #detach}): nothing reaches the application afterwards (rule 7); the vendor is
 *       told once, and again on a retry if that failed; a detached conversation stays open for another process.</li>
 *   <li><b>Send</b> ({@link #send}): once per message id (rule 11), waiting for a conversation still opening; a failure
 *       completes the stage and reports {@code UserMessage}.</li>
 *   <li><b>Persisted state</b> (rule 13): what {@link Vendor#save} says, plus the last message read, reported whenever
 *       it changes.</li>
 *   <li><b>Failures</b>: as {@link ServiceDeskException} of the kind that says who can fix it ({@link Vendor#failure}).</li>
 * </ul>
 * Every method may be called from any thread; everything runs on the chat's {@link ChatLane}, and callbacks go through
 * its {@link CallbackGate}.
 *
 * @param <C> the vendor's handle of a conversation (its id and token, say)
 * @param <E> the vendor's stream event
 */
public final class VendorChat<C, E> {
    private static final Logger LOG = LoggerFactory.getLogger(VendorChat.class);

    /** The persisted state key of the id of the last message read, from which a resumed chat reads the history. */
    public static final String LAST_MESSAGE_ID = "lastMessageId";
    /** How long to wait before reading the history again when it failed: the chat cannot go on without it. */
    public static final Backoff HISTORY_RETRY = Backoff.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30));
    static final String CANNOT_CONNECT = "We could not connect you to an agent. Please try again later.";
    static final String NOT_DELIVERED = "Your message could not be delivered.";

    /**
     * What a desk tells {@link VendorChat} about its vendor. Calls that return a stage may complete on any thread;
     * {@link #handle} runs on the chat's lane.
     */
    public interface Vendor<C, E> {

        /** Connects the conversation's event stream, handing its events to {@code events}; closing the result closes it. */
        CompletionStage<? extends AutoCloseable> connect(C conversation, Events<E> events);

        /** Where the conversation is now and the events after message {@code afterMessageId} (all when empty), oldest first. */
        CompletionStage<Snapshot<E>> snapshot(C conversation, Optional<String> afterMessageId);

        /** Ends the conversation for the user; ending an ended conversation succeeds. */
        CompletionStage<Void> end(C conversation);

        /** The vendor's message id of {@code event} when it is a message (the user's own echoes too). */
        Optional<String> messageId(E event);

        /** One event of the stream or the history, each message once, in order: tells {@code agent} what happened. */
        void handle(E event, AgentEvents agent);

        /** What a new desk needs to find {@code conversation} again (no secret that outlives it, rule 13). */
        PersistedState save(C conversation);

        /** The conversation {@link #save} recorded, or empty when the state holds none. */
        Optional<C> load(PersistedState state);

        /**
         * The vendor's own failure {@code cause} of {@code action} ("send message m1") as a {@link ServiceDeskException},
         * or empty when it is not one of the vendor's (it then counts as {@code INTERNAL}).
         */
        Optional<ServiceDeskException> failure(Throwable cause, String action, Optional<String> messageToUser);
    }

    /** Where the vendor's event stream reports to. Any thread. */
    public interface Events<E> {

        /** One event, in the vendor's order. */
        void event(E event);

        /** The stream dropped and the vendor's client reconnects by itself. */
        void lost(String reason);

        /** The stream is back; the events of the gap were not replayed. */
        void restored();
    }

    /**
     * Where a conversation is, as the vendor says when asked.
     *
     * @param ended whether the conversation is over (or unknown to the vendor)
     * @param agent the agent in the conversation now, if any
     * @param missed the events after the last message read, oldest first
     */
    public record Snapshot<E>(boolean ended, Optional<AgentProfile> agent, List<E> missed) {
        public Snapshot {
            requireNonNull(agent, "agent is null");
            missed = List.copyOf(requireNonNull(missed, "missed is null"));
        }
    }

    private enum Phase { NEW, STARTING, OPEN, FINISHED }

    private final String chatId;
    private final Optional<PersistedState> persisted;
    private final Vendor<C, E> vendor;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final AgentEvents agent;
    private final CatchUpBuffer<E> events;
    private final IdempotentSends sends = new IdempotentSends();
    private final Backoff.Attempts historyRetries = HISTORY_RETRY.attempts();
    private final CompletableFuture<C> opened = new CompletableFuture<>();

    // Confined to the lane.
    private Phase phase = Phase.NEW;
    private Optional<C> conversation = Optional.empty();
    private Optional<AutoCloseable> stream = Optional.empty();
    private Optional<String> lastMessageId = Optional.empty();
    private PersistedState lastPersisted = PersistedState.empty();
    private boolean disconnected;
    private long catchUpRound;
    private Optional<ChatLane.Timer> historyRetry = Optional.empty();
    private CompletableFuture<Void> ending;
    private Optional<C> unended = Optional.empty();

    /**
     * @param context the chat's id, callback and persisted state
     * @param lane the chat's lane
     * @param typingTimeout how long an agent typing indication lasts without news
     * @param vendor how the vendor does each step
     */
    public VendorChat(DeskContext context, ChatLane lane, Duration typingTimeout, Vendor<C, E> vendor) {
        this.chatId = requireNonNull(context, "context is null").chatId();
        this.persisted = context.persistedState();
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = new CallbackGate(chatId, context.callback(), lane);
        this.agent = new AgentEvents(chatId, lane, callback, typingTimeout, this::finish);
        this.events = new CatchUpBuffer<>(vendor::messageId, new DeliveredIds(), this::handle);
    }

    /** The chat's callback, through its gate: for what the vendor mapping reports beyond {@link AgentEvents}. */
    public CallbackGate callback() {
        return callback;
    }

    // ---- Start and resume

    /**
     * Starts the chat: {@code open} the conversation, connect its stream, then send the {@code first} message (the
     * connect summary). Completes when all three did; fails (after {@code Connecting}) when one did not.
     */
    public CompletableFuture<Void> start(Supplier<? extends CompletionStage<C>> open, Function<C, ? extends CompletionStage<?>> first) {
        requireNonNull(open, "open is null");
        requireNonNull(first, "first is null");
        return lane.call(done -> {
            begin();
            lane.whenComplete(open.get(), (opening, failure) -> {
                if (failure != null) {
                    failStart(done, failure, Optional.empty());
                    return;
                }
                LOG.info("chat={} opened a conversation at the vendor", chatId);
                attach(opening, done, Optional.empty(), () -> lane.whenComplete(first.apply(opening), (ok, firstFailure) -> {
                    if (firstFailure != null) {
                        failStart(done, firstFailure, Optional.empty());
                    } else if (phase == Phase.FINISHED) {
                        done.complete(null); // the user ended the chat meanwhile
                    } else {
                        phase = Phase.OPEN;
                        done.complete(null);
                    }
                }));
            });
        });
    }

    /**
     * Resumes the conversation the persisted state names: connects its stream, reads what the user missed (live events
     * wait), and completes with {@code true}; {@code false} when there is none to resume or it is over.
     */
    public CompletableFuture<Boolean> resume() {
        return lane.call(done -> {
            begin();
            Optional<C> saved = persisted.flatMap(vendor::load);
            if (saved.isEmpty()) {
                finish();
                done.complete(false);
                return;
            }
            lastMessageId = persisted.flatMap(state -> state.get(LAST_MESSAGE_ID));
            events.hold();
            attach(saved.get(), done, Optional.of(false), () -> lane.whenComplete(vendor.snapshot(saved.get(), lastMessageId), (now, failure) -> {
                if (failure != null) {
                    failStart(done, failure, Optional.of(false));
                } else if (now.ended() || phase == Phase.FINISHED) {
                    LOG.info("chat={} cannot be resumed: the conversation is over", chatId);
                    finish();
                    done.complete(false);
                } else {
                    caughtUp(now);
                    phase = Phase.OPEN;
                    done.complete(true);
                }
            }));
        });
    }

    private void begin() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("chat " + chatId + " already started (rule 1: a new chat needs a new desk)");
        }
        phase = Phase.STARTING;
    }

    /**
     * Records the conversation, then connects its stream and runs {@code connected}, unless the chat ended meanwhile;
     * {@code ifGone} is what a resume answers when the conversation is over (empty for a start).
     */
    private <T> void attach(C opening, CompletableFuture<T> done, Optional<T> ifGone, Runnable connected) {
        conversation = Optional.of(opening);
        opened.complete(opening);
        if (phase == Phase.FINISHED) {
            endAtVendor(opening); // the user ended the chat while it opened
            done.complete(ifGone.orElse(null));
            return;
        }
        persist(); // rule 13: from now on the chat can be resumed
        lane.whenComplete(vendor.connect(opening, new StreamEvents()), (connection, failure) -> {
            if (failure == null) {
                stream = Optional.of(connection);
            }
            if (failure != null) {
                failStart(done, failure, ifGone);
            } else if (phase == Phase.FINISHED) {
                finish();
                done.complete(ifGone.orElse(null));
            } else {
                connected.run();
            }
        });
    }

    private <T> void failStart(CompletableFuture<T> done, Throwable failure, Optional<T> ifGone) {
        boolean resuming = ifGone.isPresent();
        ServiceDeskException error = deskException(failure, "open the conversation", Optional.of(CANNOT_CONNECT));
        LOG.warn("chat={} could not {}: {}", chatId, resuming ? "resume" : "start", error.getMessage());
        opened.completeExceptionally(error);
        if (!resuming) {
            conversation.ifPresent(this::endAtVendor);
            callback.setErrorStatus(new ErrorInfo.Connecting(error.messageToUser())); // rule 2
        }
        finish();
        if (resuming && error.kind() == Kind.VENDOR_REJECTED) {
            done.complete(ifGone.get()); // ended, expired, unknown to the vendor
        } else {
            done.completeExceptionally(error);
        }
    }

    // ---- End

    /** The user ends the chat: no callback from now on (rule 7), and the vendor is told. Idempotent. */
    public CompletableFuture<Void> end() {
        return lane.call(done -> {
            if (ending == null) {
                if (phase == Phase.STARTING || phase == Phase.OPEN) {
                    unended = conversation; // empty while still opening: the opening sees FINISHED and ends it
                }
                finish();
                LOG.info("chat={} ended by the user", chatId);
                ending = unended.map(c -> vendorCall(vendor.end(c), "end the conversation")).orElse(CompletableFuture.completedFuture(null));
                ending.whenComplete((ok, failure) -> lane.execute(() -> {
                    if (failure == null) {
                        unended = Optional.empty();
                    } else {
                        ending = null; // a retry tells the vendor again
                    }
                }));
            }
            lane.relay(ending, done);
        });
    }

    /** Lets go of the chat without ending the conversation: no callback, stream or timer any more. Idempotent. */
    public CompletableFuture<Void> detach() {
        return lane.call(done -> {
            if (phase != Phase.FINISHED) {
                LOG.info("chat={} detached: the conversation stays open at the vendor", chatId);
                finish();
            }
            done.complete(null);
        });
    }

    private void endAtVendor(C gone) {
        vendorCall(vendor.end(gone), "end the conversation").exceptionally(failure -> {
            LOG.warn("chat={} could not end the conversation it gave up on: {}", chatId, failure.getMessage());
            return null;
        });
    }

    /** The chat is over for this desk: no callback, no timer, no stream. */
    private void finish() {
        phase = Phase.FINISHED;
        callback.close();
        agent.release();
        events.clear();
        historyRetry.ifPresent(ChatLane.Timer::cancel);
        stream.ifPresent(this::close);
        stream = Optional.empty();
    }

    private void close(AutoCloseable connection) {
        try {
            connection.close();
        } catch (Exception e) {
            LOG.debug("chat={} closing the vendor's stream failed: {}", chatId, e.toString());
        }
    }

    // ---- The application's other calls

    /**
     * Sends {@code message} with {@code post} once the conversation is open, once per message id (rule 11); files that
     * {@code files} refuses fail the message at once. A failure reports {@code UserMessage} and fails the stage.
     */
    public CompletableFuture<Void> send(UserMessage message, FileRules files, BiFunction<C, UserMessage, ? extends CompletionStage<?>> post) {
        requireNonNull(message, "message is null");
        requireNonNull(files, "files is null");
        requireNonNull(post, "post is null");
        return sends.send(message.id(), () -> lane.call(done -> {
            Optional<String> refused = files.refusal(message.files());
            if (phase == Phase.NEW || phase == Phase.FINISHED || refused.isPresent()) {
                String why = refused.orElse(phase == Phase.NEW ? "The chat has not started: call startChat before sending message " + message.id()
                        : "The chat has ended: message " + message.id() + " was not sent; start a new chat to reach an agent");
                failSend(message, done, new ServiceDeskException(Kind.VENDOR_REJECTED, why, refused.orElse(null), null));
                return;
            }
            lane.whenComplete(opened.thenCompose(c -> post.apply(c, message).thenApply(posted -> true)), (posted, failure) -> {
                if (failure != null) {
                    failSend(message, done, deskException(failure, "send message " + message.id(), Optional.of(NOT_DELIVERED)));
                } else {
                    done.complete(null);
                }
            });
        }));
    }

    private void failSend(UserMessage message, CompletableFuture<Void> done, ServiceDeskException error) {
        LOG.warn("chat={} message {} failed: {}", chatId, message.id(), error.getMessage());
        callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(error.getMessage())));
        done.completeExceptionally(error);
    }

    /** The user selected files: each one {@code files} refuses is reported with {@code setFileUploadStatus}. */
    public CompletableFuture<Void> filesSelected(List<FileUpload> uploads, FileRules files) {
        List<FileUpload> selected = List.copyOf(requireNonNull(uploads, "uploads is null"));
        requireNonNull(files, "files is null");
        return lane.call(done -> {
            selected.forEach(file -> files.refusal(file).ifPresent(why -> callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), why))));
            done.complete(null);
        });
    }

    /**
     * Makes {@code request} of the open conversation; nothing before it opened or after the end. A failure is a
     * {@link ServiceDeskException} saying it could not {@code action}.
     */
    public CompletableFuture<Void> whenOpen(Function<C, ? extends CompletionStage<?>> request, String action) {
        requireNonNull(request, "request is null");
        requireNonNull(action, "action is null");
        return lane.call(done -> {
            if (conversation.isEmpty() || phase == Phase.FINISHED) {
                done.complete(null);
            } else {
                lane.relay(vendorCall(request.apply(conversation.get()), action), done);
            }
        });
    }

    /**
     * Uploads {@code files} one after another, in order, with {@code upload}, and completes with the vendor's ids of
     * them; the first failure fails the whole.
     */
    public static <R> CompletableFuture<List<R>> uploadInOrder(List<FileUpload> files, Function<FileUpload, ? extends CompletionStage<R>> upload) {
        requireNonNull(upload, "upload is null");
        CompletableFuture<List<R>> ids = CompletableFuture.completedFuture(new ArrayList<>());
        for (FileUpload file : List.copyOf(requireNonNull(files, "files is null"))) {
            ids = ids.thenCompose(done -> upload.apply(file).thenApply(id -> {
                done.add(id);
                return done;
            }));
        }
        return ids.thenApply(List::copyOf);
    }

    // ---- The stream and the history

    /** The vendor's stream, onto the lane. */
    private final class StreamEvents implements Events<E> {
        @Override
        public void event(E event) {
            requireNonNull(event, "event is null");
            lane.execute(() -> {
                if (!callback.isClosed()) {
                    events.offer(event); // held while a catch-up reads the history
                }
            });
        }

        @Override
        public void lost(String reason) {
            lane.execute(() -> streamLost(reason));
        }

        @Override
        public void restored() {
            lane.execute(() -> {
                if (!callback.isClosed()) {
                    catchUp(++catchUpRound);
                }
            });
        }
    }

    private void handle(E event) {
        if (callback.isClosed()) {
            return;
        }
        vendor.messageId(event).ifPresent(id -> lastMessageId = Optional.of(id));
        vendor.handle(event, agent);
        if (vendor.messageId(event).isPresent()) {
            persist(); // a resumed chat reads what came after this message
        }
    }

    /** Rule 10: the stream dropped; the vendor's client reconnects by itself. */
    private void streamLost(String reason) {
        if (callback.isClosed()) {
            return;
        }
        LOG.warn("chat={} lost the vendor's event stream: {}", chatId, reason);
        events.hold();
        if (!disconnected && phase == Phase.OPEN) {
            agent.stopTyping();
            disconnected = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    /** Rule 10: the stream is back; the history fills the gap, then the live events that waited follow. */
    private void catchUp(long round) {
        events.hold();
        conversation.ifPresent(c -> lane.whenComplete(vendor.snapshot(c, lastMessageId), (now, failure) -> {
            if (callback.isClosed() || round != catchUpRound) {
                return; // over, or a newer catch-up runs
            }
            if (failure == null) {
                caughtUp(now);
                return;
            }
            Duration wait = historyRetries.next().orElseThrow(); // unbounded: the chat needs its history
            LOG.warn("chat={} could not read the vendor's history, retrying in {} ms: {}", chatId, wait.toMillis(), failure.getMessage());
            historyRetry = Optional.of(lane.schedule(wait, () -> {
                if (!callback.isClosed() && round == catchUpRound) {
                    catchUp(round);
                }
            }));
        }));
    }

    private void caughtUp(Snapshot<E> now) {
        catchUpRound++;
        historyRetries.reset();
        agent.agentNow(now.agent(), now.ended());
        if (disconnected) {
            disconnected = false;
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        }
        LOG.info("chat={} caught up with the vendor ({} events missed)", chatId, now.missed().size());
        events.caughtUp(now.missed());
        if (now.ended() && !callback.isClosed()) {
            agent.ended();
        }
    }

    /** Rule 13: tells the application what a new desk needs to resume this chat, when it changed. */
    private void persist() {
        if (callback.isClosed() || conversation.isEmpty()) {
            return;
        }
        PersistedState next = vendor.save(conversation.get());
        if (lastMessageId.isPresent()) {
            next = next.with(LAST_MESSAGE_ID, lastMessageId.get());
        }
        if (!next.equals(lastPersisted)) {
            lastPersisted = next;
            callback.updatePersistedState(next);
        }
    }

    // ---- Failures

    /** A vendor call whose failure becomes a {@link ServiceDeskException}, completing on the lane. */
    private CompletableFuture<Void> vendorCall(CompletionStage<?> call, String action) {
        return lane.onLane(call.handle((ok, failure) -> {
            if (failure != null) {
                throw deskException(failure, action, Optional.empty());
            }
            return null;
        }));
    }

    private ServiceDeskException deskException(Throwable failure, String action, Optional<String> messageToUser) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof ServiceDeskException desk) {
            return desk;
        }
        return vendor.failure(cause, action, messageToUser).orElseGet(() ->
                new ServiceDeskException(Kind.INTERNAL, "Could not " + action + ": " + cause, messageToUser.orElse(null), cause));
    }
}

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
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
 * an event stream to connect and a history to read: a desk says how its vendor does each step ({@link ChatVendor}) and maps
 * the application's calls onto the methods here, which keep the contract's rules.
 * <ul>
 *   <li><b>Start</b> ({@link #start}): open the conversation, connect its stream, send the first message; a failure is
 *       reported as {@code Connecting} and fails the start (rule 2), and a conversation the chat gave up on is ended at
 *       the vendor so no agent is left waiting. Only once (rule 1).</li>
 *   <li><b>Resume</b> ({@link #resume}): the conversation from the persisted state, connected again, its history read
 *       while live events wait, each message once (rules 8, 13); {@code false} when it is over.</li>
 *   <li><b>Stream lost and back</b> ({@link ChatVendor.Events}): {@code Disconnected(true)}, then the history since the
 *       last message read (retried with backoff until it works), {@code Disconnected(false)}, and the events that waited
 *       (rule 10).</li>
 *   <li><b>End</b> ({@link #end}, {@link #detach}): nothing reaches the application afterwards (rule 7); the vendor is
 *       told once, and again on a retry if that failed; a detached conversation stays open for another process.</li>
 *   <li><b>Send</b> ({@link #send}): once per message id (rule 11), waiting for a conversation still opening; a failure
 *       completes the stage and reports {@code UserMessage}.</li>
 *   <li><b>Persisted state</b> (rule 13): what {@link ChatVendor#save} says, plus the last message read, reported whenever
 *       it changes.</li>
 *   <li><b>Failures</b>: as {@link ServiceDeskException} of the kind that says who can fix it ({@link ChatVendor#failure}).</li>
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
    /** The message id of the connect summary, the user's first message: the vendor's idempotency key for it. */
    public static final String SUMMARY_MESSAGE_ID = "connect-summary";
    static final String CANNOT_CONNECT = "We could not connect you to an agent. Please try again later.";
    static final String NOT_DELIVERED = "Your message could not be delivered.";

    private enum Phase { NEW, STARTING, OPEN, FINISHED }

    private final String chatId;
    private final Optional<PersistedState> persisted;
    private final ChatVendor<C, E> vendor;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final AgentEvents agent;
    private final ChatStream<C, E> stream;
    private final IdempotentSends sends = new IdempotentSends();
    private final CompletableFuture<C> opened = new CompletableFuture<>();

    // Confined to the lane.
    private Phase phase = Phase.NEW;
    /** The last user message's post, on the lane: each waits for the one before (see {@link #send}). */
    private CompletableFuture<?> lastPost = CompletableFuture.completedFuture(null);
    private Optional<C> conversation = Optional.empty();
    private Optional<AutoCloseable> connection = Optional.empty();
    private CompletableFuture<Void> ending;
    private Optional<C> unended = Optional.empty();

    /**
     * @param context the chat's id, callback and persisted state
     * @param lane the chat's lane
     * @param typingTimeout how long an agent typing indication lasts without news
     * @param vendor how the vendor does each step
     */
    public VendorChat(DeskContext context, ChatLane lane, Duration typingTimeout, ChatVendor<C, E> vendor) {
        this.chatId = requireNonNull(context, "context is null").chatId();
        this.persisted = context.persistedState();
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = new CallbackGate(chatId, context.callback(), lane);
        this.agent = new AgentEvents(chatId, lane, callback, typingTimeout, this::finish);
        this.stream = new ChatStream<>(chatId, lane, callback, agent, vendor, () -> phase == Phase.OPEN);
    }

    /** The chat's callback, through its gate: for what the vendor mapping reports beyond {@link AgentEvents}. */
    public CallbackGate callback() {
        return callback;
    }

    // ---- Start and resume

    /**
     * Starts the chat: {@code open} the conversation, connect its stream, then {@code post} the connect {@code summary},
     * if there is one, as the user's first message (with {@link #SUMMARY_MESSAGE_ID}). Completes when all of it did;
     * fails (after {@code Connecting}) when a step did not.
     */
    public CompletableFuture<Void> start(Supplier<? extends CompletionStage<C>> open, Optional<String> summary,
            BiFunction<C, String, ? extends CompletionStage<?>> post) {
        requireNonNull(open, "open is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(post, "post is null");
        Function<C, CompletionStage<Boolean>> first = c -> summary.map(text -> post.apply(c, text).thenApply(posted -> true))
                .orElseGet(() -> CompletableFuture.completedFuture(true));
        return lane.call(done -> {
            begin();
            lane.whenComplete(attempt(open::get), (opening, failure) -> {
                if (failure != null) {
                    failStart(done, failure, Optional.empty());
                    return;
                }
                LOG.info("chat={} opened a conversation at the vendor", chatId);
                attach(opening, Optional.empty(), done, Optional.empty(),
                        () -> lane.whenComplete(attempt(() -> first.apply(opening)), (sent, firstFailure) -> started(done, firstFailure)));
            });
        });
    }

    /** The start's last step settled: the chat is open, unless that step failed or the user ended the chat meanwhile. */
    private void started(CompletableFuture<Void> done, Throwable failure) {
        if (failure != null) {
            failStart(done, failure, Optional.empty());
            return;
        }
        if (phase != Phase.FINISHED) {
            phase = Phase.OPEN;
        }
        done.complete(null);
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
            stream.hold();
            attach(saved.get(), persisted.flatMap(state -> state.get(LAST_MESSAGE_ID)), done, Optional.of(false),
                    () -> lane.whenComplete(attempt(() -> vendor.snapshot(saved.get(), stream.lastMessageId())),
                            (now, failure) -> resumed(done, now, failure)));
        });
    }

    /** The resumed conversation's history read: the chat goes on, unless it is over or the history failed. */
    private void resumed(CompletableFuture<Boolean> done, ChatVendor.Snapshot<E> now, Throwable failure) {
        if (failure != null) {
            failStart(done, failure, Optional.of(false));
        } else if (now.ended() || phase == Phase.FINISHED) {
            LOG.info("chat={} cannot be resumed: the conversation is over", chatId);
            finish();
            done.complete(false);
        } else {
            stream.caughtUp(now); // the agent, the missed messages, then the live events that waited
            phase = Phase.OPEN;
            done.complete(true);
        }
    }

    private void begin() {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("chat " + chatId + " already started (rule 1: a new chat needs a new desk)");
        }
        phase = Phase.STARTING;
    }

    /**
     * Records the conversation, then connects its stream and runs {@code then}, unless the chat ended meanwhile;
     * {@code ifGone} is what a resume answers when the conversation is over (empty for a start).
     */
    private <T> void attach(C opening, Optional<String> lastRead, CompletableFuture<T> done, Optional<T> ifGone, Runnable then) {
        conversation = Optional.of(opening);
        stream.attach(opening, lastRead);
        opened.complete(opening);
        if (phase == Phase.FINISHED) {
            endAtVendor(opening); // the user ended the chat while it opened
            done.complete(ifGone.orElse(null));
            return;
        }
        stream.persist(); // rule 13: from now on the chat can be resumed
        lane.whenComplete(attempt(() -> vendor.connect(opening, stream.events())), (connected, failure) -> {
            if (failure == null) {
                connection = Optional.of(connected);
            }
            if (failure != null) {
                failStart(done, failure, ifGone);
            } else if (phase == Phase.FINISHED) {
                finish();
                done.complete(ifGone.orElse(null));
            } else {
                then.run();
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
                ending = unended.map(c -> vendorCall(attempt(() -> vendor.end(c)), "end the conversation")).orElse(CompletableFuture.completedFuture(null));
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
        vendorCall(attempt(() -> vendor.end(gone)), "end the conversation").exceptionally(failure -> {
            LOG.warn("chat={} could not end the conversation it gave up on: {}", chatId, failure.getMessage());
            return null;
        });
    }

    /** The chat is over for this desk: no callback, no timer, no stream. */
    private void finish() {
        phase = Phase.FINISHED;
        callback.close();
        agent.release();
        stream.close();
        connection.ifPresent(this::close);
        connection = Optional.empty();
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
            // One post at a time, in call order: requests in flight together can reach the vendor in any order, and the
            // application may send the next message before the last one completed (the web chat does).
            CompletableFuture<Boolean> sent = lastPost.handle((ok, failure) -> null)
                    .thenCompose(ignored -> opened.thenCompose(c -> attempt(() -> post.apply(c, message).thenApply(posted -> true))));
            lastPost = sent;
            lane.whenComplete(sent, (posted, failure) -> {
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
                lane.relay(vendorCall(attempt(() -> request.apply(conversation.get()).thenApply(ok -> true)), action), done);
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

    /**
     * The stage of a vendor call, or a failed one when the call threw instead of failing its stage (or returned none), so
     * that a client's mistake is reported as the call's failure and never leaves the chat half-started.
     */
    static <T> CompletionStage<T> attempt(Supplier<? extends CompletionStage<T>> call) {
        try {
            CompletionStage<T> stage = call.get();
            return stage != null ? stage : CompletableFuture.failedFuture(new IllegalStateException("a vendor call returned no stage"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ServiceDeskException deskException(Throwable failure, String action, Optional<String> messageToUser) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof ServiceDeskException desk) {
            return desk;
        }
        if (cause instanceof VendorCallException call) {
            return call.toServiceDeskException(action, messageToUser);
        }
        return vendor.failure(cause, action, messageToUser).orElseGet(() ->
                new ServiceDeskException(Kind.INTERNAL, "Could not " + action + ": " + cause, messageToUser.orElse(null), cause));
    }
}

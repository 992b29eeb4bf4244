package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.ChatLane;
import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.webmessaging.WebMessagingSocket.ConnectionLost;
import io.deskbridge.genesys.webmessaging.wire.ErrorCode;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.PresenceType;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.ServiceDeskException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's side of one chat going out. {@link #send(UserMessage)} sends one user message (the desk makes it
 * idempotent by message id with {@link io.deskbridge.desk.support.IdempotentSends}): the files are uploaded first,
 * then the text leaves with their attachment ids and any changed chat details as custom attributes. Messages go
 * through a queue of {@code onMessage} requests paced by a {@link TokenBucket}. A text waits for its confirmation
 * (its echo, {@code direction: Inbound}) before the next one leaves, so Genesys receives the user's messages in
 * order; a {@code 4029} or 429 pauses the bucket for its {@code retryAfter} and sends the text again; a socket lost
 * before the confirmation puts the text back at the head of the queue, to be confirmed from the history or sent
 * again on the next socket. Events (typing, presence) are written without waiting for an answer.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingSender.class);

    /** What the sender asks of the chat. Called on the serial executor. */
    interface Gate {
        /** Whether requests may be written now (a socket is open and its session is configured). */
        boolean mayWrite();

        /** Whether the chat still runs (not ending, not ended). */
        boolean running();

        /** Genesys says the session is gone (expired or unknown) in answer to a message: the chat ends. */
        void ended(String reason);
    }

    private static final Duration USER_TYPING_INTERVAL = Duration.ofSeconds(5);

    private enum Kind { TEXT, EVENT }

    /** A message waiting to be sent. */
    private static final class Outgoing {
        final Kind kind;
        final Optional<String> messageId;
        final StructuredMessage message;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        String tracingId;

        Outgoing(Kind kind, Optional<String> messageId, StructuredMessage message) {
            this.kind = kind;
            this.messageId = messageId;
            this.message = message;
        }
    }

    private final String chatId;
    private final WebMessagingSocket socket;
    private final ChatLane timers;
    private final TokenBucket bucket;
    private final WebMessagingSettings settings;
    private final Supplier<String> token;
    private final Gate gate;
    private final ServiceDeskCallback callback;
    private final WebMessagingUploads uploads;
    private final Clock clock;

    /** Changed chat details waiting for the user's next message (web messaging has no participant update). */
    private Map<String, String> pendingAttributes = Map.of();
    private Instant lastUserTyping;
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private Outgoing inFlight;
    private ChatLane.Timer drainTimer;
    private final DeskMetrics metrics;

    WebMessagingSender(String chatId, WebMessagingSettings settings, WebMessagingSocket socket, ChatLane timers, TokenBucket bucket,
            Supplier<String> token, Gate gate, ServiceDeskCallback callback, WebMessagingUploads uploads, Clock clock, DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.token = requireNonNull(token, "token is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Sends a user message: its files, then its text. A failure is reported with {@code setErrorStatus} while the chat
     * runs, and the id may be sent again.
     */
    CompletableFuture<Void> send(UserMessage message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        uploads.uploadAll(message.files()).thenComposeAsync(attachmentIds -> {
            Map<String, String> metadata = Map.of("customMessageId", message.id());
            List<StructuredMessage.Content> content = attachmentIds.stream().map(StructuredMessage.Content::attachmentReference).toList();
            Map<String, String> attributes = pendingAttributes;
            pendingAttributes = Map.of();
            return sendText(message.id(), StructuredMessage.guestText(message.text(), metadata, attributes, content));
        }, timers).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
                return;
            }
            ServiceDeskException e = WebMessagingFailures.asServiceDeskException(CompletionFailures.unwrap(failure), "send the message");
            if (gate.running()) {
                LOG.info("chat={} message {} was not delivered: {}", chatId, message.id(), e.getMessage());
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(),
                        e.messageToUser().orElse("Your message could not be delivered. Please try again.")));
            }
            done.completeExceptionally(e);
        }, timers);
        return done;
    }

    /**
     * The chat's first message, with the routing hints as custom attributes (as many as fit the session's limit): the
     * connect summary as a text. Without a summary, as Genesys's messenger SDK: a {@code Presence Join} event where the
     * deployment enables {@code autoStart}, and otherwise nothing yet: the attributes wait for the user's first message,
     * which starts the conversation.
     */
    CompletableFuture<Void> sendFirst(ConnectRequest request, StartChatOptions options, ChatState chatState, ObjectMapper json,
            WebMessagingSession session, boolean autoStart) {
        int limit = session.maxCustomDataBytes();
        CustomAttributes.Fitted fitted = CustomAttributes.build(json, request, options, chatState, settings.skills(), settings.language(),
                limit);
        if (!fitted.dropped().isEmpty()) {
            LOG.warn("chat={} custom attributes {} do not fit in the session's {} bytes and were not sent", chatId, fitted.dropped(), limit);
        }
        if (request.connectSummary().isPresent()) {
            String id = "connect-summary-" + session.token();
            return sendText(id, StructuredMessage.guestText(request.connectSummary().get(), Map.of("customMessageId", id),
                    fitted.attributes(), List.of()));
        }
        if (!autoStart) {
            Map<String, String> first = new LinkedHashMap<>(fitted.attributes());
            first.putAll(pendingAttributes);
            pendingAttributes = CustomAttributes.fit(json, first, limit).attributes();
            LOG.debug("chat={} the deployment does not auto-start conversations: the routing attributes go with the first message", chatId);
            return CompletableFuture.completedFuture(null);
        }
        return sendEvent(StructuredMessage.guestEvent(StructuredMessage.Event.presence(PresenceType.JOIN))
                .withCustomAttributes(fitted.attributes()));
    }

    /**
     * The chat's details changed from {@code before} to {@code after}: web messaging has no participant update, so the
     * changed name and locale travel as custom attributes with the user's next message.
     */
    void stateChanged(ChatState before, ChatState after, ObjectMapper json, int maxCustomDataBytes) {
        Map<String, String> changed = new LinkedHashMap<>();
        after.displayName().filter(n -> !after.displayName().equals(before.displayName())).ifPresent(n -> changed.put("displayName", n));
        after.locale().filter(l -> !after.locale().equals(before.locale())).ifPresent(l -> changed.put("locale", l));
        attributesChanged(changed, json, maxCustomDataBytes);
    }

    /** Changed chat details, sent as custom attributes with the next message (fitted to the session's limit). */
    void attributesChanged(Map<String, String> changed, ObjectMapper json, int maxCustomDataBytes) {
        Map<String, String> merged = new LinkedHashMap<>(pendingAttributes);
        merged.putAll(changed);
        pendingAttributes = CustomAttributes.fit(json, merged, maxCustomDataBytes).attributes();
    }

    /** The user types: a {@code Typing On} event at most every 5 seconds (Genesys has no "stopped typing" from a guest). */
    void userTyping() {
        Instant now = clock.instant();
        if (lastUserTyping == null || !now.isBefore(lastUserTyping.plus(USER_TYPING_INTERVAL))) {
            lastUserTyping = now;
            sendEvent(StructuredMessage.guestEvent(StructuredMessage.Event.typingOn()));
        }
    }

    /** Queues a text; completes when Genesys confirmed it. {@code messageId} identifies it in its echo and the history. */
    CompletableFuture<Void> sendText(String messageId, StructuredMessage message) {
        return enqueue(new Outgoing(Kind.TEXT, Optional.of(messageId), message));
    }

    /** Queues an event; completes when it was written. */
    CompletableFuture<Void> sendEvent(StructuredMessage message) {
        return enqueue(new Outgoing(Kind.EVENT, Optional.empty(), message));
    }

    private CompletableFuture<Void> enqueue(Outgoing outgoing) {
        queue.add(outgoing);
        drain();
        return outgoing.done;
    }

    /** Sends what the queue holds, as far as the gate and the bucket allow. */
    void drain() {
        while (inFlight == null && !queue.isEmpty() && gate.mayWrite()) {
            Duration wait = bucket.tryTake();
            if (!wait.isZero()) {
                if (drainTimer == null) {
                    metrics.rateLimitWait(wait);
                    drainTimer = timers.schedule(wait, () -> {
                        drainTimer = null;
                        drain();
                    });
                }
                return;
            }
            Outgoing next = queue.poll();
            next.tracingId = WebMessagingSocket.nextTracingId(next.kind == Kind.TEXT ? "msg" : "event");
            if (next.kind == Kind.EVENT) {
                socket.send(Requests.OnMessage.of(token.get(), next.message, next.tracingId)).whenCompleteAsync((ignored, failure) -> {
                    if (failure == null) {
                        next.done.complete(null);
                    } else {
                        next.done.completeExceptionally(CompletionFailures.unwrap(failure));
                    }
                }, timers);
                continue;
            }
            inFlight = next;
            LOG.debug("chat={} sends text {}", chatId, next.tracingId);
            socket.request(Requests.OnMessage.of(token.get(), next.message, next.tracingId), next.tracingId, settings.sendTimeout(),
                            WebMessagingSender::answersAText)
                    .whenCompleteAsync((frame, failure) -> onAnswer(next, frame, failure), timers);
        }
    }

    private void onAnswer(Outgoing outgoing, Frame frame, Throwable failure) {
        LOG.debug("chat={} text {} answered: {}", chatId, outgoing.tracingId,
                failure != null ? CompletionFailures.unwrap(failure).getClass().getSimpleName() : frame.code() + " " + frame.className());
        if (inFlight != outgoing) {
            return; // confirmed another way (history) or abandoned
        }
        inFlight = null;
        if (failure != null) {
            Throwable cause = CompletionFailures.unwrap(failure);
            if (cause instanceof ConnectionLost && gate.running()) {
                queue.addFirst(outgoing); // confirmed from history or sent again after the reconnect
                return;
            }
            outgoing.done.completeExceptionally(cause instanceof TimeoutException
                    ? new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Genesys did not confirm the message in time",
                            "Your message could not be delivered. Please try again.", cause)
                    : cause);
            drain();
            return;
        }
        if (frame.isSuccess()) {
            outgoing.done.complete(null);
        } else if (isTooManyRequests(frame)) {
            slowDown(frame);
            queue.addFirst(outgoing);
        } else if (frame.code() == ErrorCode.SESSION_EXPIRED.code() || frame.code() == ErrorCode.SESSION_NOT_FOUND.code()) {
            outgoing.done.completeExceptionally(WebMessagingException.of("the message", frame));
            gate.ended("Genesys answered code " + frame.code());
            return;
        } else {
            outgoing.done.completeExceptionally(WebMessagingException.of("the message", frame));
        }
        drain();
    }

    /** The echo of the guest's own message: the confirmation of the text in flight with that custom message id. */
    void echoed(String customMessageId, Frame echo) {
        if (inFlight != null && inFlight.messageId.filter(customMessageId::equals).isPresent() && inFlight.tracingId != null) {
            socket.answer(inFlight.tracingId, echo);
        }
    }

    /**
     * Which answers without {@code tracingId} a text in flight takes as its own: the refusals Genesys gives a message
     * (too long, custom attributes too large, an attachment not usable, too many requests), which Genesys's messenger
     * SDK also pins on the message being sent. Anything else (a 403 for a typing event the deployment does not show,
     * say) is never taken for the text's answer.
     */
    static boolean answersAText(Frame frame) {
        if (frame.responseClass().filter(c -> c == ResponseClass.TOO_MANY_REQUESTS).isPresent()) {
            return true;
        }
        int code = frame.code();
        return code == ErrorCode.MESSAGE_TOO_LONG.code() || code == ErrorCode.CUSTOM_ATTRIBUTES_TOO_LARGE.code()
                || code == ErrorCode.REQUEST_RATE_TOO_HIGH.code() || code == 429 || code == 4008 || code == 4009 || code == 4010;
    }

    /** Genesys asked, outside any request, to slow down: the bucket pauses for its {@code retryAfter}. */
    void slowDown(Frame frame) {
        Duration wait = retryAfter(frame);
        LOG.info("chat={} Genesys asked to slow down for {} s", chatId, wait.toSeconds());
        bucket.pause(wait);
    }

    /** Whether {@code frame} asks to slow down: {@code TooManyRequestsErrorMessage}, code 429 or 4029. */
    static boolean isTooManyRequests(Frame frame) {
        return frame.code() == 429 || frame.code() == ErrorCode.REQUEST_RATE_TOO_HIGH.code()
                || frame.responseClass().filter(c -> c == ResponseClass.TOO_MANY_REQUESTS).isPresent();
    }

    /** How long a {@linkplain #isTooManyRequests slow-down} asks to wait: its {@code retryAfter}, at least a second. */
    private static Duration retryAfter(Frame frame) {
        return Duration.ofSeconds(Math.max(1, frame.body().path("retryAfter").asInt(1)));
    }

    /**
     * Sends one request of the user's end (Presence Clear, the closing message) at the pace of the user's messages,
     * which went before it: it waits for the bucket, and a slow-down answer pauses the bucket for its
     * {@code retryAfter} and sends it again, as a user message is. Gives up with a {@link TimeoutException} rather
     * than wait past {@code deadline}. The end runs after the queue was emptied ({@link #failAll}), so nothing of the
     * user's is queued behind it. Completes with Genesys's answer other than a slow-down.
     *
     * @param kind what is sent, for the tracing id and the failure ({@code clear}, {@code closing})
     * @param request the request to send under a tracing id
     * @param claim which answers without {@code tracingId} are this request's (a slow-down always is)
     */
    CompletableFuture<Frame> sendEnding(String kind, java.util.function.Function<String, Object> request, WebMessagingSocket.Claim claim,
            Instant deadline) {
        CompletableFuture<Frame> result = new CompletableFuture<>();
        sendEndingAttempt(kind, request, frame -> isTooManyRequests(frame) || claim.test(frame), deadline, result);
        return result;
    }

    private void sendEndingAttempt(String kind, java.util.function.Function<String, Object> request, WebMessagingSocket.Claim claim,
            Instant deadline, CompletableFuture<Frame> result) {
        if (result.isDone()) {
            return; // the end was confirmed another way, or gave up
        }
        Instant now = clock.instant();
        Duration wait = bucket.tryTake();
        if (!wait.isZero()) {
            if (now.plus(wait).isAfter(deadline)) {
                result.completeExceptionally(new TimeoutException("Genesys asked to wait " + wait.toMillis() + " ms before the " + kind
                        + ", past the end's budget (" + Duration.between(now, deadline).toMillis() + " ms left)"));
                return;
            }
            metrics.rateLimitWait(wait);
            timers.schedule(wait, () -> sendEndingAttempt(kind, request, claim, deadline, result));
            return;
        }
        Duration left = Duration.between(now, deadline);
        if (left.isNegative() || left.isZero()) {
            result.completeExceptionally(new TimeoutException("no time left in the end's budget for the " + kind));
            return;
        }
        String tracingId = WebMessagingSocket.nextTracingId(kind);
        socket.request(request.apply(tracingId), tracingId, left, claim).whenCompleteAsync((frame, failure) -> {
            if (failure != null) {
                result.completeExceptionally(CompletionFailures.unwrap(failure));
            } else if (isTooManyRequests(frame)) {
                slowDown(frame);
                sendEndingAttempt(kind, request, claim, deadline, result);
            } else {
                result.complete(frame);
            }
        }, timers);
    }

    /** The history shows the message with this custom id: it reached Genesys, whether or not its echo did. */
    void confirmedByHistory(String messageId) {
        if (inFlight != null && inFlight.messageId.filter(messageId::equals).isPresent()) {
            Outgoing confirmed = inFlight;
            inFlight = null;
            confirmed.done.complete(null);
            return;
        }
        Iterator<Outgoing> it = queue.iterator();
        while (it.hasNext()) {
            Outgoing queued = it.next();
            if (queued.messageId.filter(messageId::equals).isPresent()) {
                it.remove();
                queued.done.complete(null);
                return;
            }
        }
    }

    /** Fails everything queued or in flight: the chat ended. */
    void failAll(String reason) {
        failAll(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "The web messaging chat ended before the message was sent",
                reason, null));
    }

    /** Fails everything queued or in flight with {@code failure}. */
    void failAll(ServiceDeskException failure) {
        if (drainTimer != null) {
            drainTimer.cancel();
            drainTimer = null;
        }
        List<Outgoing> abandoned = new ArrayList<>(queue);
        queue.clear();
        if (inFlight != null) {
            abandoned.add(inFlight);
            inFlight = null;
        }
        for (Outgoing outgoing : abandoned) {
            outgoing.done.completeExceptionally(failure);
        }
    }

    /** Stops the pacing timer (the chat ends or its socket is gone). */
    void stop() {
        if (drainTimer != null) {
            drainTimer.cancel();
            drainTimer = null;
        }
    }
}

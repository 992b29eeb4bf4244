package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.DeliveredIds;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.CatchUpBuffer;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.SilenceWatch;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.guestchat.wire.MemberRole;
import io.deskbridge.genesys.guestchat.wire.MemberState;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import io.deskbridge.genesys.guestchat.wire.WebChatMessage;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.ErrorInfo;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream of one guest chat, kept open: opened (with retries while the chat starts), watched for silence
 * (after {@code genesys.streamIdleTimeout} with no frame, a WebSocket ping; dropped only if nothing answers within
 * {@code genesys.requestTimeout}: that Genesys heartbeats the guest stream every 30 s is not documented, so a quiet
 * stream is asked rather than assumed dead, see {@link SilenceWatch}), reported as {@code Disconnected(true)} when lost, reopened with backoff and
 * caught up through {@code GET members} and {@code GET messages} after the last message seen, while the new stream's
 * frames wait in a {@link CatchUpBuffer} (so order is kept and nothing is doubled); then {@code Disconnected(false)}.
 * Frames and catch-ups are handled one after the other by {@link GuestChatConversation}. On the chat's lane only.
 */
final class GuestChatStream {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatStream.class);

    /** What the stream needs to know of its chat. Called on the lane. */
    interface Chat {
        /** Whether the chat is starting or active and its conversation has not ended. */
        boolean isOpen();

        /** Whether the chat started (a lost stream is then reported). */
        boolean isActive();

        /** Whether the chat is still starting. */
        boolean isStarting();

        GuestSession session();

        GuestChatConversation conversation();

        /** The stream could not be reopened and the user was told: the desk ends the chat. */
        void lost();
    }

    private final String chatId;
    private final GuestChatRuntime runtime;
    private final GenesysSettings settings;
    private final GuestChatApi api;
    private final ChatLane serial;
    private final CallbackGate callback;
    private final Chat chat;
    /** The new stream's frames wait here while a catch-up reads what the old one missed. */
    private final CatchUpBuffer<String> frames;
    private CompletableFuture<Void> events = CompletableFuture.completedFuture(null);
    private GuestChatEventStream stream;
    private int streamGeneration;
    private int reconnectAttempts;
    private final DeskMetrics metrics;
    /** How many messages the last catch-up read. */
    private int caughtUpMessages;
    private boolean disconnectedReported;
    private ScheduledFuture<?> reconnectTask;
    /** Watches the open stream for silence; empty while none is open or with the check off. */
    private Optional<SilenceWatch> silence = Optional.empty();

    GuestChatStream(String chatId, GuestChatRuntime runtime, ChatLane lane, CallbackGate callback, Chat chat, DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.settings = runtime.settings();
        this.api = runtime.api();
        this.serial = requireNonNull(lane, "lane is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.chat = requireNonNull(chat, "chat is null");
        this.frames = new CatchUpBuffer<>(frame -> Optional.empty(), new DeliveredIds(),
                frame -> enqueue(() -> chat.conversation().handleFrame(frame)));
    }

    /** Frames wait until the next {@link #catchUp()} is done (a resumed chat reads what it missed first). */
    void hold() {
        frames.hold();
    }

    /** Closes the stream and stops its timers; nothing more is reported. */
    void close() {
        streamGeneration++;
        if (stream != null) {
            stream.close();
            stream = null;
        }
        cancel(reconnectTask);
        stopSilenceWatch();
        frames.clear();
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Opens the event stream; completes on the serial executor once it is open. */
    CompletableFuture<Void> open() {
        int generation = ++streamGeneration;
        GuestChatEventStream.Listener listener = new GuestChatEventStream.Listener() {
            @Override
            public void onFrame(String text) {
                serial.execute(() -> frameArrived(generation, text));
            }

            @Override
            public void onClosed(int statusCode, String reason, Throwable error) {
                serial.execute(() -> streamLost(generation, statusCode + (reason == null || reason.isBlank() ? "" : " " + reason), error));
            }

            @Override
            public void onAlive() {
                serial.execute(() -> {
                    if (generation == streamGeneration) {
                        silence.ifPresent(SilenceWatch::heard);
                    }
                });
            }
        };
        return GuestChatEventStream.open(runtime.sockets().clientFor(chatId), chat.session().eventStreamUri(), settings.requestTimeout(),
                settings.origin(), listener)
                .thenApplyAsync(opened -> {
                    if (generation != streamGeneration || !chat.isOpen()) {
                        opened.close();
                        return null;
                    }
                    stream = opened;
                    watchSilence(generation, opened);
                    LOG.debug("chat={} event stream open", chatId);
                    return null;
                }, serial);
    }

    private void frameArrived(int generation, String text) {
        if (generation != streamGeneration) {
            return;
        }
        silence.ifPresent(SilenceWatch::heard);
        frames.offer(text);
    }

    /** Runs {@code step} after every event queued before it; a failing step is logged and does not stop the queue. */
    private CompletableFuture<Void> enqueue(Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> next = events.thenComposeAsync(ignored -> {
            try {
                return step.get();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, serial);
        events = next.exceptionally(failure -> {
            LOG.error("chat={} failed to handle a Genesys event", chatId, CompletionFailures.unwrap(failure));
            return null;
        });
        return next;
    }

    private void streamLost(int generation, String why, Throwable error) {
        if (generation != streamGeneration) {
            return;
        }
        stream = null;
        stopSilenceWatch();
        if (!chat.isOpen()) {
            return;
        }
        LOG.warn("chat={} Genesys event stream lost ({}){}", chatId, why, error == null ? "" : ": " + GuestChatErrors.describe(error));
        reportDisconnected();
        scheduleStreamReconnect();
    }

    private void reportDisconnected() {
        if (!disconnectedReported && chat.isActive()) {
            disconnectedReported = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    private void scheduleStreamReconnect() {
        int attempt = ++reconnectAttempts;
        if (attempt > settings.streamReconnect().maxRetries()) {
            giveUp();
            return;
        }
        Duration delay = settings.streamReconnect().backoff(attempt);
        LOG.info("chat={} reopening the event stream in {} ms (attempt {} of {})", chatId, delay.toMillis(), attempt,
                settings.streamReconnect().maxRetries());
        cancel(reconnectTask);
        reconnectTask = runtime.scheduler().schedule(() -> serial.execute(this::reopen), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reopen() {
        if (!chat.isOpen()) {
            return;
        }
        frames.clear(); // frames of the stream that was lost
        frames.hold();
        open().thenComposeAsync(opened -> catchUp(), serial).whenCompleteAsync((ignored, failure) -> {
            if (!chat.isOpen()) {
                return;
            }
            if (failure == null && stream == null) {
                // The new stream was lost while the history was read: streamLost already scheduled the next attempt,
                // and reporting the chat restored now would leave it on no stream until that attempt.
                metrics.vendorReconnect(false);
                LOG.info("chat={} the reopened event stream was lost during the catch-up; trying again", chatId);
                return;
            }
            if (failure == null) {
                reconnectAttempts = 0;
                metrics.vendorReconnect(true);
                metrics.vendorCatchUp(caughtUpMessages);
                LOG.info("chat={} event stream back, caught up after message {}", chatId, chat.conversation().lastMessageId().orElse("(none)"));
                if (disconnectedReported) {
                    disconnectedReported = false;
                    callback.setErrorStatus(new ErrorInfo.Disconnected(false));
                }
                return;
            }
            metrics.vendorReconnect(false);
            Throwable cause = CompletionFailures.unwrap(failure);
            LOG.warn("chat={} could not reopen the event stream: {}", chatId, GuestChatErrors.describe(cause));
            if (stream != null) {
                stream.abort();
                stream = null;
            }
            frames.clear();
            if (GuestChatErrors.isChatOver(cause) || isRefusedHandshake(cause)) {
                checkChatStillThere();
            } else {
                scheduleStreamReconnect();
            }
        }, serial);
    }

    /**
     * Attaches the new chat's event stream, trying again after a failure that may pass (an I/O failure, a 5xx or 429
     * answer to the handshake) up to {@code genesys.maxRetries} times with the REST backoff: routing starts only once
     * the stream is attached, so nothing is lost or doubled by another attempt. On the chat's serial executor.
     */
    CompletableFuture<Void> openForStart(int retried) {
        return open().handleAsync((opened, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = CompletionFailures.unwrap(failure);
            int retry = retried + 1;
            if (retry > settings.restRetry().maxRetries() || !chat.isStarting() || !GenesysSocketClients.mayOpenOnRetry(cause)) {
                return CompletableFuture.<Void>failedFuture(cause);
            }
            Duration wait = settings.restRetry().backoff(retry);
            LOG.info("chat={} could not attach the event stream ({}), trying again in {} ms (retry {} of {})", chatId,
                    GuestChatErrors.describe(cause), wait.toMillis(), retry, settings.restRetry().maxRetries());
            CompletableFuture<Void> next = new CompletableFuture<>();
            runtime.scheduler().schedule(() -> serial.execute(() -> {
                if (!chat.isStarting()) {
                    next.completeExceptionally(cause);
                    return;
                }
                openForStart(retry).whenComplete((ok, again) -> {
                    if (again == null) {
                        next.complete(null);
                    } else {
                        next.completeExceptionally(CompletionFailures.unwrap(again));
                    }
                });
            }), wait.toMillis(), TimeUnit.MILLISECONDS);
            return next;
        }, serial).thenCompose(f -> f);
    }

    private static boolean isRefusedHandshake(Throwable cause) {
        return cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null
                && handshake.getResponse().statusCode() >= 400 && handshake.getResponse().statusCode() < 500;
    }

    /** The stream or the catch-up was refused: the chat may be over at Genesys. */
    private void checkChatStillThere() {
        api.member(chat.session(), chat.session().memberId()).whenCompleteAsync((guest, failure) -> {
            if (!chat.isOpen()) {
                return;
            }
            boolean over = failure == null ? guest.state() == MemberState.DISCONNECTED
                    : GuestChatErrors.isChatOver(failure) || GuestChatErrors.isUnauthorized(failure);
            if (over) {
                chat.conversation().reconcile(List.of(new WebChatMember(chat.session().memberId(), Optional.empty(), Optional.empty(),
                        MemberRole.CUSTOMER, MemberState.DISCONNECTED)));
            } else {
                scheduleStreamReconnect();
            }
        }, serial);
    }

    /**
     * Reads what was missed while the stream was down: the members (joins, departures, the end) and every message
     * after the last one seen, handled in order; then the frames the new stream delivered meanwhile.
     */
    CompletableFuture<Void> catchUp() {
        return enqueue(() -> api.members(chat.session())
                .thenComposeAsync(list -> chat.conversation().reconcile(list), serial)
                .thenComposeAsync(ignored -> api.messagesAfter(chat.session(), chat.conversation().lastMessageId()), serial)
                .thenComposeAsync(messages -> {
                    caughtUpMessages = messages.size();
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    for (WebChatMessage message : messages) {
                        chain = chain.thenComposeAsync(ignored -> chat.conversation().handleMessage(message), serial);
                    }
                    return chain;
                }, serial)
                .thenApplyAsync(ignored -> {
                    frames.caughtUp(List.of()); // the frames the new stream delivered meanwhile, in order
                    return null;
                }, serial));
    }

    private void giveUp() {
        LOG.error("chat={} Genesys event stream could not be reopened after {} attempts; ending the chat", chatId,
                settings.streamReconnect().maxRetries());
        if (chat.conversation().anyAgentJoined()) {
            callback.sendMessageToUser(AgentMessage.notice("deskbridge-connection-lost-" + chatId,
                    "The connection to the contact center was lost, so this chat has ended."));
            callback.agentEndedChat();
        } else {
            callback.setErrorStatus(ErrorInfo.Connecting.of("The connection to the contact center was lost. Please try again later."));
        }
        chat.lost();
    }

    /** Watches the stream just opened: pinged after the idle timeout with no frame, lost if the ping is not answered. */
    private void watchSilence(int generation, GuestChatEventStream opened) {
        stopSilenceWatch();
        Duration idle = settings.streamIdleTimeout();
        if (idle.isZero()) {
            return;
        }
        SilenceWatch watch = new SilenceWatch(serial, idle, settings.requestTimeout(), new SilenceWatch.Probe() {
            @Override
            public CompletableFuture<?> ping() {
                LOG.debug("chat={} event stream quiet for {} ms; pinging it", chatId, idle.toMillis());
                return opened.ping();
            }

            @Override
            public void silent(String why) {
                if (generation == streamGeneration && stream == opened) {
                    opened.abort();
                    streamLost(generation, why, null);
                }
            }
        });
        silence = Optional.of(watch);
        watch.start();
    }

    private void stopSilenceWatch() {
        silence.ifPresent(SilenceWatch::stop);
        silence = Optional.empty();
    }
}

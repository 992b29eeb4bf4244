package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.ChatLane;
import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.genesys.webmessaging.WebMessagingSession.Resumed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a dropped chat back: attempts with backoff ({@code genesys.webMessagingReconnectBackoff}, doubled up to its
 * maximum) until the session is resumed, Genesys says it is gone, or {@code genesys.webMessagingReconnectTimeout}
 * passed since the drop.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingReconnects {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingReconnects.class);

    /** What the reconnects ask of the chat. Called on the serial executor. */
    interface Chat {
        /** Whether the chat still waits for its socket (it may have ended meanwhile). */
        boolean reconnecting();

        /** The attempt succeeded: the chat delivers what was missed and runs again. */
        void resumed(Resumed resumed);

        /** The chat cannot be brought back: it ends. */
        void ended(String reason);
    }

    private final String chatId;
    private final WebMessagingSettings settings;
    private final Clock clock;
    private final ChatLane timers;
    private final WebMessagingSession session;
    private final WebMessagingConversation conversation;
    private final WebMessagingSocket socket;
    private final Chat chat;
    private final DeskMetrics metrics;
    private ChatLane.Timer timer;
    private int attempts;
    private Instant since;

    WebMessagingReconnects(String chatId, WebMessagingSettings settings, Clock clock, ChatLane timers, WebMessagingSession session,
            WebMessagingConversation conversation, WebMessagingSocket socket, Chat chat, DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.session = requireNonNull(session, "session is null");
        this.conversation = requireNonNull(conversation, "conversation is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.chat = requireNonNull(chat, "chat is null");
    }

    /** The socket dropped: the first attempt after the first backoff. */
    void start() {
        since = clock.instant();
        attempts = 0;
        schedule();
    }

    /** The attempt that looked successful lost its new socket before the chat was open again: the next attempt. */
    void again() {
        metrics.vendorReconnect(false);
        socket.close();
        schedule();
    }

    void stop() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void schedule() {
        attempts++;
        Duration wait = session.backoff(attempts);
        timer = timers.schedule(wait, this::attempt);
    }

    private void attempt() {
        if (!chat.reconnecting()) {
            return;
        }
        if (Duration.between(since, clock.instant()).compareTo(settings.reconnectTimeout()) > 0) {
            LOG.warn("chat={} gave up reconnecting the web messaging socket after {}", chatId, settings.reconnectTimeout());
            chat.ended("the connection could not be restored");
            return;
        }
        LOG.debug("chat={} reconnect attempt {}", chatId, attempts);
        session.resume(conversation, WebMessagingSession.lookBehind(settings)).whenCompleteAsync((resumed, failure) -> {
            if (!chat.reconnecting()) {
                return;
            }
            if (failure == null) {
                metrics.vendorReconnect(true);
                metrics.vendorCatchUp(resumed.missed().size());
                chat.resumed(resumed);
                return;
            }
            metrics.vendorReconnect(false);
            Throwable cause = CompletionFailures.unwrap(failure);
            if (cause instanceof WebMessagingException wme && wme.isSessionGone()) {
                chat.ended("Genesys answered code " + wme.code() + " on reconnect");
                return;
            }
            LOG.info("chat={} reconnect attempt {} failed: {}", chatId, attempts, cause.toString());
            socket.close();
            schedule();
        }, timers);
    }
}

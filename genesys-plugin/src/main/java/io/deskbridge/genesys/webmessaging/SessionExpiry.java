package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a chat's Genesys session would expire without activity, and what the desk does then, as Genesys's messenger
 * SDK does ({@code SessionDurationHandler}): the desk never ends a chat on its own clock. Genesys gives an
 * {@code expirationDate} and a {@code durationSeconds} (in the {@code SessionResponse}, and sometimes in an echo's
 * answer); every message sent or received pushes the expiry to now plus the duration. When the expiry passes, the
 * desk asks Genesys with an {@code echo}: an answer means the session lives on (its {@code expirationDate}, if it
 * carries one, is the next check; otherwise one duration from now); a 4006 or 4007 answer, or none within the send
 * timeout, means the session is gone and the chat ends. Genesys's own {@code SessionExpiredEvent} and 4006/4007
 * frames end the chat elsewhere, whenever they come.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class SessionExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);
    /** The clocks of Genesys and this host differ a little. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final String chatId;
    private final ChatLane timers;
    private final Supplier<CompletableFuture<Frame>> echo;
    private final Runnable expired;

    private OptionalLong durationSeconds = OptionalLong.empty();
    /** The expiry Genesys last named. */
    private Instant genesysExpiry;
    /** The expiry the last activity implies: its time plus the duration. */
    private Instant activityExpiry;
    private ChatLane.Timer timer;
    private boolean checking;
    private boolean stopped;

    /**
     * @param echo sends an {@code echo} and completes with its answer; fails with a {@link TimeoutException} when
     *     Genesys does not answer in time, otherwise when the socket is not open
     * @param expired ends the chat: Genesys says, or shows, the session is gone
     */
    SessionExpiry(String chatId, ChatLane timers, Supplier<CompletableFuture<Frame>> echo, Runnable expired) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.echo = requireNonNull(echo, "echo is null");
        this.expired = requireNonNull(expired, "expired is null");
    }

    /** Genesys said how long the session lives without activity. */
    void duration(OptionalLong seconds) {
        seconds.stream().filter(s -> s > 0).forEach(s -> durationSeconds = OptionalLong.of(s));
    }

    /** Genesys said when the session expires; the date it names last is the one that counts, with any later activity. */
    void expiresAt(Instant expiry) {
        requireNonNull(expiry, "expiry is null");
        if (stopped || expiry.equals(genesysExpiry) && (timer != null || checking)) {
            return; // already watched (a check that found no socket leaves it unwatched until the session is configured again)
        }
        genesysExpiry = expiry;
        schedule();
    }

    /** A message was sent or received: the session lives on for its duration from now. */
    void activity() {
        if (durationSeconds.isPresent()) {
            activityExpiry = Instant.now().plusSeconds(durationSeconds.getAsLong());
        }
    }

    /** Stops watching: the chat ends. */
    void stop() {
        stopped = true;
        cancel();
    }

    /** The expiry that counts now: Genesys's, or later activity's. */
    Instant deadline() {
        if (activityExpiry != null && (genesysExpiry == null || activityExpiry.isAfter(genesysExpiry))) {
            return activityExpiry;
        }
        return genesysExpiry;
    }

    private void schedule() {
        cancel();
        Instant deadline = deadline();
        if (stopped || deadline == null) {
            return;
        }
        Duration wait = Duration.between(Instant.now(), deadline).plus(GRACE);
        timer = timers.schedule(wait.isNegative() ? Duration.ZERO : wait, this::due);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void due() {
        timer = null;
        if (stopped || checking) {
            return;
        }
        if (Instant.now().isBefore(deadline())) {
            schedule(); // activity since: the session lives on
            return;
        }
        checking = true;
        LOG.debug("chat={} the web messaging session reached its expiry; asking Genesys with an echo", chatId);
        CompletableFuture<Frame> answer;
        try {
            answer = echo.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenCompleteAsync((frame, failure) -> {
            checking = false;
            if (stopped) {
                return;
            }
            if (failure != null) {
                Throwable cause = CompletionFailures.unwrap(failure);
                if (cause instanceof TimeoutException) {
                    LOG.info("chat={} Genesys did not answer the echo at the session's expiry: the session is gone", chatId);
                    expired.run();
                } else {
                    // The socket went away: the reconnection configures the session again, which says whether it lives.
                    LOG.debug("chat={} could not check the session at its expiry: {}", chatId, cause.toString());
                }
                return;
            }
            if (!frame.isSuccess() && (frame.code() == 4006 || frame.code() == 4007)) {
                LOG.info("chat={} Genesys answered the echo at the session's expiry with {}", chatId, frame.code());
                expired.run();
                return;
            }
            alive(frame);
        }, timers);
    }

    /** Genesys answered the echo: the session lives; the next check is at the date it names, or a duration from now. */
    private void alive(Frame frame) {
        String date = frame.body().path("metadata").path("expirationDate").asText("");
        String seconds = frame.body().path("metadata").path("durationSeconds").asText("");
        if (!seconds.isEmpty() && seconds.chars().allMatch(Character::isDigit)) {
            duration(OptionalLong.of(Long.parseLong(seconds)));
        }
        activity(); // the echo is the latest sign of life
        if (!date.isEmpty() && date.chars().allMatch(Character::isDigit) && Instant.ofEpochSecond(Long.parseLong(date)).isAfter(Instant.now())) {
            genesysExpiry = Instant.ofEpochSecond(Long.parseLong(date));
        }
        if (deadline() != null && deadline().isAfter(Instant.now())) {
            schedule();
        } else {
            LOG.debug("chat={} Genesys answered the echo at the session's expiry without a new expiry; watching for its events", chatId);
        }
    }
}

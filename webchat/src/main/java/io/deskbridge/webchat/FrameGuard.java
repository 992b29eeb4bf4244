package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What one chat socket may cost, checked before its frames are parsed: the text it sends per second after
 * decompression ({@code webchat.maxInboundBytesPerSecond}), the frames per second ({@code webchat.maxMessagesPerSecond}),
 * how many frames it may have dropped before it is disconnected ({@code webchat.maxDroppedFrames}), the time it has to
 * say {@code hello} ({@code webchat.helloTimeout}), its slot among its address's sockets, and its address's budget of
 * new sessions. One per socket; its methods are called one at a time (Jetty delivers a socket's frames in turn), the
 * hello timer excepted.
 */
final class FrameGuard {
    /** What to do with a frame. */
    enum Verdict {
        /** Handle it. */
        ACCEPT,
        /** Drop it and tell the client why ({@code RATE_LIMITED}). */
        REFUSE,
        /** Drop it silently: the client was told a moment ago, and every answer would be more work for a flood. */
        DROP,
        /** Close the socket with 1008: the client keeps sending more than it may. */
        DISCONNECT
    }

    private static final double ERROR_FRAMES_PER_SECOND = 1;
    /**
     * How long a socket whose hello was refused (busy, not authenticated) has for the next one: the bundled page asks
     * again on the same socket 20 to 40 seconds after SERVER_BUSY, and closing it sooner would only make it reconnect.
     */
    static final Duration HELLO_AGAIN_TIMEOUT = Duration.ofSeconds(60);

    private final String client;
    private final ClientAdmission admission;
    private final RateLimiter bytes;
    private final RateLimiter frames;
    private final RateLimiter dropAllowance;
    private final RateLimiter errorFrames;
    private final ScheduledExecutorService scheduler;
    private final Duration helloTimeout;
    private ScheduledFuture<?> helloTimer;
    private Runnable onHelloTimeout;
    private boolean released;

    FrameGuard(String client, ClientAdmission admission, ClientLimits limits, int maxMessagesPerSecond, int maxFrameBytes,
            ScheduledExecutorService scheduler, LongSupplier nanoTime) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.helloTimeout = limits.helloTimeout();
        this.client = requireNonNull(client, "client is null");
        this.admission = requireNonNull(admission, "admission is null");
        int rate = limits.maxInboundBytesPerSecond();
        this.bytes = new RateLimiter(Math.max(rate, 2.0 * maxFrameBytes), rate, nanoTime);
        this.frames = new RateLimiter(maxMessagesPerSecond, nanoTime);
        // Refills by one every 2 seconds: a page that sends a burst now and then is never closed, a script that keeps
        // sending faster than the limit is, within seconds.
        this.dropAllowance = new RateLimiter(limits.maxDroppedFrames(), 0.5, nanoTime);
        this.errorFrames = new RateLimiter(ERROR_FRAMES_PER_SECOND, ERROR_FRAMES_PER_SECOND, nanoTime);
    }

    /** The client (address) this socket counts against. */
    String client() {
        return client;
    }

    /**
     * Counts a text frame's UTF-8 size against the inbound budget, before it is parsed: {@link Verdict#ACCEPT} or
     * {@link Verdict#DISCONNECT}.
     */
    Verdict inbound(long utf8Bytes) {
        return bytes.take(utf8Bytes) ? Verdict.ACCEPT : Verdict.DISCONNECT;
    }

    /**
     * Counts a frame against the frame rate. A dropped frame that names a message is always answered (the page
     * marks that message failed and may send it again); other dropped frames are answered at most once a second.
     */
    Verdict frame(boolean namesMessage) {
        if (frames.tryAcquire()) {
            return Verdict.ACCEPT;
        }
        if (!dropAllowance.tryAcquire()) {
            return Verdict.DISCONNECT;
        }
        return namesMessage || errorFrames.tryAcquire() ? Verdict.REFUSE : Verdict.DROP;
    }

    /** Takes one new session from the client's budget (and the verified user's): false when spent. */
    boolean admitNewSession(Optional<String> verifiedUser) {
        return admission.admitNewSession(client, verifiedUser);
    }

    /** See {@link ClientAdmission#refusedHelloLog()}. */
    long refusedHelloLog() {
        return admission.refusedHelloLog();
    }

    /**
     * Starts the hello timer: {@code onTimeout} runs if {@link #greeted()} is not called within
     * {@code webchat.helloTimeout}, so that sockets that never say hello do not live for the full idle timeout.
     */
    synchronized void awaitHello(Runnable onTimeout) {
        onHelloTimeout = requireNonNull(onTimeout, "onTimeout is null");
        schedule(helloTimeout);
    }

    /** The socket's hello was refused: it has {@link #HELLO_AGAIN_TIMEOUT} (or the hello timeout, if longer) for another. */
    synchronized void helloRefused() {
        if (onHelloTimeout != null) {
            schedule(helloTimeout.compareTo(HELLO_AGAIN_TIMEOUT) > 0 ? helloTimeout : HELLO_AGAIN_TIMEOUT);
        }
    }

    private void schedule(Duration timeout) {
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        if (!released) {
            helloTimer = scheduler.schedule(onHelloTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The socket said hello and was attached: the hello timer stops. */
    synchronized void greeted() {
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
    }

    /** The socket closed: its slot among its address's sockets is given back (once). */
    synchronized void closed() {
        greeted();
        if (!released) {
            released = true;
            admission.connectionClosed(client);
        }
    }
}

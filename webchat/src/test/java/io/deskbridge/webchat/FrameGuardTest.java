package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A socket's frame guard")
class FrameGuardTest {
    private final AtomicLong now = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ClientLimits limits = ClientLimits.defaults();
    private final ClientAdmission admission = new ClientAdmission(limits, now::get);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private FrameGuard guard() {
        return new FrameGuard("127.0.0.1", admission, limits, 10, 32 * 1024, scheduler, now::get);
    }

    @Test
    @DisplayName("answers dropped frames at most once a second (messages always), and disconnects a socket that keeps flooding")
    void floods() {
        FrameGuard guard = guard();
        List<FrameGuard.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            verdicts.add(guard.frame(false));
        }
        assertThat(verdicts.subList(0, 10)).containsOnly(FrameGuard.Verdict.ACCEPT);
        assertThat(verdicts.get(10)).isEqualTo(FrameGuard.Verdict.REFUSE);
        assertThat(verdicts.subList(11, 40)).containsOnly(FrameGuard.Verdict.DROP);
        assertThat(guard.frame(true)).isEqualTo(FrameGuard.Verdict.REFUSE);

        FrameGuard.Verdict last = FrameGuard.Verdict.DROP;
        int frames = 0;
        while (last != FrameGuard.Verdict.DISCONNECT && frames < 1_000) {
            now.addAndGet(Duration.ofMillis(20).toNanos()); // 50 frames a second, five times the limit
            last = guard.frame(false);
            frames++;
        }
        assertThat(last).isEqualTo(FrameGuard.Verdict.DISCONNECT);
        assertThat(frames).isLessThan(100);
    }

    @Test
    @DisplayName("a page within the limit, with a burst now and then, is never disconnected")
    void politePage() {
        FrameGuard guard = guard();
        for (int second = 0; second < 600; second++) {
            int frames = second % 60 == 0 ? 15 : 5; // a burst over the limit once a minute
            for (int f = 0; f < frames; f++) {
                assertThat(guard.frame(true)).isNotEqualTo(FrameGuard.Verdict.DISCONNECT);
            }
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
    }

    @Test
    @DisplayName("counts inbound bytes after decompression: a burst of twice the frame limit passes, a sustained stream over the rate does not")
    void inboundBytes() {
        FrameGuard guard = guard();
        assertThat(guard.inbound(128 * 1024)).isEqualTo(FrameGuard.Verdict.ACCEPT);
        assertThat(guard.inbound(1)).isEqualTo(FrameGuard.Verdict.DISCONNECT);
        FrameGuard steady = guard();
        for (int i = 0; i < 100; i++) {
            now.addAndGet(Duration.ofMillis(100).toNanos());
            assertThat(steady.inbound(12 * 1024)).isEqualTo(FrameGuard.Verdict.ACCEPT);
        }
    }

    @Test
    @DisplayName("closes a socket that says nothing; a refused hello gets a longer wait; a greeted socket is never closed for it")
    void helloTimer() {
        ClientLimits quick = new ClientLimits(30, 10, Duration.ofSeconds(15), 256 * 1024, 1024 * 1024, 128 * 1024, 50,
                Duration.ofMillis(50), 64, List.of(), List.of());
        AtomicInteger timeouts = new AtomicInteger();
        FrameGuard silent = new FrameGuard("a", admission, quick, 10, 32 * 1024, scheduler, now::get);
        silent.awaitHello(timeouts::incrementAndGet);
        Await.until(() -> timeouts.get() == 1, "the hello timeout");

        AtomicInteger refusedTimeouts = new AtomicInteger();
        FrameGuard refused = new FrameGuard("b", admission, quick, 10, 32 * 1024, scheduler, now::get);
        refused.awaitHello(refusedTimeouts::incrementAndGet);
        refused.helloRefused();
        AtomicInteger greetedTimeouts = new AtomicInteger();
        FrameGuard greeted = new FrameGuard("c", admission, quick, 10, 32 * 1024, scheduler, now::get);
        greeted.awaitHello(greetedTimeouts::incrementAndGet);
        greeted.greeted();
        // A probe armed after both, with the same short timeout, fires after theirs would have: the scheduler runs
        // its timers in order.
        AtomicInteger probe = new AtomicInteger();
        new FrameGuard("d", admission, quick, 10, 32 * 1024, scheduler, now::get).awaitHello(probe::incrementAndGet);
        Await.until(() -> probe.get() == 1, "the probe's hello timeout");
        assertThat(refusedTimeouts.get()).as("a refused hello waits 60 s for the next").isZero();
        assertThat(greetedTimeouts.get()).isZero();
    }

    @Test
    @DisplayName("gives its address's socket slot back once, however often the socket reports its end")
    void slot() {
        ClientLimits two = new ClientLimits(30, 10, Duration.ofSeconds(15), 256 * 1024, 1024 * 1024, 128 * 1024, 50,
                Duration.ofSeconds(10), 2, List.of(), List.of());
        ClientAdmission perAddress = new ClientAdmission(two, now::get);
        assertThat(perAddress.connectionOpened("x")).isTrue();
        assertThat(perAddress.connectionOpened("x")).isTrue();
        assertThat(perAddress.connectionOpened("x")).isFalse();
        FrameGuard guard = new FrameGuard("x", perAddress, two, 10, 32 * 1024, scheduler, now::get);
        guard.closed();
        guard.closed();
        assertThat(perAddress.openConnections("x")).isEqualTo(1);
        assertThat(perAddress.admitNewSession("x", Optional.empty())).isTrue();
    }
}

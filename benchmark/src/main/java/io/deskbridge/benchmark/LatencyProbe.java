package io.deskbridge.benchmark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One direction of one path: each message text is {@linkplain #sent sent} at one end and {@linkplain #arrived arrived}
 * at the other, timed with {@link System#nanoTime()} in this JVM; the delays go into an HdrHistogram (nanoseconds,
 * three significant digits). Texts are unique per chat and round.
 */
final class LatencyProbe {
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(10);

    private final String name;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Histogram histogram = new ConcurrentHistogram(HIGHEST, 3);
    private final Histogram stage = new ConcurrentHistogram(HIGHEST, 3);
    private final AtomicLong unexpected = new AtomicLong();

    LatencyProbe(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The message left its sender now. */
    void sent(String text) {
        pending.put(text, System.nanoTime());
    }

    /** The message reached its receiver now; texts this probe did not send (or already saw) are ignored. */
    boolean arrived(String text) {
        long now = System.nanoTime();
        Long at = pending.remove(text);
        if (at == null) {
            return false;
        }
        long delay = Math.min(HIGHEST, Math.max(0, now - at));
        histogram.recordValue(delay);
        stage.recordValue(delay);
        return true;
    }

    /** Sent and not arrived yet. */
    int pending() {
        return pending.size();
    }

    /** Gives up on every message still pending, returning how many there were. */
    int abandonPending() {
        int n = pending.size();
        pending.clear();
        unexpected.addAndGet(n);
        return n;
    }

    long lost() {
        return unexpected.get();
    }

    Histogram histogram() {
        return histogram;
    }

    /** What arrived since the last call (one stage of the run), and starts the next stage afresh. */
    Histogram takeStage() {
        Histogram copy = stage.copy();
        stage.reset();
        return copy;
    }
}

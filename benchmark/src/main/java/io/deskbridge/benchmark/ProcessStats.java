package io.deskbridge.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Live threads and heap of one JVM at one moment.
 *
 * @param liveThreads live threads ({@code ThreadMXBean.getThreadCount()}, daemons included)
 * @param heapUsedAfterGc used heap after a full collection: the least of three samples, each after {@code System.gc()}
 * @param heapCommitted the committed heap at the last sample
 * @param threadsByPool live threads by name with the numbers taken out ({@code webchat-12} counts as {@code webchat-#})
 */
record ProcessStats(int liveThreads, long heapUsedAfterGc, long heapCommitted, Map<String, Integer> threadsByPool) {

    ProcessStats {
        threadsByPool = Collections.unmodifiableMap(new TreeMap<>(threadsByPool));
    }

    /** This JVM now. Collects three times (a few hundred milliseconds, more with a large heap). */
    static ProcessStats sample() {
        long least = Long.MAX_VALUE;
        MemoryUsage usage = null;
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                TimeUnit.MILLISECONDS.sleep(100); // lets reference processing and G1's concurrent cycle settle
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            least = Math.min(least, usage.getUsed());
        }
        Map<String, Integer> pools = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            pools.merge(thread.getName().replaceAll("\\d+", "#").replace(' ', '_'), 1, Integer::sum);
        }
        return new ProcessStats(ManagementFactory.getThreadMXBean().getThreadCount(), least,
                usage == null ? 0 : usage.getCommitted(), pools);
    }

    /** The one-line form a child process prints. */
    String line() {
        StringBuilder line = new StringBuilder("STATS " + liveThreads + " " + heapUsedAfterGc + " " + heapCommitted);
        threadsByPool.forEach((pool, count) -> line.append(' ').append(pool).append('=').append(count));
        return line.toString();
    }

    static ProcessStats parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length < 4 || !parts[0].equals("STATS")) {
            throw new IllegalStateException("not a stats line: " + line);
        }
        Map<String, Integer> pools = new TreeMap<>();
        for (int i = 4; i < parts.length; i++) {
            int eq = parts[i].lastIndexOf('=');
            pools.put(parts[i].substring(0, eq), Integer.parseInt(parts[i].substring(eq + 1)));
        }
        return new ProcessStats(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]), pools);
    }
}

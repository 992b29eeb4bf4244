package io.deskbridge.benchmark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class histogram of a JVM's live heap, from {@code jcmd <pid> GC.class_histogram} (which collects first), and the
 * difference of two as bytes and instances per chat: what a chat holds, class by class.
 */
record HeapHistogram(Map<String, long[]> byClass) {
    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    HeapHistogram {
        byClass = Map.copyOf(byClass);
    }

    /** The live heap of process {@code pid} now, by class: instances and bytes. */
    static HeapHistogram of(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: " + text.lines().findFirst().orElse(""));
            }
            return parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Writes an HPROF dump of the live heap of process {@code pid} to {@code file} ({@code jcmd GC.heap_dump}). */
    static void dump(long pid, String file) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_dump", Path.of(file).toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(5, TimeUnit.MINUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static HeapHistogram parse(String text) {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return new HeapHistogram(classes);
    }

    long totalBytes() {
        return byClass.values().stream().mapToLong(v -> v[1]).sum();
    }

    /** One class's growth per chat from {@code before} to this histogram. */
    record Holder(String className, double instancesPerChat, double bytesPerChat) {}

    /** The classes that grew most from {@code before}, per chat of {@code chats}, largest first. */
    List<Holder> growthSince(HeapHistogram before, int chats, int top) {
        requireNonNull(before, "before is null");
        List<Holder> holders = new ArrayList<>();
        byClass.forEach((name, now) -> {
            long[] then = before.byClass().getOrDefault(name, new long[2]);
            holders.add(new Holder(name, (now[0] - then[0]) / (double) chats, (now[1] - then[1]) / (double) chats));
        });
        holders.sort((a, b) -> Double.compare(b.bytesPerChat(), a.bytesPerChat()));
        return holders.subList(0, Math.min(top, holders.size()));
    }

    /** The markdown table of {@link #growthSince}, with the total per chat. */
    String table(HeapHistogram before, int chats, int top) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Live heap (jcmd GC.class_histogram) at %,d chats minus at 0, per chat: %.1f KiB in all.%n%n", chats,
                (totalBytes() - before.totalBytes()) / (double) chats / 1024));
        md.append("| class | instances per chat | bytes per chat |\n|---|---:|---:|\n");
        for (Holder h : growthSince(before, chats, top)) {
            md.append(String.format(Locale.ROOT, "| `%s` | %.1f | %,.0f |%n", h.className(), h.instancesPerChat(), h.bytesPerChat()));
        }
        return md.toString();
    }
}

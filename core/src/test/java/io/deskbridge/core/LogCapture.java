package io.deskbridge.core;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Captures what slf4j-simple writes (it writes to whatever {@code System.err} is at the time of each line) while
 * still passing it on. Use in try-with-resources; tests in this module run one at a time.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        this.original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    List<String> lines() {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        return Arrays.stream(text.split("\\R")).filter(line -> !line.isBlank()).collect(Collectors.toList());
    }

    /** The lines that contain every one of {@code parts}. */
    List<String> linesWith(String... parts) {
        return lines().stream().filter(line -> Arrays.stream(parts).allMatch(line::contains)).collect(Collectors.toList());
    }

    /** Waits, with a bound, for a line containing every one of {@code parts}, and returns it. */
    String await(Duration timeout, String... parts) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> found = linesWith(parts);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No log line with " + Arrays.toString(parts) + " within " + timeout.toMillis()
                        + " ms; captured:\n" + String.join("\n", lines()));
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    String await(String... parts) {
        return await(Duration.ofSeconds(10), parts);
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}

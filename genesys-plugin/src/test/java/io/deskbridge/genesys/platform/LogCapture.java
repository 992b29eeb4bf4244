package io.deskbridge.genesys.platform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what slf4j-simple writes (to whatever {@code System.err} is when each line is written) while passing it
 * on. Use in try-with-resources, and filter lines by something only the test logs (a queue name).
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public LogCapture() {
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

    /** The lines that contain every one of {@code parts}. */
    public List<String> linesWith(String... parts) {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        return Arrays.stream(text.split("\\R")).filter(line -> Arrays.stream(parts).allMatch(line::contains)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}

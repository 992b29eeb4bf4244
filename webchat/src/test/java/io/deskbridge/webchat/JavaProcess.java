package io.deskbridge.webchat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM the multi-instance tests start with their own class path: its standard output is read line by line (and
 * copied to a log file), its input written to, and it can be stopped with SIGTERM or killed with SIGKILL.
 */
final class JavaProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer input;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            Path copy = Path.of(log.toString().replaceFirst("\\.log$", "") + ".out");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer kept = java.nio.file.Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    kept.write(line + "\n"); // the process's log (its standard output), kept for a failure to be read
                    kept.flush();
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with these system properties; its standard error goes to {@code log}. */
    static JavaProcess start(String name, String mainClass, Map<String, String> properties, Path log, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // these processes live seconds: start fast rather than peak
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(mainClass);
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            // The test's own variables (DESKBRIDGE_TEST_POSTGRES_URL...) would read as deskbridge keys: the processes get
            // their configuration from the system properties above only.
            builder.environment().keySet().removeIf(key -> key.startsWith("DESKBRIDGE_") || key.startsWith("WEBCHAT_")
                    || key.startsWith("GENESYS_") || key.equals("DESK"));
            Process process = builder.start();
            return new JavaProcess(name, process, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** The next line of output that matches, waiting at most {@code timeout}. */
    String awaitLine(Predicate<String> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS) : null;
                if (line == null && (left <= 0 || !process.isAlive() && lines.isEmpty())) {
                    throw new AssertionError(name + " printed no expected line within " + timeout + (process.isAlive() ? "" : " (it exited with "
                            + process.exitValue() + ")") + "; the end of its log:\n" + logTail());
                }
                if (line == null) {
                    continue;
                }
                if (matches.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The last lines of the process's log. */
    String logTail() {
        try {
            List<String> all = java.nio.file.Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Writes one line to the process's standard input. */
    void println(String line) {
        try {
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            throw new AssertionError(name + " does not read its input any more", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM; waits at most {@code timeout} for the exit and returns how long it took. */
    Duration terminate(Duration timeout) {
        long start = System.nanoTime();
        process.destroy();
        awaitExit(timeout);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL, and waits for the exit. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.deskbridge.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The web chat in a child JVM ({@link DeskbridgeProcess}) on this class path, driven over its standard streams. */
final class ChildDeskbridge implements DeskbridgeUnderTest {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;
    private final List<String> command;

    ChildDeskbridge(Map<String, String> keys, List<String> javaOptions) {
        command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        keys.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DeskbridgeProcess.class.getName());
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the web chat process", e);
        }
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = read();
        if (!ready.startsWith("READY ")) {
            process.destroy();
            throw new IllegalStateException("the web chat process did not start: " + ready);
        }
        port = Integer.parseInt(ready.substring(6).trim());
    }

    private String read() {
        try {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the web chat process ended (exit " + process.waitFor() + ")");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public URI chatSocket() {
        return URI.create("ws://127.0.0.1:" + port + "/chat");
    }

    @Override
    public synchronized ProcessStats stats() {
        in.println("stats");
        return ProcessStats.parse(read());
    }

    @Override
    public Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String where() {
        return "in a child JVM (" + String.join(" ", command.subList(1, command.indexOf("-cp")).stream()
                .filter(o -> !o.startsWith("-Dgenesys.") && !o.startsWith("-Ddesk=")).toList())
                + "); threads and heap are that JVM's alone";
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

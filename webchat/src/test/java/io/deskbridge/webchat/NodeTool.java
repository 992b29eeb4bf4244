package io.deskbridge.webchat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs Node.js and npm from the machine's PATH for the tests of the Carbon AI Chat adapter and example. */
final class NodeTool {
    private NodeTool() {}

    /** The output and exit code of a finished command. */
    record Result(int exitCode, String output) {}

    /** Whether {@code command --version} runs (so the tool is installed), with a Node of at least version 18. */
    static boolean installed(String command) {
        try {
            Result version = run(Path.of("."), Duration.ofSeconds(30), Map.of(), command, "--version");
            if (version.exitCode() != 0) {
                return false;
            }
            if (command.equals("node")) {
                String v = version.output().trim().replaceFirst("^v", "");
                return Integer.parseInt(v.substring(0, v.indexOf('.'))) >= 18;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code command} in {@code directory}, killing it after {@code timeout}. */
    static Result run(Path directory, Duration timeout, Map<String, String> environment, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("[output lost: ").append(e).append(']');
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(5000);
                return new Result(-1, output + "\n[killed after " + timeout + "]");
            }
            reader.join(10_000);
            return new Result(process.exitValue(), output.toString());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, output + "\n[interrupted]");
        }
    }

    /** The first line of {@code output} that mentions {@code word}, for assertion messages. */
    static Optional<String> lineWith(String output, String word) {
        return output.lines().filter(l -> l.contains(word)).findFirst();
    }
}

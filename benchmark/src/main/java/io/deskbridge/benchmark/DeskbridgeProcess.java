package io.deskbridge.benchmark;

import io.deskbridge.core.Configuration;
import io.deskbridge.webchat.WebChatApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The child JVM of {@code --separate-process}: the web chat on the configuration its system properties carry. It prints
 * {@code READY <port>}, then answers {@code stats} on standard input with a {@link ProcessStats} line, and stops at
 * {@code quit} or at the end of its input (the parent went away).
 */
public final class DeskbridgeProcess {
    private DeskbridgeProcess() {}

    public static void main(String[] args) throws IOException {
        Benchmark.quietLogging();
        Configuration configuration = Configuration.load(new String[0], Map.of(), Map.of(), System.getProperties());
        try (WebChatApplication app = WebChatApplication.start(configuration);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY " + app.server().port());
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
                if (line.trim().equals("stats")) {
                    System.out.println(ProcessStats.sample().line());
                    System.out.flush();
                }
            }
        }
    }
}

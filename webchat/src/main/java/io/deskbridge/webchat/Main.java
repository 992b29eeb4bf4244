package io.deskbridge.webchat;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.ServiceDeskException;
import java.io.PrintStream;
import java.util.Map;

/**
 * Runs the web chat: {@code java -jar deskbridge-webchat-all.jar [--config FILE]}, with any key as a system property
 * ({@code -Dwebchat.port=9090 -Ddesk=genesys}) or environment variable ({@code WEBCHAT_PORT=9090 DESK=genesys}).
 * Prints the page's URL once it listens, stops gracefully on Ctrl-C, and exits with status 2 when the configuration
 * is wrong (every problem listed).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        WebChatServer server;
        Deskbridge deskbridge;
        try {
            Configuration configuration = Configuration.load(args, Map.of());
            WebChatSettings settings = WebChatSettings.read(configuration);
            deskbridge = Deskbridge.builder().configuration(configuration).build();
            try {
                server = WebChatServer.builder(deskbridge, settings).start();
            } catch (RuntimeException e) {
                deskbridge.close();
                throw e;
            }
        } catch (ServiceDeskException e) {
            System.err.println("deskbridge web chat cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        WebChatServer running = server;
        Deskbridge runtime = deskbridge;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            runtime.close();
        }, "webchat-shutdown"));
        out.println();
        out.println("deskbridge web chat on the " + deskbridge.deskName() + " desk: " + server.uri());
        out.println("Open it in a browser; press Ctrl-C to stop.");
        out.flush();
        server.awaitStop();
    }
}

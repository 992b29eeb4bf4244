package io.deskbridge.webchat;

import io.deskbridge.core.Configuration;
import io.deskbridge.spi.ServiceDeskException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the web chat: {@code java -jar deskbridge-webchat-all.jar [--config FILE] [--genesys-simulator]}, with any key
 * as a system property ({@code -Dwebchat.port=9090 -Ddesk=genesys}) or environment variable
 * ({@code WEBCHAT_PORT=9090 DESK=genesys}). {@code --genesys-simulator} is short for
 * {@code -Dwebchat.simulator=genesys}: the Genesys simulator runs in the same process and the Genesys desk talks to it.
 * Prints the page's URL (and the agent console's) once it listens, stops gracefully on Ctrl-C, and exits with status
 * 2 when the configuration is wrong (every problem listed).
 */
public final class Main {
    /** The argument that starts the Genesys simulator in this process. */
    static final String GENESYS_SIMULATOR_ARGUMENT = "--genesys-simulator";

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        WebChatApplication app;
        try {
            app = WebChatApplication.start(configuration(args, System.getenv(), System.getProperties()));
        } catch (ServiceDeskException e) {
            System.err.println("deskbridge web chat cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        WebChatApplication running = app;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWithin(running, shutdownBound(running.server().settings())),
                "webchat-shutdown"));
        app.printWelcome(System.out);
        app.server().awaitStop();
    }

    /**
     * The longest a stop may take before the process exits anyway: the desks' {@code webchat.stopTimeout} twice (letting
     * go of or ending the chats, then Jetty's graceful stop) and 10 s for the session store's last writes. What is
     * accepted is saved before then; a chat not handed over in time is taken over as after a crash.
     */
    static java.time.Duration shutdownBound(WebChatSettings settings) {
        return settings.stopTimeout().multipliedBy(2).plusSeconds(10);
    }

    private static void closeWithin(WebChatApplication app, java.time.Duration bound) {
        Thread closing = new Thread(app::close, "webchat-stop");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(bound.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            System.err.println("deskbridge web chat did not stop within " + bound + "; exiting now");
            Runtime.getRuntime().halt(1);
        }
    }

    /** The process's configuration from the command line, environment and system properties. */
    static Configuration configuration(String[] args, Map<String, String> environment, Properties systemProperties) {
        List<String> rest = new ArrayList<>();
        boolean simulator = false;
        for (String arg : args) {
            if (arg.equals(GENESYS_SIMULATOR_ARGUMENT)) {
                simulator = true;
            } else {
                rest.add(arg);
            }
        }
        Configuration configuration = Configuration.load(rest.toArray(String[]::new), Map.of(), environment, systemProperties);
        return simulator ? configuration.with(Map.of("webchat.simulator", "genesys")) : configuration;
    }
}

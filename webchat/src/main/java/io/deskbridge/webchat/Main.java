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
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "webchat-shutdown"));
        app.printWelcome(System.out);
        app.server().awaitStop();
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

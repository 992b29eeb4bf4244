package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.webchat.simulator.InProcessGenesys;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The web chat as {@link Main} runs it: the deskbridge runtime on the configured desk, the {@link WebChatServer},
 * and, only when {@code webchat.simulator=genesys} asks for it, the Genesys simulator in the same process with the
 * Genesys desk pointed at it.
 *
 * <pre>{@code
 * try (WebChatApplication app = WebChatApplication.start(Configuration.load(args, Map.of()))) {
 *     app.printWelcome(System.out);
 *     app.server().awaitStop();
 * }
 * }</pre>
 */
public final class WebChatApplication implements AutoCloseable {
    private final Optional<InProcessGenesys> simulator;
    private final Deskbridge deskbridge;
    private final WebChatServer server;

    private WebChatApplication(Optional<InProcessGenesys> simulator, Deskbridge deskbridge, WebChatServer server) {
        this.simulator = simulator;
        this.deskbridge = deskbridge;
        this.server = server;
    }

    /**
     * Starts the simulator (if configured), the desk and the server; on any failure, stops what already started.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} naming every wrong key, or if the
     *     port cannot be bound
     */
    public static WebChatApplication start(Configuration configuration) {
        requireNonNull(configuration, "configuration is null");
        WebChatSettings settings = WebChatSettings.read(configuration);
        Optional<InProcessGenesys> simulator = Optional.empty();
        Deskbridge deskbridge = null;
        try {
            Configuration effective = configuration;
            if (settings.simulator() == WebChatSettings.SimulatorKind.GENESYS) {
                InProcessGenesys genesys = InProcessGenesys.start(configuration);
                simulator = Optional.of(genesys);
                effective = configuration.with(genesys.deskbridgeConfiguration());
            }
            deskbridge = Deskbridge.builder().configuration(effective).build();
            WebChatServer server = WebChatServer.builder(deskbridge, settings).start();
            return new WebChatApplication(simulator, deskbridge, server);
        } catch (RuntimeException e) {
            if (deskbridge != null) {
                deskbridge.close();
            }
            simulator.ifPresent(InProcessGenesys::close);
            throw e;
        }
    }

    /** The web chat server. */
    public WebChatServer server() {
        return server;
    }

    /** The deskbridge runtime of the configured desk. */
    public Deskbridge deskbridge() {
        return deskbridge;
    }

    /** The simulator running in this process, if {@code webchat.simulator} asked for one. */
    public Optional<InProcessGenesys> simulator() {
        return simulator;
    }

    /** Prints the page's URL and, with a simulator, how to play the agent. */
    public void printWelcome(PrintStream out) {
        out.println();
        out.println("deskbridge web chat on the " + deskbridge.deskName() + " desk: " + server.uri());
        simulator.ifPresent(genesys -> genesys.printInstructions(out));
        out.println("Open the web chat in a browser; press Ctrl-C to stop.");
        out.flush();
    }

    /**
     * Stops the server (its sessions first: with the memory store their chats are ended, with a durable store they are
     * left open for the next process; then the session store, which writes what it holds), the desk, then the
     * simulator. Idempotent.
     */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                deskbridge.close();
            } finally {
                simulator.ifPresent(InProcessGenesys::close);
            }
        }
    }
}

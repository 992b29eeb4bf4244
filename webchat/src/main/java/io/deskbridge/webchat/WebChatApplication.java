package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.VendorSimulator;
import io.deskbridge.core.VendorSimulatorProvider;
import io.deskbridge.spi.ServiceDeskException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The web chat as {@link Main} runs it: the deskbridge runtime on the configured desk, the {@link WebChatServer},
 * and, only when {@code webchat.simulator} names one (for example {@code genesys}), that vendor simulator in the
 * same process with its desk pointed at it. Simulators are found on the class path by name
 * ({@link VendorSimulatorProvider}), as desks are: the web chat compiles against neither.
 *
 * <pre>{@code
 * try (WebChatApplication app = WebChatApplication.start(Configuration.load(args, Map.of()))) {
 *     app.printWelcome(System.out);
 *     app.server().awaitStop();
 * }
 * }</pre>
 */
public final class WebChatApplication implements AutoCloseable {
    private final Optional<VendorSimulator> simulator;
    private final Deskbridge deskbridge;
    private final WebChatServer server;

    private WebChatApplication(Optional<VendorSimulator> simulator, Deskbridge deskbridge, WebChatServer server) {
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
        Optional<VendorSimulator> simulator = Optional.empty();
        Deskbridge deskbridge = null;
        try {
            Configuration effective = configuration;
            if (settings.simulator().isPresent()) {
                VendorSimulator started = simulatorNamed(settings.simulator().get()).start(configuration);
                simulator = Optional.of(started);
                effective = configuration.with(started.deskbridgeConfiguration());
            }
            Deskbridge.Builder runtime = Deskbridge.builder().configuration(effective);
            WebChatServer.Builder serverBuilder;
            if (settings.metrics()) {
                // Given to the runtime before any meter exists, so /metrics counts from the first chat on.
                PrometheusMeterRegistry prometheus = WebChatMetrics.newRegistry();
                deskbridge = runtime.meterRegistry(prometheus).build();
                serverBuilder = WebChatServer.builder(deskbridge, settings).meterRegistry(prometheus);
            } else {
                deskbridge = runtime.build();
                serverBuilder = WebChatServer.builder(deskbridge, settings);
            }
            WebChatServer server = serverBuilder.start();
            return new WebChatApplication(simulator, deskbridge, server);
        } catch (RuntimeException e) {
            if (deskbridge != null) {
                deskbridge.close();
            }
            simulator.ifPresent(VendorSimulator::close);
            throw e;
        }
    }

    private static VendorSimulatorProvider simulatorNamed(String name) {
        try {
            return VendorSimulatorProvider.find(name, WebChatApplication.class.getClassLoader());
        } catch (ServiceDeskException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "webchat.simulator=" + name + ": "
                    + e.getMessage(), e);
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
    public Optional<VendorSimulator> simulator() {
        return simulator;
    }

    /** Prints the page's URL and, with a simulator, how to play the agent. */
    public void printWelcome(PrintStream out) {
        out.println();
        out.println("deskbridge web chat on the " + deskbridge.deskName() + " desk: " + server.uri());
        simulator.ifPresent(running -> running.printInstructions(out));
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
                simulator.ifPresent(VendorSimulator::close);
            }
        }
    }
}

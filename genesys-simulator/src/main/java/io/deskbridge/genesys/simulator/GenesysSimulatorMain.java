package io.deskbridge.genesys.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Genesys simulator for a person, or for an application in the same JVM: web messaging and guest chat on
 * one organization, an open deployment (both transports) and one that requires authentication (guest chat), a
 * queue, and three agents in the console's roster.
 *
 * <p>From a terminal it prints the agent console's URL and the deskbridge configuration of both transports (as
 * properties and as {@code -D} options), then runs until stopped (Ctrl+C):
 *
 * <pre>
 * java -cp webchat/target/deskbridge-webchat-*-all.jar io.deskbridge.genesys.simulator.GenesysSimulatorMain
 *      [--api-port N] [--login-port N] [--stream-port N] [--console-port N] [--heartbeat-seconds N]
 * </pre>
 * Ports default to ephemeral ones (the web messaging socket always takes one); every server binds 127.0.0.1 only.
 *
 * <p>In process, {@link #start()} returns the running simulator; close it when done:
 *
 * <pre>{@code
 * GenesysSimulator genesys = GenesysSimulatorMain.start();
 * Map<String, String> keys = genesys.deskbridgeConfiguration();            // web messaging
 * Map<String, String> guestChat = genesys.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT);
 * URI console = genesys.consoleUrl();
 * ...
 * genesys.close();
 * }</pre>
 */
public final class GenesysSimulatorMain {
    /** The guest chat deployment that requires authenticated guests. */
    public static final String AUTHENTICATED_DEPLOYMENT_ID = "5e1e0000-0000-4000-8000-0000000000ad";

    private GenesysSimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        int[] ports = new int[4];
        int heartbeatSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                usage(System.out);
                return;
            }
            if (i + 1 >= args.length) {
                System.err.println("missing value after " + option);
                usage(System.err);
                System.exit(2);
            }
            int value;
            try {
                value = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                System.err.println(option + " needs a number, not '" + args[i] + "'");
                System.exit(2);
                return;
            }
            switch (option) {
                case "--api-port" -> ports[0] = value;
                case "--login-port" -> ports[1] = value;
                case "--stream-port" -> ports[2] = value;
                case "--console-port" -> ports[3] = value;
                case "--heartbeat-seconds" -> heartbeatSeconds = value;
                default -> {
                    System.err.println("unknown option " + option);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        GenesysSimulator simulator = start(ports, heartbeatSeconds, SimulatedTransport.WEB_MESSAGING);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "genesys-simulator-shutdown"));
        printWelcome(simulator, System.out);
        stopped.await();
    }

    /**
     * Starts the simulator as {@link #main} sets it up, on ephemeral loopback ports with heartbeats every 30 s, for an
     * application that runs it in its own JVM (the web chat's demo mode, a test). The caller closes it.
     *
     * @return the running simulator: {@link GenesysSimulator#deskbridgeConfiguration()} (web messaging), {@link
     *     GenesysSimulator#deskbridgeConfiguration(SimulatedTransport)} (either transport), {@link
     *     GenesysSimulator#consoleUrl()}, {@link GenesysSimulator#close()}
     */
    public static GenesysSimulator start() {
        return start(new int[4], 30, SimulatedTransport.WEB_MESSAGING);
    }

    /**
     * Starts a simulator set up as {@link #main} does, on the given ports (0 for an ephemeral one) with heartbeats
     * every {@code heartbeatSeconds}, whose {@link GenesysSimulator#deskbridgeConfiguration()} gives the guest chat
     * keys, as it did before the simulator served web messaging. Both transports are served; prefer {@link #start()}
     * and {@link GenesysSimulator#deskbridgeConfiguration(SimulatedTransport)}.
     *
     * @param ports the REST API, login, event stream and console ports, in that order
     */
    public static GenesysSimulator start(int[] ports, int heartbeatSeconds) {
        return start(ports, heartbeatSeconds, SimulatedTransport.GUEST_CHAT);
    }

    private static GenesysSimulator start(int[] ports, int heartbeatSeconds, SimulatedTransport defaultTransport) {
        if (ports.length != 4) {
            throw new IllegalArgumentException("ports must hold 4 ports (API, login, event stream, console), not "
                    + ports.length);
        }
        GenesysSimulator simulator = GenesysSimulator.builder()
                .deployment(GuestChatDeployment.open(GenesysSimulator.DEFAULT_DEPLOYMENT_ID))
                .deployment(GuestChatDeployment.open(AUTHENTICATED_DEPLOYMENT_ID).requiringAuthentication())
                .ports(ports[0], ports[1], ports[2], ports[3])
                .heartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
                .defaultTransport(defaultTransport)
                .build()
                .start();
        URI console = simulator.consoleUrl();
        simulator.addAgent(new GenesysAgent("alex", "Alex Agent", console.resolve("avatars/alex.svg")));
        simulator.addAgent(new GenesysAgent("sam", "Sam Specialist", console.resolve("avatars/sam.svg")));
        simulator.addAgent(new GenesysAgent("riley", "Riley Supervisor", console.resolve("avatars/riley.svg")));
        return simulator;
    }

    static void printWelcome(GenesysSimulator simulator, PrintStream out) {
        out.println("Genesys simulator running: web messaging and guest chat.");
        out.println();
        out.println("Agent console: " + simulator.consoleUrl());
        out.println();
        out.println("Web messaging (the default transport; what Genesys Cloud offers today).");
        printConfiguration(simulator.deskbridgeConfiguration(SimulatedTransport.WEB_MESSAGING), out);
        out.println();
        out.println("Guest chat (retired by Genesys in 2025; for organizations still on it).");
        printConfiguration(simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT), out);
        out.println("For authenticated guest chat use genesys.deploymentId=" + AUTHENTICATED_DEPLOYMENT_ID
                + " and genesys.authenticatedChat=true.");
        out.println();
        out.println("The client secret above is the simulator's own made-up value; it opens nothing else.");
        out.println("Press Ctrl+C to stop.");
    }

    private static void printConfiguration(Map<String, String> configuration, PrintStream out) {
        out.println("As properties (a file for --config):");
        configuration.forEach((key, value) -> out.println("  " + key + "=" + value));
        out.println("As system properties:");
        StringBuilder line = new StringBuilder(" ");
        configuration.forEach((key, value) -> {
            String property = "-D" + key + "=" + value;
            line.append(' ').append(value.contains(" ") ? "\"" + property + "\"" : property);
        });
        out.println(line);
    }

    private static void usage(PrintStream out) {
        out.println("usage: GenesysSimulatorMain [--api-port N] [--login-port N] [--stream-port N]"
                + " [--console-port N] [--heartbeat-seconds N]");
    }
}

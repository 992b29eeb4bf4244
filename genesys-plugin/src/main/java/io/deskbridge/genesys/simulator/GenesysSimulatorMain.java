package io.deskbridge.genesys.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Genesys simulator for a person: an open deployment and one that requires authentication, a queue, three
 * agents in the console's roster; prints the console URL and the deskbridge configuration that points the Genesys
 * desk at it, then runs until stopped (Ctrl+C).
 *
 * <pre>
 * java -cp ... io.deskbridge.genesys.simulator.GenesysSimulatorMain [--api-port N] [--login-port N]
 *      [--stream-port N] [--console-port N] [--heartbeat-seconds N]
 * </pre>
 * Ports default to ephemeral ones; every server binds 127.0.0.1 only.
 */
public final class GenesysSimulatorMain {
    /** The deployment that requires authenticated guests. */
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
        GenesysSimulator simulator = start(ports, heartbeatSeconds);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "genesys-simulator-shutdown"));
        printWelcome(simulator, System.out);
        stopped.await();
    }

    /** Starts a simulator set up as {@link #main} does (ports and heartbeat as given; 0 for ephemeral ports). */
    public static GenesysSimulator start(int[] ports, int heartbeatSeconds) {
        GenesysSimulator simulator = GenesysSimulator.builder()
                .deployment(SimulatedDeployment.open(GenesysSimulator.DEFAULT_DEPLOYMENT_ID))
                .deployment(SimulatedDeployment.open(AUTHENTICATED_DEPLOYMENT_ID).requiringAuthentication())
                .ports(ports[0], ports[1], ports[2], ports[3])
                .heartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
                .build()
                .start();
        URI console = simulator.consoleUrl();
        simulator.addAgent(new SimulatedAgent("alex", "Alex Agent", console.resolve("avatars/alex.svg")));
        simulator.addAgent(new SimulatedAgent("sam", "Sam Specialist", console.resolve("avatars/sam.svg")));
        simulator.addAgent(new SimulatedAgent("riley", "Riley Supervisor", console.resolve("avatars/riley.svg")));
        return simulator;
    }

    static void printWelcome(GenesysSimulator simulator, PrintStream out) {
        out.println("Genesys simulator running (guest chat).");
        out.println();
        out.println("Agent console: " + simulator.consoleUrl());
        out.println();
        out.println("deskbridge configuration (a properties file, or -D system properties):");
        Map<String, String> configuration = simulator.deskbridgeConfiguration();
        configuration.forEach((key, value) -> out.println("  " + key + "=" + value));
        out.println();
        out.println("As system properties:");
        StringBuilder line = new StringBuilder(" ");
        configuration.forEach((key, value) -> {
            String property = "-D" + key + "=" + value;
            line.append(' ').append(value.contains(" ") ? "\"" + property + "\"" : property);
        });
        out.println(line);
        out.println();
        out.println("For authenticated chat use genesys.deploymentId=" + AUTHENTICATED_DEPLOYMENT_ID
                + " and genesys.authenticatedChat=true.");
        out.println("The client secret above is the simulator's own made-up value; it opens nothing else.");
        out.println("Press Ctrl+C to stop.");
    }

    private static void usage(PrintStream out) {
        out.println("usage: GenesysSimulatorMain [--api-port N] [--login-port N] [--stream-port N]"
                + " [--console-port N] [--heartbeat-seconds N]");
    }
}

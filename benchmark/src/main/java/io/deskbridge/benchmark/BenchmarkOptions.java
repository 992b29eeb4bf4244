package io.deskbridge.benchmark;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.simulator.SimulatedTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one benchmark run does.
 *
 * @param chats concurrent chats to open and hold
 * @param rampPerSecond chats opened per second
 * @param rounds message rounds per chat once every chat joined; a round is one user message and one agent message
 * @param exchangesPerSecond rounds started per second across all chats (one chat's rounds are at least a second apart)
 * @param desk the desk under test: {@code genesys} (against the simulator) or {@code example} (no vendor: the cost of
 *     the framework and the web chat alone; its simulated agent answers each user message at once)
 * @param transport the Genesys desk's transport
 * @param output where the results go: {@code output} with {@code .json} and {@code .md}
 * @param baseline whether to run the raw baseline (web messaging only) before deskbridge
 * @param separateProcess whether deskbridge runs in a child JVM of its own (its threads and heap then are its alone)
 * @param serverJavaOptions JVM options of that child, for example {@code -Xmx4g}
 * @param heapHistogram whether to take a class histogram ({@code jcmd GC.class_histogram}) of the web chat's JVM at 0
 *     chats and at N, written as {@code output-heap.md}: what a chat holds, class by class
 * @param settleTimeout how long a stage waits for its chats to join, and a round for its messages, beyond the ramp
 */
public record BenchmarkOptions(int chats, int rampPerSecond, int rounds, int exchangesPerSecond, String desk, SimulatedTransport transport,
        Path output, boolean baseline, boolean separateProcess, List<String> serverJavaOptions, boolean heapHistogram, Duration settleTimeout) {

    public BenchmarkOptions {
        requireNonNull(desk, "desk is null");
        if (!desk.equals("genesys") && !desk.equals("example")) {
            throw new IllegalArgumentException("--desk must be genesys or example, not '" + desk + "'");
        }
        requireNonNull(transport, "transport is null");
        requireNonNull(output, "output is null");
        serverJavaOptions = List.copyOf(serverJavaOptions);
        requireNonNull(settleTimeout, "settleTimeout is null");
        if (chats < 1 || rampPerSecond < 1 || rounds < 0 || exchangesPerSecond < 1) {
            throw new IllegalArgumentException("chats, ramp and rate must be at least 1, rounds at least 0");
        }
    }

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmark/target/deskbridge-benchmark-*-all.jar [options] [-Dkey=value as JVM options]",
            "  --chats N                 concurrent chats (default 1000)",
            "  --ramp N                  chats opened per second (default 500)",
            "  --rounds N                message rounds per chat at each stage (N/4, N/2, N chats), one user and one agent",
            "                            message each (default 3)",
            "  --desk D                  genesys (default, against the simulator) or example (no vendor: the framework",
            "                            and the web chat alone; latency is the round trip to the simulated agent's answer)",
            "  --rate N                  rounds started per second across all chats (default 500)",
            "  --transport T             web-messaging (default) or guest-chat",
            "  --output PATH             results as PATH.json and PATH.md (default benchmark-results)",
            "  --no-baseline             skip the raw baseline of the simulator without deskbridge",
            "  --separate-process        run the web chat and desk in a child JVM (its threads and heap alone)",
            "  --server-java-options S   JVM options of that child, space-separated (default -Xmx4g)",
            "  --heap-histogram          class histogram of the web chat's JVM at 0 and N chats, as PATH-heap.md",
            "  --settle-timeout SECONDS  wait for joins and messages beyond the ramp (default 60)",
            "Deskbridge keys (genesys.*, webchat.*) given as -Dkey=value reach the web chat and the desk.");

    /** Whether the desk under test is the example desk (no simulator, no raw baseline). */
    boolean exampleDesk() {
        return desk.equals("example");
    }

    /** The defaults: 1,000 chats, 500 a second, 3 rounds at 500 a second, web messaging, with the baseline. */
    static BenchmarkOptions parse(String... args) {
        int chats = 1000;
        int ramp = 500;
        int rounds = 3;
        int rate = 500;
        SimulatedTransport transport = SimulatedTransport.WEB_MESSAGING;
        String desk = "genesys";
        Path output = Path.of("benchmark-results");
        boolean baseline = true;
        boolean separate = false;
        boolean histogram = false;
        List<String> serverOptions = List.of("-Xmx4g");
        Duration settle = Duration.ofSeconds(60);
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--chats" -> chats = positive(option, value(option, rest));
                case "--ramp" -> ramp = positive(option, value(option, rest));
                case "--rounds" -> rounds = Math.max(0, number(option, value(option, rest)));
                case "--rate" -> rate = positive(option, value(option, rest));
                case "--transport" -> transport = transport(value(option, rest));
                case "--desk" -> desk = value(option, rest).trim().toLowerCase(Locale.ROOT);
                case "--output" -> output = Path.of(value(option, rest));
                case "--no-baseline" -> baseline = false;
                case "--separate-process" -> separate = true;
                case "--heap-histogram" -> histogram = true;
                case "--server-java-options" -> serverOptions = Arrays.stream(value(option, rest).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).collect(Collectors.toList());
                case "--settle-timeout" -> settle = Duration.ofSeconds(positive(option, value(option, rest)));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new BenchmarkOptions(chats, ramp, rounds, rate, desk, transport, output, baseline, separate, serverOptions, histogram, settle);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return rest.remove(0);
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not '" + value + "'");
        }
    }

    private static int positive(String option, String value) {
        int n = number(option, value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + n);
        }
        return n;
    }

    private static SimulatedTransport transport(String value) {
        String name = value.trim().toLowerCase(Locale.ROOT);
        Optional<SimulatedTransport> found = Arrays.stream(SimulatedTransport.values()).filter(t -> t.configName().equals(name)).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException("--transport must be web-messaging or guest-chat, not '" + value + "'"));
    }
}

package io.deskbridge.benchmark;

import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The benchmark of the design's non-functional targets (DESIGN §6), run on demand:
 *
 * <pre>
 * ./mvnw -q -pl benchmark -am package -DskipTests
 * java -jar benchmark/target/deskbridge-benchmark-*-all.jar --chats 10000
 * </pre>
 *
 * <p>In one JVM (unless {@code --separate-process}): the Genesys simulator on loopback, the web chat
 * ({@code WebChatApplication} on port 0 with {@code desk=genesys} pointed at the simulator) and N browser chats on the
 * JDK WebSocket client, spread over a few {@code HttpClient}s that share a small executor (no thread per
 * connection). Each chat says {@code hello}, {@code startChat}, the simulated agent joins, then message rounds. First,
 * the raw baseline runs the same way on a fresh simulator with raw web messaging guests instead of deskbridge. See
 * {@code docs/performance.md}.
 */
public final class Benchmark {
    private static final int CLIENTS = 4;
    /** The messages the example desk's agent greets with (a hello and its commands). */
    static final int EXAMPLE_GREETING = 2;

    private final BenchmarkOptions options;
    private final PrintStream out;
    private volatile Optional<String> heapTable = Optional.empty();

    public Benchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        quietLogging();
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Benchmark benchmark = new Benchmark(options, System.out);
        Report report = benchmark.run();
        report.print(System.out);
        try {
            report.write(options.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("Results written to " + options.output() + ".json, .md and .svg");
        benchmark.heapTable().ifPresent(table -> {
            System.out.println();
            System.out.println(table);
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(options.output() + "-heap.md"), table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.exit(report.deskbridge().failedChats() == 0 ? 0 : 1);
    }

    /** Deskbridge, the simulator and the clients log warnings only, unless {@code logback.configurationFile} is set. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "deskbridge-benchmark-logback.xml");
        }
    }

    /** With {@code --heap-histogram}: the classes that grew most per chat in the web chat's JVM, as markdown. */
    public Optional<String> heapTable() {
        return heapTable;
    }

    /** Runs the baseline (when asked for and the transport is web messaging), then deskbridge. */
    public Report run() {
        RunResult raw = null;
        if (options.exampleDesk()) {
            if (options.baseline()) {
                out.println("No raw baseline for the example desk (it has no vendor to drive without deskbridge)");
            }
            out.println("deskbridge: " + options.chats() + " browser chats on the web chat, example desk (no vendor; its"
                    + " simulated agent answers each message at once)");
            return new Report(options, null, runExampleDesk());
        }
        if (options.baseline() && options.transport() == SimulatedTransport.WEB_MESSAGING) {
            out.println("Raw baseline: " + options.chats() + " web messaging guests straight on the simulator");
            raw = runRaw();
        } else if (options.baseline()) {
            out.println("No raw baseline for guest chat (the benchmark's raw client speaks web messaging only)");
        }
        out.println("deskbridge: " + options.chats() + " browser chats on the web chat, Genesys desk ("
                + options.transport().configName() + ") against the simulator");
        RunResult deskbridge = runDeskbridge();
        return new Report(options, raw, deskbridge);
    }

    private RunResult runRaw() {
        LatencyProbe userToAgent = new LatencyProbe("user to agent");
        LatencyProbe agentToUser = new LatencyProbe("agent to user");
        try (SimulatorSide vendor = new SimulatorSide(SimulatedTransport.WEB_MESSAGING, userToAgent);
                Clients clients = new Clients()) {
            WebMessagingSimulator genesys = vendor.simulator().webMessaging();
            URI socket = URI.create(genesys.socketUrl() + "?deploymentId=" + genesys.deployment().deploymentId());
            String deploymentId = genesys.deployment().deploymentId();
            IntFunction<Chat> open = i -> {
                RawWebMessagingGuest guest = new RawWebMessagingGuest(deploymentId, userToAgent, agentToUser);
                Chat chat = new Chat(i, guest);
                guest.configured().thenAcceptAsync(token -> chat.agentReady(vendor.rawSession(token)), vendor.scripting())
                        .exceptionally(e -> fail(guest, "agent not scripted: " + TextSocket.rootMessage(e)));
                guest.open(clients.next(), socket);
                return chat;
            };
            return drive("raw baseline", "in the benchmark's JVM (simulator and raw guests)", open, ProcessStats::sample,
                    () -> ProcessHandle.current().info().totalCpuDuration(), userToAgent, agentToUser, true, true);
        }
    }

    private RunResult runDeskbridge() {
        LatencyProbe userToAgent = new LatencyProbe("user to agent");
        LatencyProbe agentToUser = new LatencyProbe("agent to user");
        try (SimulatorSide vendor = new SimulatorSide(options.transport(), userToAgent);
                Clients clients = new Clients();
                DeskbridgeUnderTest deskbridge = startDeskbridge(vendor)) {
            URI socket = deskbridge.chatSocket();
            IntFunction<Chat> open = i -> {
                String topic = "bench-" + i;
                BrowserChat browser = new BrowserChat(topic, userToAgent, agentToUser);
                Chat chat = new Chat(i, browser);
                vendor.expect(topic).thenAcceptAsync(chat::agentReady, vendor.scripting())
                        .exceptionally(e -> fail(browser, "agent not scripted: " + TextSocket.rootMessage(e)));
                browser.open(clients.next(), socket);
                return chat;
            };
            return drive("deskbridge", deskbridge.where(), open, histogrammed(deskbridge), deskbridge::cpuTime, userToAgent, agentToUser,
                    options.transport() == SimulatedTransport.WEB_MESSAGING, true);
        }
    }

    /**
     * The example desk: no simulator; its own simulated agent joins at once, greets ({@value #EXAMPLE_GREETING}
     * messages) and answers each user message at once, so the latency is the round trip through the web chat, the
     * framework and the desk, and back.
     */
    private RunResult runExampleDesk() {
        LatencyProbe roundTrip = new LatencyProbe("user to answer");
        LatencyProbe unused = new LatencyProbe("agent to user");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("desk", "example");
        keys.put("example.joinDelay", "0ms");
        keys.put("example.readDelay", "0ms");
        keys.put("example.typingPause", "0ms");
        keys.put("example.queueUpdateInterval", "1h");
        try (Clients clients = new Clients(); DeskbridgeUnderTest deskbridge = startDeskbridge(keys)) {
            URI socket = deskbridge.chatSocket();
            SimulatorSide.Agent selfDriven = new SimulatorSide.Agent() {
                @Override
                public void join() {}

                @Override
                public void send(String text) {
                    throw new UnsupportedOperationException("the example desk's agent answers by itself");
                }
            };
            IntFunction<Chat> open = i -> {
                BrowserChat browser = new BrowserChat("bench-" + i, roundTrip, unused, EXAMPLE_GREETING);
                Chat chat = new Chat(i, browser);
                chat.agent = selfDriven;
                browser.open(clients.next(), socket);
                return chat;
            };
            return drive("deskbridge", deskbridge.where(), open, histogrammed(deskbridge), deskbridge::cpuTime, roundTrip, unused, true, false);
        }
    }

    /**
     * The stats of {@code deskbridge}; with {@code --heap-histogram} also its class histogram at the first sample (0
     * chats) and at the last (N chats, before their messages), turned into the per-chat table.
     */
    private Supplier<ProcessStats> histogrammed(DeskbridgeUnderTest deskbridge) {
        if (!options.heapHistogram()) {
            return deskbridge::stats;
        }
        AtomicInteger samples = new AtomicInteger();
        HeapHistogram[] first = new HeapHistogram[1];
        int stageCount = (int) IntStream.of(options.chats() / 4, options.chats() / 2, options.chats()).filter(t -> t > 0).distinct().count();
        return () -> {
            ProcessStats stats = deskbridge.stats();
            int sample = samples.getAndIncrement();
            if (sample == 0) {
                first[0] = HeapHistogram.of(deskbridge.pid());
            } else if (sample == stageCount) {
                heapTable = Optional.of(HeapHistogram.of(deskbridge.pid()).table(first[0], options.chats(), 60));
                // -Dbenchmark.heapDump=FILE: also an HPROF dump of the live heap at N idle chats, for a heap analyser.
                Optional.ofNullable(System.getProperty("benchmark.heapDump")).ifPresent(file -> HeapHistogram.dump(deskbridge.pid(), file));
            }
            return stats;
        };
    }

    private static Void fail(Guest guest, String reason) {
        guest.fail(reason);
        return null;
    }

    private DeskbridgeUnderTest startDeskbridge(SimulatorSide vendor) {
        return startDeskbridge(vendor.deskbridgeConfiguration());
    }

    /** The web chat on {@code deskKeys}, with the deskbridge keys given to this JVM as system properties over them. */
    private DeskbridgeUnderTest startDeskbridge(Map<String, String> deskKeys) {
        Map<String, String> keys = new LinkedHashMap<>(deskKeys);
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("genesys.") || name.startsWith("webchat.") || name.startsWith("deskbridge.")
                    || name.startsWith("example.")) {
                keys.put(name, system.getProperty(name));
            }
        }
        // Every simulated page comes from 127.0.0.1: the per-address budgets, sized for one visitor's browser, would
        // refuse all but the first few dozen (what they cost is measured by the web chat's own tests).
        keys.putIfAbsent("webchat.newSessionsPerAddress", "1000000");
        keys.putIfAbsent("webchat.maxConnectionsPerAddress", "1000000");
        keys.put("webchat.host", "127.0.0.1");
        keys.put("webchat.port", "0");
        if (options.separateProcess()) {
            return new ChildDeskbridge(keys, options.serverJavaOptions());
        }
        return new InProcessDeskbridge(Configuration.load(new String[0], Map.of(), Map.of(), new Properties()).with(keys));
    }

    /** One chat: its user end, and its agent once the simulator saw the chat. */
    static final class Chat {
        final int index;
        final Guest guest;
        volatile SimulatorSide.Agent agent;

        Chat(int index, Guest guest) {
            this.index = index;
            this.guest = guest;
        }

        void agentReady(SimulatorSide.Agent ready) {
            agent = ready;
            ready.join();
        }
    }

    private RunResult drive(String name, String where, IntFunction<Chat> open, Supplier<ProcessStats> stats,
            Supplier<Optional<Duration>> cpuTime, LatencyProbe userToAgent, LatencyProbe agentToUser, boolean userToAgentMeasured,
            boolean agentToUserMeasured) {
        int n = options.chats();
        int[] targets = IntStream.of(n / 4, n / 2, n).filter(t -> t > 0).distinct().toArray();
        // Every stage runs its rounds over the chats open then: N/4, N/2 and N chats.
        long perRound = (userToAgentMeasured ? 1 : 0) + (agentToUserMeasured ? 1 : 0);
        long totalMessages = (long) options.rounds() * perRound * IntStream.of(targets).asLongStream().sum();
        Progress progress = new Progress(out, name, n, totalMessages);
        List<RunResult.Stage> stages = new ArrayList<>();
        stages.add(new RunResult.Stage(0, 0, stats.get()));
        report(name, stages.get(0));
        List<Chat> chats = new ArrayList<>(n);
        Map<String, Long> lost = new LinkedHashMap<>();
        lost.put("user to agent", 0L);
        lost.put("agent to user", 0L);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / options.rampPerSecond();
        long rampStart = System.nanoTime();
        long setupNanos = 0;
        Duration cpu = Duration.ZERO;
        boolean cpuKnown = true;
        for (int target : targets) {
            long stageStart = System.nanoTime();
            while (chats.size() < target) {
                long due = stageStart + (long) (chats.size() - firstOf(target, targets)) * intervalNanos;
                parkUntil(due);
                chats.add(open.apply(chats.size()));
                progress.joined(joinedCount(chats));
            }
            awaitJoined(chats, progress);
            setupNanos += System.nanoTime() - stageStart;
            int joined = joinedCount(chats);
            RunResult.Stage stage = new RunResult.Stage(target, joined, stats.get());
            report(name, stage);

            List<Chat> live = chats.stream().filter(c -> c.guest.failure().isEmpty() && c.agent != null).toList();
            Optional<Duration> cpuBefore = cpuTime.get();
            userToAgent.takeStage();
            agentToUser.takeStage();
            for (int round = 1; round <= options.rounds(); round++) {
                exchange(live, stage.chats(), round, userToAgent, agentToUser, agentToUserMeasured);
                long settleDeadline = System.nanoTime() + options.settleTimeout().toNanos();
                while ((userToAgentMeasured && userToAgent.pending() > 0 || agentToUser.pending() > 0)
                        && System.nanoTime() < settleDeadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    progress.messages(userToAgent.histogram().getTotalCount() * (userToAgentMeasured ? 1 : 0)
                            + agentToUser.histogram().getTotalCount());
                }
                lost.merge("user to agent", userToAgentMeasured ? (long) userToAgent.abandonPending() : 0L, Long::sum);
                lost.merge("agent to user", (long) agentToUser.abandonPending(), Long::sum);
                if (!userToAgentMeasured) {
                    userToAgent.abandonPending();
                }
                progress.messages(userToAgent.histogram().getTotalCount() * (userToAgentMeasured ? 1 : 0)
                        + agentToUser.histogram().getTotalCount(), round == options.rounds());
            }
            Optional<Duration> cpuAfter = cpuTime.get();
            if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
                cpu = cpu.plus(cpuAfter.get().minus(cpuBefore.get()));
            } else {
                cpuKnown = false;
            }
            stages.add(stage.withLatency(userToAgent.takeStage(), agentToUser.takeStage()));
        }
        long rampMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rampStart);
        Histogram setup = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3);
        chats.forEach(c -> {
            if (c.guest.setupNanos() > 0) {
                setup.recordValue(Math.min(setup.getHighestTrackableValue(), c.guest.setupNanos()));
            }
        });
        Map<String, Integer> failures = new TreeMap<>();
        for (Chat chat : chats) {
            chat.guest.failure().ifPresent(reason -> failures.merge(truncate(reason), 1, Integer::sum));
        }
        int joined = (int) chats.stream().filter(c -> c.guest.setupNanos() > 0).count();
        chats.forEach(c -> c.guest.close());
        long delivered = (userToAgentMeasured ? userToAgent.histogram().getTotalCount() : 0) + agentToUser.histogram().getTotalCount();
        return new RunResult(name, where, stages, chats.size(), joined, rampMillis, setup, userToAgent.histogram(),
                agentToUser.histogram(), userToAgentMeasured, agentToUserMeasured, TimeUnit.NANOSECONDS.toMillis(setupNanos),
                cpuKnown ? Optional.of(cpu) : Optional.empty(), delivered, lost, failures);
    }

    /** The first chat index of the stage reaching {@code target}: the previous stage's target. */
    private static int firstOf(int target, int[] targets) {
        int previous = 0;
        for (int t : targets) {
            if (t == target) {
                return previous;
            }
            previous = t;
        }
        return previous;
    }

    private static int joinedCount(List<Chat> chats) {
        return (int) chats.stream().filter(c -> c.guest.joined().isDone() && c.guest.failure().isEmpty()).count();
    }

    /** One round over {@code live}: each chat's user sends a message and, unless only round trips are timed, its agent. */
    private void exchange(List<Chat> live, int chatsOpen, int round, LatencyProbe userToAgent, LatencyProbe agentToUser,
            boolean agentToUserMeasured) {
        long exchangeInterval = TimeUnit.SECONDS.toNanos(1) / options.exchangesPerSecond();
        long roundStart = System.nanoTime();
        for (int k = 0; k < live.size(); k++) {
            parkUntil(roundStart + k * exchangeInterval);
            Chat chat = live.get(k);
            if (chat.guest.failure().isPresent()) {
                continue;
            }
            String tag = chatsOpen + "-" + chat.index + "-" + round;
            chat.guest.sendUserText("m-" + tag, "u-" + tag);
            if (agentToUserMeasured) {
                String agentText = "a-" + tag;
                agentToUser.sent(agentText);
                chat.agent.send(agentText);
            }
        }
        // one chat's rounds at least 1.2 s apart: below the desk's and the simulator's per-chat rate limits (2/s)
        parkUntil(roundStart + TimeUnit.MILLISECONDS.toNanos(1200));
    }

    private void awaitJoined(List<Chat> chats, Progress progress) {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        while (System.nanoTime() < deadline && !chats.stream().allMatch(c -> c.guest.joined().isDone())) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            progress.joined(joinedCount(chats));
        }
        for (Chat chat : chats) {
            if (!chat.guest.joined().isDone()) {
                chat.guest.fail("agent not joined within " + options.settleTimeout().toSeconds() + " s");
            }
        }
        progress.joined(joinedCount(chats), true);
    }

    private void report(String name, RunResult.Stage stage) {
        out.printf("  %s: %,d chats (%,d joined): %d live threads, %,d MiB heap used after GC%n", name, stage.chats(),
                stage.joined(), stage.stats().liveThreads(), stage.stats().heapUsedAfterGc() / (1024 * 1024));
    }

    private static String truncate(String reason) {
        String oneLine = reason.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    private static void parkUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A few JDK HTTP clients for the users' sockets, sharing one small executor: no thread per connection. */
    static final class Clients implements AutoCloseable {
        private final ExecutorService executor = Executors.newFixedThreadPool(4, daemonThreads("benchmark-client"));
        private final List<HttpClient> clients = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        Clients() {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build());
            }
        }

        HttpClient next() {
            return clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}

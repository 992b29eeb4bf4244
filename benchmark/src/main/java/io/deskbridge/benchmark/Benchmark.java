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
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
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

    private final BenchmarkOptions options;
    private final PrintStream out;

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
        Report report = new Benchmark(options, System.out).run();
        report.print(System.out);
        try {
            report.write(options.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("Results written to " + options.output() + ".json and " + options.output() + ".md");
        System.exit(report.deskbridge().failedChats() == 0 ? 0 : 1);
    }

    /** Deskbridge, the simulator and the clients log warnings only, unless {@code logback.configurationFile} is set. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "deskbridge-benchmark-logback.xml");
        }
    }

    /** Runs the baseline (when asked for and the transport is web messaging), then deskbridge. */
    public Report run() {
        RunResult raw = null;
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
                    userToAgent, agentToUser, true);
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
            return drive("deskbridge", deskbridge.where(), open, deskbridge::stats, userToAgent, agentToUser,
                    options.transport() == SimulatedTransport.WEB_MESSAGING);
        }
    }

    private static Void fail(Guest guest, String reason) {
        guest.fail(reason);
        return null;
    }

    private DeskbridgeUnderTest startDeskbridge(SimulatorSide vendor) {
        Map<String, String> keys = new LinkedHashMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("genesys.") || name.startsWith("webchat.") || name.startsWith("deskbridge.")) {
                keys.put(name, system.getProperty(name));
            }
        }
        keys.putAll(vendor.deskbridgeConfiguration());
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

    private RunResult drive(String name, String where, IntFunction<Chat> open, java.util.function.Supplier<ProcessStats> stats,
            LatencyProbe userToAgent, LatencyProbe agentToUser, boolean userToAgentMeasured) {
        int n = options.chats();
        List<RunResult.Stage> stages = new ArrayList<>();
        stages.add(new RunResult.Stage(0, 0, stats.get()));
        report(name, stages.get(0));
        List<Chat> chats = new ArrayList<>(n);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / options.rampPerSecond();
        long rampStart = System.nanoTime();
        for (int target : new int[] {n / 4, n / 2, n}) {
            if (target == 0 || target == chats.size()) {
                continue;
            }
            while (chats.size() < target) {
                long due = rampStart + chats.size() * intervalNanos;
                parkUntil(due);
                chats.add(open.apply(chats.size()));
            }
            awaitJoined(chats);
            int joined = (int) chats.stream().filter(c -> c.guest.joined().isDone() && c.guest.failure().isEmpty()).count();
            stages.add(new RunResult.Stage(target, joined, stats.get()));
            report(name, stages.get(stages.size() - 1));
        }
        long rampMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rampStart);
        Histogram setup = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(10), 3);
        chats.forEach(c -> {
            if (c.guest.setupNanos() > 0) {
                setup.recordValue(Math.min(setup.getHighestTrackableValue(), c.guest.setupNanos()));
            }
        });

        List<Chat> live = chats.stream().filter(c -> c.guest.failure().isEmpty() && c.agent != null).toList();
        Map<String, Long> lost = new LinkedHashMap<>();
        lost.put("user to agent", 0L);
        lost.put("agent to user", 0L);
        long exchangeInterval = TimeUnit.SECONDS.toNanos(1) / options.exchangesPerSecond();
        for (int round = 1; round <= options.rounds(); round++) {
            long roundStart = System.nanoTime();
            for (int k = 0; k < live.size(); k++) {
                parkUntil(roundStart + k * exchangeInterval);
                Chat chat = live.get(k);
                if (chat.guest.failure().isPresent()) {
                    continue;
                }
                chat.guest.sendUserText("m-" + chat.index + "-" + round, "u-" + chat.index + "-" + round);
                String agentText = "a-" + chat.index + "-" + round;
                agentToUser.sent(agentText);
                chat.agent.send(agentText);
            }
            long deadline = System.nanoTime() + options.settleTimeout().toNanos();
            while ((userToAgentMeasured && userToAgent.pending() > 0 || agentToUser.pending() > 0) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            lost.merge("user to agent", userToAgentMeasured ? (long) userToAgent.abandonPending() : 0L, Long::sum);
            lost.merge("agent to user", (long) agentToUser.abandonPending(), Long::sum);
            // one chat's rounds at least 1.2 s apart: below the desk's and the simulator's per-chat rate limits (2/s)
            parkUntil(roundStart + TimeUnit.MILLISECONDS.toNanos(1200));
            out.printf("  %s: round %d of %d done (%d chats)%n", name, round, options.rounds(), live.size());
        }
        if (!userToAgentMeasured) {
            userToAgent.abandonPending();
        }

        Map<String, Integer> failures = new TreeMap<>();
        for (Chat chat : chats) {
            chat.guest.failure().ifPresent(reason -> failures.merge(truncate(reason), 1, Integer::sum));
        }
        int joined = (int) chats.stream().filter(c -> c.guest.setupNanos() > 0).count();
        chats.forEach(c -> c.guest.close());
        return new RunResult(name, where, stages, chats.size(), joined, rampMillis, setup, userToAgent.histogram(),
                agentToUser.histogram(), userToAgentMeasured, lost, failures);
    }

    private void awaitJoined(List<Chat> chats) {
        CompletableFuture<?>[] all = chats.stream().map(c -> c.guest.joined()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).handle((v, e) -> null).get(options.settleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // reported below, chat by chat
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        for (Chat chat : chats) {
            if (!chat.guest.joined().isDone()) {
                chat.guest.fail("agent not joined within " + options.settleTimeout().toSeconds() + " s");
            }
        }
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

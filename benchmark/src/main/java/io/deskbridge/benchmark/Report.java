package io.deskbridge.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/** The results of a benchmark run: printed as a table, written as JSON and as markdown. */
record Report(BenchmarkOptions options, RunResult raw, RunResult deskbridge, Machine machine) {

    /** Where and when it ran. */
    record Machine(String date, int processors, long maxHeapBytes, String java, String os, String jvmOptions, String loadAverage,
            String openFilesLimit) {
        static Machine now() {
            return new Machine(OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory(), System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                    read("/proc/loadavg").map(s -> String.join(" ", List.of(s.trim().split(" ")).subList(0, 3))).orElse("unknown"),
                    read("/proc/self/limits").flatMap(s -> s.lines().filter(l -> l.startsWith("Max open files")).findFirst())
                            .map(l -> l.replace("Max open files", "").trim().replaceAll("\\s+", " ")).orElse("unknown"));
        }

        private static Optional<String> read(String file) {
            try {
                return Optional.of(Files.readString(Path.of(file)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    Report(BenchmarkOptions options, RunResult raw, RunResult deskbridge) {
        this(options, raw, deskbridge, Machine.now());
    }

    Optional<RunResult> baseline() {
        return Optional.ofNullable(raw);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static final double[] PERCENTILES = {50, 90, 99};

    private static List<String> latencyCells(Histogram h) {
        List<String> cells = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            for (int i = 0; i < 5; i++) {
                cells.add("-");
            }
            return cells;
        }
        for (double p : PERCENTILES) {
            cells.add(String.format("%.2f", ms(h.getValueAtPercentile(p))));
        }
        cells.add(String.format("%.2f", ms(h.getMaxValue())));
        cells.add(String.valueOf(h.getTotalCount()));
        return cells;
    }

    private List<List<String>> latencyRows() {
        List<List<String>> rows = new ArrayList<>();
        for (String direction : List.of("user to agent", "agent to user")) {
            if (direction.startsWith("agent") && !deskbridge.agentToUserMeasured()) {
                continue;
            }
            for (RunResult run : baseline().map(r -> List.of(r, deskbridge)).orElse(List.of(deskbridge))) {
                Histogram h = direction.startsWith("user") ? run.userToAgent() : run.agentToUser();
                List<String> row = new ArrayList<>(List.of(direction.startsWith("user") ? userToAgentName() : direction, run.name()));
                row.addAll(latencyCells(h));
                rows.add(row);
            }
            if (raw != null) {
                Histogram base = direction.startsWith("user") ? raw.userToAgent() : raw.agentToUser();
                Histogram db = direction.startsWith("user") ? deskbridge.userToAgent() : deskbridge.agentToUser();
                List<String> row = new ArrayList<>(List.of(direction, "added by deskbridge"));
                if (base.getTotalCount() > 0 && db.getTotalCount() > 0) {
                    for (double p : PERCENTILES) {
                        row.add(String.format("%+.2f", ms(db.getValueAtPercentile(p) - base.getValueAtPercentile(p))));
                    }
                    row.add(String.format("%+.2f", ms(db.getMaxValue() - base.getMaxValue())));
                    row.add("");
                } else {
                    row.addAll(List.of("-", "-", "-", "-", ""));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private List<List<String>> resourceRows() {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult run : runs()) {
            for (RunResult.Stage stage : run.stages()) {
                rows.add(List.of(run.name(), String.format("%,d", stage.chats()), String.format("%,d", stage.joined()),
                        String.valueOf(stage.stats().liveThreads()), String.format("%.1f", stage.stats().heapUsedAfterGc() / 1048576.0),
                        stage.joined() == 0 ? "-" : String.format("%.1f", heapPerChat(run, stage) / 1024.0),
                        p50p99(run.userToAgentMeasured() ? stage.userToAgent() : new Histogram(3)),
                        p50p99(run.agentToUserMeasured() ? stage.agentToUser() : new Histogram(3))));
            }
        }
        return rows;
    }

    /** The desk and transport measured, in words. */
    String target() {
        return options.exampleDesk() ? "example desk" : "Genesys " + options.transport().configName();
    }

    /** The baseline (if run) and deskbridge. */
    List<RunResult> runs() {
        return baseline().map(r -> List.of(r, deskbridge)).orElse(List.of(deskbridge));
    }

    /** Heap per joined chat at {@code stage}: used heap after GC there minus at 0 chats, over the chats joined. */
    static double heapPerChat(RunResult run, RunResult.Stage stage) {
        long base = run.stages().get(0).stats().heapUsedAfterGc();
        return stage.joined() == 0 ? 0 : (stage.stats().heapUsedAfterGc() - base) / (double) stage.joined();
    }

    private static String p50p99(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format("%.2f / %.2f", ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)));
    }

    /** What the user-to-agent column measures in this report. */
    String userToAgentName() {
        return options.exampleDesk() ? "user to answer (round trip)" : "user to agent";
    }

    private List<List<String>> summaryRows() {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult run : baseline().map(r -> List.of(r, deskbridge)).orElse(List.of(deskbridge))) {
            Histogram s = run.setup();
            rows.add(List.of(run.name(), String.format("%,d", run.chatsOpened()), String.format("%,d", run.chatsJoined()),
                    String.format("%,d", run.failedChats()), String.format("%.1f", run.heapPerIdleChat() / 1024.0),
                    String.format("%.1f", run.rampMillis() / 1000.0), String.format("%.0f", run.chatsSetUpPerSecond()),
                    run.cpuSecondsPerThousandMessages().map(v -> String.format("%.3f", v)).orElse("-"),
                    s.getTotalCount() == 0 ? "-" : String.format("%.1f / %.1f", ms(s.getValueAtPercentile(50)), ms(s.getValueAtPercentile(99))),
                    run.messagesLost().toString().replace("{", "").replace("}", "")));
        }
        return rows;
    }

    private static final List<String> SUMMARY_HEAD = List.of("run", "chats", "joined", "failed", "heap KiB per idle chat",
            "run s", "chats set up per s", "CPU s per 1,000 messages", "setup p50 / p99 ms", "messages lost");
    private List<String> resourceHead() {
        return List.of("run", "chats", "joined", "live threads", "heap MiB after GC", "heap KiB per chat",
                userToAgentName() + " p50 / p99 ms", "agent to user p50 / p99 ms");
    }
    private static final List<String> LATENCY_HEAD = List.of("direction", "run", "p50 ms", "p90 ms", "p99 ms", "max ms", "messages");

    void print(PrintStream out) {
        out.println();
        out.printf("deskbridge benchmark, %s: %,d chats, %d rounds per stage, %s%n", machine.date(), options.chats(), options.rounds(),
                target());
        out.printf("machine: %d processors, max heap %,d MiB, %s, %s; load %s; open files %s%n", machine.processors(),
                machine.maxHeapBytes() / 1048576, machine.java(), machine.os(), machine.loadAverage(), machine.openFilesLimit());
        out.println("deskbridge ran " + deskbridge.where());
        table(out, SUMMARY_HEAD, summaryRows(), false);
        table(out, resourceHead(), resourceRows(), false);
        table(out, LATENCY_HEAD, latencyRows(), false);
        out.println(cpuNote());
        if (!deskbridge.userToAgentMeasured()) {
            out.println("user to agent is not measured for guest chat (the simulator times web messaging guests only)");
        }
        out.println();
        out.println(threadPools());
        for (RunResult run : baseline().map(r -> List.of(r, deskbridge)).orElse(List.of(deskbridge))) {
            run.failures().forEach((reason, count) -> out.printf("  %s: %,d chats failed: %s%n", run.name(), count, reason));
        }
    }

    /** What the CPU column measures, in words. */
    String cpuNote() {
        return "CPU: the operating system's count of CPU time (user and system) of the JVM each run is measured in, over its"
                + " message rounds (idle time between rounds included), per 1,000 messages delivered. deskbridge's JVM is"
                + (options.separateProcess() ? " the web chat's alone (--separate-process)." : " the whole benchmark's (simulator and clients too): use"
                + " --separate-process for the web chat's alone.") + " The raw baseline's is the benchmark's JVM: the simulator and the raw guests.";
    }

    /** deskbridge's live threads by pool at 0 chats and at N. */
    String threadPools() {
        RunResult.Stage first = deskbridge.stages().get(0);
        RunResult.Stage last = deskbridge.stages().get(deskbridge.stages().size() - 1);
        java.util.TreeSet<String> pools = new java.util.TreeSet<>(first.stats().threadsByPool().keySet());
        pools.addAll(last.stats().threadsByPool().keySet());
        StringBuilder text = new StringBuilder("deskbridge run, live threads by pool at 0 -> " + String.format("%,d", last.chats()) + " chats:");
        for (String pool : pools) {
            text.append(' ').append(pool).append(' ').append(first.stats().threadsByPool().getOrDefault(pool, 0)).append("->")
                    .append(last.stats().threadsByPool().getOrDefault(pool, 0)).append(';');
        }
        return text.toString();
    }

    private static void table(PrintStream out, List<String> head, List<List<String>> rows, boolean markdown) {
        int[] widths = new int[head.size()];
        for (int i = 0; i < head.size(); i++) {
            widths[i] = head.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println();
        line(out, head, widths, markdown);
        if (markdown) {
            StringBuilder rule = new StringBuilder("|");
            for (int i = 0; i < widths.length; i++) {
                rule.append(i < 1 ? "---|" : "---:|");
            }
            out.println(rule);
        }
        rows.forEach(row -> line(out, row, widths, markdown));
    }

    private static void line(PrintStream out, List<String> cells, int[] widths, boolean markdown) {
        StringBuilder line = new StringBuilder(markdown ? "| " : "");
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell));
            line.append(markdown ? " | " : "  ");
        }
        out.println(line.toString().stripTrailing());
    }

    /** Writes {@code output.json} and {@code output.md}. */
    void write(Path output) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(Path.of(output + ".json"), json.writeValueAsString(toJson(json)), StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (PrintStream md = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            md.printf("### %,d chats, %d rounds per stage, %s (%s)%n%n", options.chats(), options.rounds(), target(), machine.date());
            md.printf("Machine: %d processors, max heap %,d MiB, %s, %s; load average at the end %s; open files limit %s.%n",
                    machine.processors(), machine.maxHeapBytes() / 1048576, machine.java(), machine.os(), machine.loadAverage(),
                    machine.openFilesLimit());
            md.printf("JVM options: `%s`. deskbridge ran %s.%n", machine.jvmOptions(), deskbridge.where());
            table(md, SUMMARY_HEAD, summaryRows(), true);
            table(md, resourceHead(), resourceRows(), true);
            table(md, LATENCY_HEAD, latencyRows(), true);
            md.println();
            md.println(cpuNote());
            md.println();
            md.printf("![Threads, heap per chat and latency against the number of chats](%s.svg)%n%n", output.getFileName());
            md.println(threadPools());
            for (RunResult run : baseline().map(r -> List.of(r, deskbridge)).orElse(List.of(deskbridge))) {
                run.failures().forEach((reason, count) -> md.printf("%n- %s: %,d chats failed: %s", run.name(), count, reason));
            }
            md.println();
        }
        Files.writeString(Path.of(output + ".md"), bytes.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Files.writeString(Path.of(output + ".svg"), Chart.of(this).svg(), StandardCharsets.UTF_8);
    }

    private ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.set("machine", json.valueToTree(machine));
        ObjectNode opts = root.putObject("options");
        opts.put("chats", options.chats()).put("rampPerSecond", options.rampPerSecond()).put("rounds", options.rounds())
                .put("exchangesPerSecond", options.exchangesPerSecond()).put("desk", options.desk())
                .put("transport", options.transport().configName())
                .put("separateProcess", options.separateProcess()).put("settleTimeoutSeconds", options.settleTimeout().toSeconds());
        if (raw != null) {
            root.set("rawBaseline", run(json, raw));
        }
        root.set("deskbridge", run(json, deskbridge));
        return root;
    }

    private static ObjectNode run(ObjectMapper json, RunResult run) {
        ObjectNode node = json.createObjectNode();
        node.put("where", run.where()).put("chatsOpened", run.chatsOpened()).put("chatsJoined", run.chatsJoined())
                .put("failedChats", run.failedChats()).put("rampMillis", run.rampMillis()).put("heapBytesPerIdleChat", run.heapPerIdleChat())
                .put("setupMillis", run.setupMillis()).put("chatsSetUpPerSecond", run.chatsSetUpPerSecond())
                .put("messagesDelivered", run.messages());
        run.cpu().ifPresent(cpu -> node.put("cpuMillisDuringRounds", cpu.toMillis()));
        run.cpuSecondsPerThousandMessages().ifPresent(v -> node.put("cpuSecondsPerThousandMessages", v));
        ArrayNode stages = node.putArray("stages");
        run.stages().forEach(s -> stages.addObject().put("chats", s.chats()).put("joined", s.joined())
                .put("liveThreads", s.stats().liveThreads()).put("heapUsedAfterGcBytes", s.stats().heapUsedAfterGc())
                .put("heapCommittedBytes", s.stats().heapCommitted()).<ObjectNode>set("threadsByPool", json.valueToTree(s.stats().threadsByPool()))
                .<ObjectNode>set("userToAgentMillis", histogram(json, s.userToAgent())).set("agentToUserMillis", histogram(json, s.agentToUser())));
        node.set("setupLatencyMillis", histogram(json, run.setup()));
        node.set("userToAgentMillis", run.userToAgentMeasured() ? histogram(json, run.userToAgent()) : json.nullNode());
        node.set("agentToUserMillis", histogram(json, run.agentToUser()));
        node.set("messagesLost", json.valueToTree(run.messagesLost()));
        node.set("failures", json.valueToTree(run.failures()));
        return node;
    }

    private static ObjectNode histogram(ObjectMapper json, Histogram h) {
        ObjectNode node = json.createObjectNode();
        node.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            node.put("p50", ms(h.getValueAtPercentile(50))).put("p90", ms(h.getValueAtPercentile(90)))
                    .put("p99", ms(h.getValueAtPercentile(99))).put("max", ms(h.getMaxValue())).put("mean", h.getMean() / 1e6);
        }
        return node;
    }
}

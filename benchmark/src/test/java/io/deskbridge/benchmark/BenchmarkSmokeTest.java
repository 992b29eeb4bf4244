package io.deskbridge.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs end to end on a few chats and every chat completes. It asserts no time and no threshold: the
 * numbers are the benchmark's to report (docs/performance.md), not a test's to judge.
 */
@DisplayName("The benchmark harness")
class BenchmarkSmokeTest {

    @Test
    @DisplayName("20 chats, 2 rounds per stage: the raw baseline and deskbridge both join every chat and deliver every message both ways at each "
            + "stage; progress, CPU, setup rate and the chart are reported")
    void runsEndToEnd(@TempDir Path dir) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse("--chats", "20", "--rounds", "2", "--ramp", "200", "--settle-timeout", "30",
                "--output", dir.resolve("results").toString());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Report report = new Benchmark(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        for (RunResult run : java.util.List.of(report.baseline().orElseThrow(), report.deskbridge())) {
            assertThat(run.failures()).as(run.name() + " failures").isEmpty();
            assertThat(run.chatsJoined()).as(run.name() + " chats joined").isEqualTo(20);
            // 2 rounds at each of 5, 10 and 20 chats
            assertThat(run.userToAgent().getTotalCount()).as(run.name() + " user to agent").isEqualTo(70);
            assertThat(run.agentToUser().getTotalCount()).as(run.name() + " agent to user").isEqualTo(70);
            assertThat(run.messagesLost().values()).as(run.name() + " messages lost").containsOnly(0L);
            assertThat(run.stages()).extracting(RunResult.Stage::chats).containsExactly(0, 5, 10, 20);
            assertThat(run.stages()).extracting(stage -> stage.userToAgent().getTotalCount()).containsExactly(0L, 10L, 20L, 40L);
            assertThat(run.messages()).isEqualTo(140);
            assertThat(run.cpuSecondsPerThousandMessages()).as(run.name() + " CPU per 1,000 messages").hasValueSatisfying(v -> assertThat(v).isPositive());
            assertThat(run.chatsSetUpPerSecond()).isPositive();
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("20 of 20 chats joined", "of 140 messages");
        report.write(options.output());
        assertThat(dir.resolve("results.json")).content().contains("\"rawBaseline\"", "\"deskbridge\"", "\"agentToUserMillis\"",
                "\"cpuSecondsPerThousandMessages\"", "\"chatsSetUpPerSecond\"");
        assertThat(Files.readString(dir.resolve("results.md"))).contains("added by deskbridge", "live threads", "CPU s per 1,000 messages",
                "![Threads, heap per chat and latency against the number of chats](results.svg)");
        String svg = Files.readString(dir.resolve("results.svg"));
        assertThat(svg).startsWith("<svg").contains("Live threads", "Heap per chat", "p99", "raw baseline", "deskbridge").endsWith("</svg>\n");
        assertThat(svg.split("<polyline", -1)).as("a line per run in each of the four panels").hasSize(1 + 8);
    }

    @Test
    @DisplayName("--desk example: no simulator and no baseline; every chat joins after the greeting and every message gets its answer, timed as a round trip")
    void exampleDesk(@TempDir Path dir) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse("--desk", "example", "--chats", "8", "--rounds", "1", "--ramp", "200",
                "--settle-timeout", "30", "--output", dir.resolve("example").toString());
        Report report = new Benchmark(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(report.baseline()).isEmpty();
        RunResult run = report.deskbridge();
        assertThat(run.failures()).isEmpty();
        assertThat(run.chatsJoined()).isEqualTo(8);
        assertThat(run.userToAgent().getTotalCount()).as("round trips at 2, 4 and 8 chats").isEqualTo(14);
        assertThat(run.agentToUserMeasured()).isFalse();
        assertThat(run.messagesLost().values()).containsOnly(0L);
        report.write(options.output());
        assertThat(Files.readString(dir.resolve("example.md"))).contains("example desk", "user to answer (round trip)");
    }

    @Test
    @DisplayName("Options: the defaults, every option, and an unknown option named with the usage")
    void options() {
        BenchmarkOptions defaults = BenchmarkOptions.parse();
        assertThat(defaults.chats()).isEqualTo(1000);
        assertThat(defaults.transport().configName()).isEqualTo("web-messaging");
        assertThat(defaults.baseline()).isTrue();
        assertThat(defaults.desk()).isEqualTo("genesys");
        assertThat(BenchmarkOptions.parse("--desk", "Example").exampleDesk()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchmarkOptions.parse("--desk", "avaya"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--desk must be genesys or example");

        BenchmarkOptions all = BenchmarkOptions.parse("--chats", "10,000", "--ramp", "250", "--rounds", "5", "--rate", "300",
                "--transport", "guest-chat", "--output", "out/x", "--no-baseline", "--separate-process",
                "--server-java-options", "-Xmx2g -XX:+UseG1GC", "--settle-timeout", "90");
        assertThat(all.chats()).isEqualTo(10_000);
        assertThat(all.rampPerSecond()).isEqualTo(250);
        assertThat(all.rounds()).isEqualTo(5);
        assertThat(all.exchangesPerSecond()).isEqualTo(300);
        assertThat(all.transport().configName()).isEqualTo("guest-chat");
        assertThat(all.output()).isEqualTo(Path.of("out/x"));
        assertThat(all.baseline()).isFalse();
        assertThat(all.separateProcess()).isTrue();
        assertThat(all.serverJavaOptions()).containsExactly("-Xmx2g", "-XX:+UseG1GC");
        assertThat(all.settleTimeout().toSeconds()).isEqualTo(90);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchmarkOptions.parse("--chatz", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --chatz").hasMessageContaining("--chats N");
    }
}

package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the Carbon AI Chat adapter's unit tests ({@code src/test/js/*.test.mjs}, node's built-in test runner: every
 * server frame to its Carbon callback, bad frames, a socket that drops and comes back, reconnect, authentication,
 * files) as part of {@code ./mvnw verify}. Skipped, saying so, when Node.js 18 or later is not installed.
 */
@DisplayName("The Carbon AI Chat adapter's unit tests (node --test)")
class AdapterUnitTest {

    @Test
    @DisplayName("node --test src/test/js/ passes")
    void nodeTestsPass() throws Exception {
        Assumptions.assumeTrue(NodeTool.installed("node"),
                "Adapter unit tests skipped: Node.js 18+ is not installed (Debian: apt-get install -y nodejs npm)");
        Path tests = Path.of("src", "test", "js");
        assertThat(tests).isDirectory();
        try (var files = Files.list(tests)) {
            assertThat(files.filter(f -> f.toString().endsWith(".test.mjs")).count()).isPositive();
        }
        NodeTool.Result result = NodeTool.run(Path.of("."), Duration.ofMinutes(2), Map.of(), "node", "--test",
                tests.resolve("deskbridge-service-desk.test.mjs").toString());
        assertThat(result.exitCode()).as("node --test output:%n%s", result.output()).isZero();
        assertThat(result.output()).contains("# fail 0").doesNotContain("# pass 0");
    }
}

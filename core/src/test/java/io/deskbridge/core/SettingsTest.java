package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Settings")
class SettingsTest {

    static Settings settings(Map<String, String> values) {
        return Configuration.of(values).settings("example");
    }

    static ServiceDeskException validationError(Settings settings) {
        try {
            settings.validate();
        } catch (ServiceDeskException e) {
            assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
            return e;
        }
        throw new AssertionError("validate() passed");
    }

    @Test
    @DisplayName("every problem is reported at once, in one exception that names each key")
    void everyProblemAtOnce() {
        Properties system = new Properties();
        system.setProperty("example.typo", "1");
        Configuration configuration = Configuration.load(new String[0], Map.of(
                "example.agents", "two",
                "example.retries", "99",
                "example.joinDelay", "soon",
                "example.verbose", "yes",
                "example.url", "not a url",
                "example.mode", "loud"), Map.of("EXAMPLE_MISTAKE", "x"), system);
        Settings settings = configuration.settings("example");

        settings.requiredString("queue");
        assertThat(settings.integer("agents", 2, 1, 10)).as("fallback for a malformed number").isEqualTo(2);
        assertThat(settings.integer("retries", 3, 0, 10)).as("fallback for a number out of range").isEqualTo(3);
        assertThat(settings.duration("joinDelay", Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(6));
        assertThat(settings.bool("verbose", false)).isFalse();
        assertThat(settings.uri("url")).isEmpty();
        assertThat(settings.choice("mode", "quiet", "quiet", "normal")).isEqualTo("quiet");

        ServiceDeskException e = validationError(settings);
        assertThat(e.getMessage()).contains(
                "example.queue is required (or set EXAMPLE_QUEUE)",
                "example.agents must be a whole number, not 'two'",
                "example.retries must be between 0 and 10, not 99",
                "example.joinDelay must be a duration such as 500ms, 5s, 2m or PT5S, not 'soon'",
                "example.verbose must be true or false, not 'yes'",
                "example.url is not a valid URL: 'not a url'",
                "example.mode must be one of quiet, normal, not 'loud'",
                "example.typo is not a known setting",
                "EXAMPLE_MISTAKE (environment) is not a known setting");
        assertThat(e.getMessage().lines().filter(line -> line.startsWith("  - "))).hasSize(9);
        assertThat(settings.problems()).as("problems without the unknown keys").hasSize(7);
    }

    @Test
    @DisplayName("a malformed value names where it came from")
    void source() {
        Properties system = new Properties();
        system.setProperty("example.agents", "many");
        Settings settings = Configuration.load(new String[0], Map.of(), Map.of("EXAMPLE_RETRIES", "x"), system).settings("example");
        settings.integer("agents", 1, 1, 5);
        settings.integer("retries", 1, 1, 5);

        assertThat(validationError(settings)).hasMessageContaining("not 'many' (from system property example.agents)")
                .hasMessageContaining("not 'x' (from environment variable EXAMPLE_RETRIES)");
    }

    @Test
    @DisplayName("an unknown key lists the known ones")
    void unknownKeyListsKnown() {
        Settings settings = settings(Map.of("example.jionDelay", "5s"));
        settings.duration("joinDelay", Duration.ofSeconds(6));
        settings.bool("verbose", false);

        assertThat(validationError(settings)).hasMessageContaining("example.jionDelay is not a known setting (known: example.joinDelay, example.verbose)");
    }

    @Test
    @DisplayName("a known key set through its environment variable is not unknown; other prefixes are not checked")
    void knownEnvironmentVariable() {
        Settings settings = Configuration.load(new String[0], Map.of("other.key", "x"),
                Map.of("EXAMPLE_JOIN_DELAY", "2s", "EXAMPLES_DIR", "/tmp", "OTHER_THING", "y"), new Properties()).settings("example");

        assertThat(settings.duration("joinDelay", Duration.ZERO)).hasSeconds(2);
        assertThatCode(settings::validate).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("valid values are read as typed, with defaults for unset keys")
    void typedValues() {
        Settings settings = settings(Map.of(
                "example.agents", "4", "example.verbose", "TRUE", "example.url", "https://api.example.com/v2",
                "example.mode", "NORMAL", "example.names", "alice, bob,,carol ", "example.name", "desk one",
                "example.clientSecret", "s3cr3t"));

        assertThat(settings.integer("agents", 2, 1, 10)).isEqualTo(4);
        assertThat(settings.integer("unset", 2, 1, 10)).isEqualTo(2);
        assertThat(settings.bool("verbose", false)).isTrue();
        assertThat(settings.uri("url")).contains(URI.create("https://api.example.com/v2"));
        assertThat(settings.choice("mode", "quiet", "quiet", "normal")).isEqualTo("normal");
        assertThat(settings.list("names")).containsExactly("alice", "bob", "carol");
        assertThat(settings.list("unsetList")).isEmpty();
        assertThat(settings.string("name", "x")).isEqualTo("desk one");
        assertThat(settings.optionalString("unsetString")).isEmpty();
        assertThat(settings.secret("clientSecret")).map(Secret::reveal).contains("s3cr3t");
        assertThat(settings.secret("clientSecret")).map(Object::toString).contains("******");
        assertThat(settings.key("agents")).isEqualTo("example.agents");
        assertThatCode(settings::validate).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a problem found by the caller is reported with the others")
    void callerProblem() {
        Settings settings = settings(Map.of());
        settings.problem("example.minAgents must not exceed example.maxAgents");

        assertThat(validationError(settings)).hasMessageContaining("example.minAgents must not exceed example.maxAgents");
    }

    @Nested
    @DisplayName("durations")
    class Durations {

        @ParameterizedTest(name = "{0} is {1} ms")
        @CsvSource({"500ms, 500", "5s, 5000", "2m, 120000", "1h, 3600000", "1d, 86400000", "PT5S, 5000", "pt0.25s, 250", " 7 s , 7000"})
        void parsed(String text, long millis) {
            assertThat(Settings.parseDuration(text)).contains(Duration.ofMillis(millis));
            assertThat(settings(Map.of("example.delay", text)).duration("delay", Duration.ZERO)).isEqualTo(Duration.ofMillis(millis));
        }

        @ParameterizedTest(name = "''{0}'' is malformed")
        @ValueSource(strings = {"5", "five seconds", "5x", "-5s", "ms", "P"})
        void malformed(String text) {
            assertThat(Settings.parseDuration(text)).isEmpty();
            Settings settings = settings(Map.of("example.delay", text));
            settings.duration("delay", Duration.ZERO);
            assertThat(validationError(settings)).hasMessageContaining("example.delay must be a duration");
        }

        @Test
        @DisplayName("a duration below its minimum names the minimum")
        void minimum() {
            Settings settings = settings(Map.of("example.delay", "50ms"));

            assertThat(settings.duration("delay", Duration.ofSeconds(1), Duration.ofMillis(100))).hasSeconds(1);
            assertThat(validationError(settings)).hasMessageContaining("example.delay must be at least 100ms, not '50ms'");
        }

        @Test
        @DisplayName("a negative ISO duration is below the default minimum of zero")
        void negative() {
            Settings settings = settings(Map.of("example.delay", "PT-5S"));
            settings.duration("delay", Duration.ZERO);

            assertThat(validationError(settings)).hasMessageContaining("example.delay must be at least 0s");
        }
    }

    @Test
    @DisplayName("URLs must be absolute http(s) or ws(s) with a host")
    void urls() {
        Settings settings = settings(Map.of("example.a", "ftp://host/x", "example.b", "/relative", "example.c", "http://exa mple.com",
                "example.d", "wss://chat.example.com/socket"));

        assertThat(settings.uri("a")).isEmpty();
        assertThat(settings.uri("b")).isEmpty();
        assertThat(settings.uri("c")).isEmpty();
        assertThat(settings.uri("d")).isEqualTo(Optional.of(URI.create("wss://chat.example.com/socket")));
        assertThat(validationError(settings).getMessage()).contains("example.a must be", "example.b must be", "example.c is not a valid URL")
                .doesNotContain("example.d");
        assertThat(settings.problems()).hasSize(3);
        assertThat(List.copyOf(settings.problems())).isEqualTo(settings.problems());
    }
}

package io.deskbridge.core;

import static io.deskbridge.core.ConfigurationErrors.configurationError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Configuration")
class ConfigurationTest {
    @TempDir
    Path dir;

    Path file(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Nested
    @DisplayName("sources, later wins: defaults < file < environment < system properties")
    class Precedence {

        @Test
        void eachLayerOverridesTheOneBelow() throws IOException {
            Path config = file("deskbridge.properties", String.join("\n",
                    "a.fromFile=file", "b.fromEnv=file", "c.fromProps=file", "d.onlyFile=file"));
            Map<String, String> defaults = Map.of("a.fromFile", "default", "b.fromEnv", "default", "c.fromProps", "default",
                    "d.onlyFile", "default", "e.onlyDefault", "default");
            Map<String, String> environment = Map.of("B_FROM_ENV", "env", "C_FROM_PROPS", "env");
            Properties system = properties("c.fromProps", "property");

            Configuration configuration = Configuration.load(new String[] {"--config", config.toString()}, defaults, environment, system);

            assertThat(configuration.get("e.onlyDefault")).contains("default");
            assertThat(configuration.get("d.onlyFile")).contains("file");
            assertThat(configuration.get("a.fromFile")).contains("file");
            assertThat(configuration.get("b.fromEnv")).contains("env");
            assertThat(configuration.get("c.fromProps")).contains("property");
            assertThat(configuration.get("f.nowhere")).isEmpty();
            assertThat(configuration.sourceOf("c.fromProps")).isEqualTo("system property c.fromProps");
            assertThat(configuration.sourceOf("b.fromEnv")).isEqualTo("environment variable B_FROM_ENV");
            assertThat(configuration.sourceOf("a.fromFile")).isEqualTo("file " + config);
            assertThat(configuration.sourceOf("e.onlyDefault")).isEqualTo("default");
        }

        @Test
        @DisplayName("a blank value counts as unset, so the layer below shows through; values are trimmed")
        void blankIsUnset() {
            Configuration configuration = Configuration.load(new String[0], Map.of("a.key", "default"),
                    Map.of("A_KEY", "  "), properties("b.key", "  padded  "));

            assertThat(configuration.get("a.key")).contains("default");
            assertThat(configuration.get("b.key")).contains("padded");
        }

        @Test
        @DisplayName("with() lays values over every source; withDefaults() under them")
        void withAndWithDefaults() {
            Configuration base = Configuration.load(new String[0], Map.of(), Map.of("X_Y", "env"), properties());

            assertThat(base.with(Map.of("x.y", "override")).get("x.y")).contains("override");
            assertThat(base.withDefaults(Map.of("x.y", "fallback", "x.z", "fallback")).get("x.y")).contains("env");
            assertThat(base.withDefaults(Map.of("x.z", "fallback")).get("x.z")).contains("fallback");
        }

        @Test
        @DisplayName("desk is read in lower case")
        void desk() {
            assertThat(Configuration.of(Map.of("desk", "Genesys")).desk()).contains("genesys");
            assertThat(Configuration.empty().desk()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} is set by {1}")
    @CsvSource({
        "genesys.clientSecret, GENESYS_CLIENT_SECRET",
        "webchat.port, WEBCHAT_PORT",
        "desk, DESK",
        "example.joinDelay, EXAMPLE_JOIN_DELAY",
        "genesys.apiURL, GENESYS_API_URL",
        "my-desk.baseUrl, MY_DESK_BASE_URL",
        "deskbridge.agentTypingTimeout, DESKBRIDGE_AGENT_TYPING_TIMEOUT"
    })
    @DisplayName("environment variable names: upper case, dots and camel humps to _")
    void environmentName(String key, String variable) {
        assertThat(Configuration.environmentName(key)).isEqualTo(variable);
        assertThat(Configuration.load(new String[0], Map.of(), Map.of(variable, "from-env"), properties()).get(key)).contains("from-env");
    }

    @Nested
    @DisplayName("the properties file")
    class File {

        @Test
        @DisplayName("--config FILE and --config=FILE")
        void argument() throws IOException {
            Path config = file("a.properties", "desk=example\n");

            assertThat(Configuration.load(new String[] {"--config", config.toString()}, Map.of(), Map.of(), properties()).desk()).contains("example");
            assertThat(Configuration.load(new String[] {"--config=" + config}, Map.of(), Map.of(), properties()).desk()).contains("example");
        }

        @Test
        @DisplayName("DESKBRIDGE_CONFIG names the file when no --config is given; --config wins over it")
        void environmentVariable() throws IOException {
            Path fromEnv = file("env.properties", "desk=from-env\n");
            Path fromArg = file("arg.properties", "desk=from-arg\n");
            Map<String, String> environment = Map.of("DESKBRIDGE_CONFIG", fromEnv.toString());

            assertThat(Configuration.load(new String[0], Map.of(), environment, properties()).desk()).contains("from-env");
            assertThat(Configuration.load(new String[] {"--config", fromArg.toString()}, Map.of(), environment, properties()).desk())
                    .contains("from-arg");
        }

        @Test
        @DisplayName("DESKBRIDGE_CONFIG is not taken for an unknown deskbridge.* setting")
        void configVariableIsNotASetting() throws IOException {
            Path config = file("env.properties", "deskbridge.userTypingInterval=2s\n");
            Configuration configuration = Configuration.load(new String[0], Map.of(),
                    Map.of("DESKBRIDGE_CONFIG", config.toString()), properties());
            Settings settings = configuration.settings("deskbridge");

            SessionSettings read = SessionSettings.read(settings);
            settings.validate();

            assertThat(read.userTypingInterval()).hasSeconds(2);
        }

        @Test
        @DisplayName("a missing file fails naming the file and where its name came from")
        void missing() {
            Path missing = dir.resolve("nope.properties");

            assertThat(configurationError(() -> Configuration.load(new String[] {"--config", missing.toString()}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist").hasMessageContaining("--config");
            assertThat(configurationError(() -> Configuration.load(new String[0], Map.of(), Map.of("DESKBRIDGE_CONFIG", missing.toString()), properties())))
                    .hasMessageContaining(missing.toString()).hasMessageContaining("DESKBRIDGE_CONFIG");
        }

        @Test
        @DisplayName("a file that is not a properties file fails naming the file")
        void malformed() throws IOException {
            Path bad = file("bad.properties", "key=\\u12\n");

            assertThat(configurationError(() -> Configuration.load(new String[] {"--config", bad.toString()}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining(bad.toString()).hasMessageContaining("cannot be read");
        }
    }

    @Nested
    @DisplayName("the command line")
    class CommandLine {

        @Test
        @DisplayName("an unknown argument fails naming it, with the ones understood")
        void unknownArgument() {
            assertThat(configurationError(() -> Configuration.load(new String[] {"--verbose"}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining("'--verbose'").hasMessageContaining("--config FILE");
        }

        @Test
        @DisplayName("--config without a file name fails")
        void configWithoutFile() {
            assertThat(configurationError(() -> Configuration.load(new String[] {"--config"}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining("--config needs a file name");
            assertThat(configurationError(() -> Configuration.load(new String[] {"--config="}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining("--config needs a file name");
        }

        @Test
        @DisplayName("every bad argument is reported at once")
        void allAtOnce() {
            assertThat(configurationError(() -> Configuration.load(new String[] {"-x", "--y"}, Map.of(), Map.of(), properties())))
                    .hasMessageContaining("'-x'").hasMessageContaining("'--y'");
        }
    }

    @Nested
    @DisplayName("secrets")
    class Secrets {

        @Test
        @DisplayName("describe() and toString() mask secret keys from every source")
        void masked() throws IOException {
            Path config = file("s.properties", "genesys.clientSecret=file-secret-1\ngenesys.clientId=visible-id\n");
            Configuration configuration = Configuration.load(new String[] {"--config", config.toString()},
                    Map.of("webchat.port", "8080"), Map.of(),
                    properties("example.apiKey", "prop-secret-2", "webchat.auth.password", "prop-secret-3", "x.token", "prop-secret-4"));

            String described = configuration.describe();
            assertThat(described).contains("genesys.clientSecret=******", "genesys.clientId=visible-id", "webchat.port=8080",
                    "example.apiKey=******", "webchat.auth.password=******", "x.token=******");
            assertThat(described + configuration).doesNotContain("file-secret-1", "prop-secret-2", "prop-secret-3", "prop-secret-4");
            assertThat(configuration.toString()).contains("genesys.clientId=visible-id");
            assertThat(configuration.get("genesys.clientSecret")).contains("file-secret-1");
        }

        @Test
        @DisplayName("a setting read with Settings.secret is declared secret: masked although its name does not look secret")
        void declaredSecret() {
            Configuration configuration = Configuration.of(Map.of("acme.passphrase", "open-sesame-1", "acme.region", "eu"));
            assertThat(configuration.isSecret("acme.passphrase")).isFalse();
            Settings settings = configuration.settings("acme");
            assertThat(settings.secret("passphrase")).map(Secret::reveal).contains("open-sesame-1");
            settings.string("region", "us");
            settings.validate();

            assertThat(configuration.declaredSecretKeys()).containsExactly("acme.passphrase");
            assertThat(configuration.isSecret("acme.passphrase")).isTrue();
            assertThat(configuration.describe()).contains("acme.passphrase=******", "acme.region=eu").doesNotContain("open-sesame-1");
            assertThat(configuration.with(Map.of("acme.region", "us")).describe()).doesNotContain("open-sesame-1");
        }

        @Test
        @DisplayName("isSecretKey judges the last segment of the key")
        void secretKeys() {
            assertThat(Configuration.isSecretKey("genesys.clientSecret")).isTrue();
            assertThat(Configuration.isSecretKey("a.privateKey")).isTrue();
            assertThat(Configuration.isSecretKey("a.credentials")).isTrue();
            assertThat(Configuration.isSecretKey("secret.region")).isFalse();
            assertThat(Configuration.isSecretKey("webchat.port")).isFalse();
        }

        @Test
        @DisplayName("Secret.toString is masked; reveal gives the value")
        void secret() {
            Secret secret = new Secret("hunter2");
            assertThat(secret.toString()).isEqualTo("******");
            assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain("hunter2");
            assertThat(secret.reveal()).isEqualTo("hunter2");
            assertThat(secret).isEqualTo(new Secret("hunter2")).isNotEqualTo(new Secret("other"));
        }
    }
}

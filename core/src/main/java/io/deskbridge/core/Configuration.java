package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * deskbridge's one flat key space ({@code desk}, {@code genesys.clientSecret}, {@code webchat.port}…), read from
 * layered sources; a later source wins:
 * <ol>
 *   <li>built-in defaults,</li>
 *   <li>a properties file ({@code --config FILE} or the {@code DESKBRIDGE_CONFIG} environment variable),</li>
 *   <li>environment variables, named from the key in upper case with dots and camel humps turned into {@code _}
 *       ({@code GENESYS_CLIENT_SECRET} for {@code genesys.clientSecret}),</li>
 *   <li>system properties ({@code -Dgenesys.clientSecret=…}).</li>
 * </ol>
 * Thread-safe, and immutable but for one thing: the keys its readers declared secret. Values of secret keys (see
 * {@link #isSecret(String)}: those a desk reads with {@link Settings#secret(String)}, and those whose names look
 * secret) are masked in {@link #describe()} and {@link #toString()}.
 */
public final class Configuration {

    /** The key that selects the desk. */
    public static final String DESK_KEY = "desk";
    /** The environment variable that names a properties file when no {@code --config} is given. */
    public static final String CONFIG_FILE_ENV = "DESKBRIDGE_CONFIG";

    private static final Pattern SECRET_WORDS = Pattern.compile("(?i).*(secret|password|token|privatekey|apikey|credential).*");

    private final Map<String, String> defaults;
    private final Map<String, String> file;
    private final Map<String, String> environment;
    private final Map<String, String> systemProperties;
    private final Optional<Path> filePath;
    // A desk declares a setting secret by reading it with Settings.secret: the declaration masks it here and tells the
    // conformance kit which values must never reach persisted state. It only grows, so a copy may start from it.
    private final Set<String> declaredSecretKeys = ConcurrentHashMap.newKeySet();

    private Configuration(Map<String, String> defaults, Map<String, String> file, Optional<Path> filePath,
            Map<String, String> environment, Map<String, String> systemProperties) {
        this.defaults = Map.copyOf(defaults);
        this.file = Map.copyOf(file);
        this.filePath = filePath;
        this.environment = Map.copyOf(environment);
        this.systemProperties = Map.copyOf(systemProperties);
    }

    /** A configuration of exactly these keys and values (for tests and embedding applications). */
    public static Configuration of(Map<String, String> values) {
        return new Configuration(Map.of(), values, Optional.empty(), Map.of(), Map.of());
    }

    /** An empty configuration: every key at its default. */
    public static Configuration empty() {
        return of(Map.of());
    }

    /**
     * The configuration of a process: {@code --config FILE} from {@code args} (or {@code DESKBRIDGE_CONFIG}), the
     * process environment and the system properties, over {@code defaults}.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} if the file cannot be read or an argument is not
     *     understood
     */
    public static Configuration load(String[] args, Map<String, String> defaults) {
        return load(args, defaults, System.getenv(), System.getProperties());
    }

    /** As {@link #load(String[], Map)}, with the environment and system properties given (for tests). */
    public static Configuration load(String[] args, Map<String, String> defaults, Map<String, String> environment, Properties systemProperties) {
        Optional<Path> configFile = Optional.empty();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--config")) {
                if (i + 1 >= args.length) {
                    problems.add("--config needs a file name");
                } else {
                    configFile = Optional.of(Path.of(args[++i]));
                }
            } else if (arg.startsWith("--config=")) {
                String name = arg.substring("--config=".length());
                if (name.isBlank()) {
                    problems.add("--config needs a file name");
                } else {
                    configFile = Optional.of(Path.of(name));
                }
            } else {
                problems.add("unknown argument '" + arg + "' (use --config FILE, -Dkey=value or environment variables)");
            }
        }
        String fileSource = "--config";
        if (configFile.isEmpty() && environment.containsKey(CONFIG_FILE_ENV) && !environment.get(CONFIG_FILE_ENV).isBlank()) {
            configFile = Optional.of(Path.of(environment.get(CONFIG_FILE_ENV).trim()));
            fileSource = CONFIG_FILE_ENV;
        }
        if (!problems.isEmpty()) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "Invalid command line: " + String.join("; ", problems));
        }
        String source = fileSource;
        Map<String, String> fileValues = configFile.map(path -> readProperties(path, source)).orElse(Map.of());
        Map<String, String> props = new TreeMap<>();
        for (String name : systemProperties.stringPropertyNames()) {
            props.put(name, systemProperties.getProperty(name));
        }
        return new Configuration(defaults, fileValues, configFile, environment, props);
    }

    private static Map<String, String> readProperties(Path path, String source) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "Configuration file " + path
                    + " (from " + source + ") does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "Configuration file " + path
                    + " (from " + source + ") cannot be read: " + e, e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
    }

    /** A copy with these values laid over every source (highest precedence); for tests and embedding. */
    public Configuration with(Map<String, String> overrides) {
        Map<String, String> props = new LinkedHashMap<>(systemProperties);
        props.putAll(overrides);
        Configuration copy = new Configuration(defaults, file, filePath, environment, props);
        copy.declaredSecretKeys.addAll(declaredSecretKeys);
        return copy;
    }

    /** A copy with these defaults under every source (lowest precedence). */
    public Configuration withDefaults(Map<String, String> moreDefaults) {
        Map<String, String> merged = new LinkedHashMap<>(moreDefaults);
        merged.putAll(defaults);
        Configuration copy = new Configuration(merged, file, filePath, environment, systemProperties);
        copy.declaredSecretKeys.addAll(declaredSecretKeys);
        return copy;
    }

    /** The environment variable that sets {@code key}: {@code genesys.clientSecret} is {@code GENESYS_CLIENT_SECRET}. */
    public static String environmentName(String key) {
        StringBuilder name = new StringBuilder();
        char previous = 0;
        for (char c : key.toCharArray()) {
            if (c == '.' || c == '-') {
                name.append('_');
            } else if (Character.isUpperCase(c) && previous != 0 && Character.isLowerCase(previous)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
            previous = c;
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    /** Whether a key holds a secret, judged by its last segment ({@code clientSecret}, {@code auth.secret}, {@code apiKey}…). */
    public static boolean isSecretKey(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        return SECRET_WORDS.matcher(last).matches();
    }

    /**
     * Whether {@code key} holds a secret: a reader declared it with {@link Settings#secret(String)}, or its name looks
     * secret ({@link #isSecretKey(String)}).
     */
    public boolean isSecret(String key) {
        return declaredSecretKeys.contains(requireNonNull(key, "key is null")) || isSecretKey(key);
    }

    /** The keys read as secrets ({@link Settings#secret(String)}) from this configuration so far, sorted. */
    public Set<String> declaredSecretKeys() {
        return Collections.unmodifiableSet(new TreeSet<>(declaredSecretKeys));
    }

    /** Records that a reader treats {@code key} as a secret. */
    void declareSecret(String key) {
        declaredSecretKeys.add(requireNonNull(key, "key is null"));
    }

    /** The value of {@code key} from the highest source that sets it; blank values count as unset. */
    public Optional<String> get(String key) {
        requireNonNull(key, "key is null");
        String value = systemProperties.get(key);
        if (isBlank(value)) {
            value = environment.get(environmentName(key));
        }
        if (isBlank(value)) {
            value = file.get(key);
        }
        if (isBlank(value)) {
            value = defaults.get(key);
        }
        return isBlank(value) ? Optional.empty() : Optional.of(value.trim());
    }

    /** Where {@code key}'s value comes from, for error messages: "system property", "environment variable X"… */
    public String sourceOf(String key) {
        if (!isBlank(systemProperties.get(key))) {
            return "system property " + key;
        }
        if (!isBlank(environment.get(environmentName(key)))) {
            return "environment variable " + environmentName(key);
        }
        if (!isBlank(file.get(key))) {
            return filePath.map(p -> "file " + p).orElse("configuration");
        }
        return "default";
    }

    /** The selected desk's name ({@value #DESK_KEY}), if set. */
    public Optional<String> desk() {
        return get(DESK_KEY).map(s -> s.toLowerCase(Locale.ROOT));
    }

    /**
     * Every key set under {@code prefix + "."} in the defaults, the file or the system properties, and every
     * environment variable named {@code PREFIX_...}, as the environment variable name (the environment loses the
     * original spelling). Used to find unknown keys.
     */
    Set<String> keysUnder(String prefix) {
        String dotted = prefix + ".";
        Set<String> keys = new TreeSet<>();
        for (Map<String, String> source : List.of(defaults, file, systemProperties)) {
            source.keySet().stream().filter(k -> k.startsWith(dotted)).forEach(keys::add);
        }
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Every environment variable named {@code PREFIX_...}, except {@value #CONFIG_FILE_ENV} (which names the file,
     * not a {@code deskbridge.*} setting).
     */
    Set<String> environmentNamesUnder(String prefix) {
        String envPrefix = environmentName(prefix) + "_";
        Set<String> names = new TreeSet<>();
        environment.keySet().stream()
                .filter(k -> k.startsWith(envPrefix) && !k.equals(CONFIG_FILE_ENV))
                .forEach(names::add);
        return names;
    }

    /**
     * Every key set in the defaults, the file or the system properties, with the value that wins (from whichever
     * source), secrets masked, one {@code key=value} per line, sorted. A key set only through an environment variable
     * is not listed: the variable's name does not keep the key's spelling.
     */
    public String describe() {
        Map<String, String> all = new TreeMap<>();
        for (Map<String, String> source : List.of(defaults, file, systemProperties)) {
            for (String key : source.keySet()) {
                if (key.contains(".") || key.equals(DESK_KEY)) {
                    get(key).ifPresent(v -> all.put(key, isSecret(key) ? "******" : v));
                }
            }
        }
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /** Reads the settings of the desk or module whose keys start with {@code prefix + "."}. */
    public Settings settings(String prefix) {
        return new Settings(this, prefix);
    }

    @Override
    public String toString() {
        return "Configuration{" + describe().replace('\n', ' ').trim() + "}";
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

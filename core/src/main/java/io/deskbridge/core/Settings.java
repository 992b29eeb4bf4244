package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the typed settings under one key prefix ({@code example.}, {@code genesys.}, {@code webchat.}), collecting
 * every problem instead of stopping at the first, so that an operator fixes a configuration in one go:
 *
 * <pre>{@code
 * Settings s = configuration.settings("example");
 * Duration joinDelay = s.duration("joinDelay", Duration.ofSeconds(6));
 * int agents = s.integer("agents", 2, 1, 10);
 * s.validate(); // throws naming every missing, malformed or unknown example.* key
 * }</pre>
 *
 * A reader returns a usable fallback (the default) for a malformed value so reading can go on; {@link #validate()}
 * then fails. Keys set under the prefix but never read are reported as unknown, with the known keys listed.
 * Not thread-safe: read, validate, then discard.
 */
public final class Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Configuration configuration;
    private final String prefix;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    Settings(Configuration configuration, String prefix) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    /** The full key of a setting: {@code prefix.name}. */
    public String key(String name) {
        return prefix + "." + name;
    }

    private Optional<String> raw(String name) {
        String key = key(name);
        known.add(key);
        return configuration.get(key);
    }

    /** A required text value. */
    public String requiredString(String name) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            problems.add(key(name) + " is required (or set " + Configuration.environmentName(key(name)) + ")");
            return "";
        }
        return value.get();
    }

    /** An optional text value. */
    public Optional<String> optionalString(String name) {
        return raw(name);
    }

    /** A text value with a default. */
    public String string(String name, String defaultValue) {
        return raw(name).orElse(defaultValue);
    }

    /**
     * A secret value, masked wherever it is printed; empty when unset. Reading a setting here declares it secret: the
     * configuration masks it from then on, and the conformance kit checks it never reaches persisted state.
     */
    public Optional<Secret> secret(String name) {
        configuration.declareSecret(key(name));
        return raw(name).map(Secret::new);
    }

    /** An integer between {@code min} and {@code max} inclusive. */
    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                problems.add(key(name) + " must be between " + min + " and " + max + ", not " + parsed + from(name));
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(key(name) + " must be a whole number, not '" + value.get() + "'" + from(name));
            return defaultValue;
        }
    }

    /** A boolean: {@code true} or {@code false} (any case). */
    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String v = value.get().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        problems.add(key(name) + " must be true or false, not '" + value.get() + "'" + from(name));
        return defaultValue;
    }

    /**
     * A duration, written {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or in ISO-8601
     * ({@code PT5S}); at least {@code min}.
     */
    public Duration duration(String name, Duration defaultValue, Duration min) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> parsed = parseDuration(value.get());
        if (parsed.isEmpty()) {
            problems.add(key(name) + " must be a duration such as 500ms, 5s, 2m or PT5S, not '" + value.get() + "'" + from(name));
            return defaultValue;
        }
        if (parsed.get().compareTo(min) < 0) {
            problems.add(key(name) + " must be at least " + format(min) + ", not '" + value.get() + "'" + from(name));
            return defaultValue;
        }
        return parsed.get();
    }

    /** A non-negative duration; see {@link #duration(String, Duration, Duration)}. */
    public Duration duration(String name, Duration defaultValue) {
        return duration(name, defaultValue, Duration.ZERO);
    }

    /** An absolute {@code http}, {@code https}, {@code ws} or {@code wss} URI. */
    public Optional<URI> uri(String name) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get());
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !Set.of("http", "https", "ws", "wss").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                problems.add(key(name) + " must be an absolute http(s) or ws(s) URL, not '" + value.get() + "'" + from(name));
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            problems.add(key(name) + " is not a valid URL: '" + value.get() + "' (" + e.getReason() + ")" + from(name));
            return Optional.empty();
        }
    }

    /** One of {@code choices}, compared without case; returned as written in {@code choices}. */
    public String choice(String name, String defaultValue, String... choices) {
        Optional<String> value = raw(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(value.get())) {
                return choice;
            }
        }
        problems.add(key(name) + " must be one of " + String.join(", ", choices) + ", not '" + value.get() + "'" + from(name));
        return defaultValue;
    }

    /** A comma-separated list of non-blank items (empty when unset). */
    public List<String> list(String name) {
        return raw(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Records a problem found by the caller (for example two settings that contradict each other). */
    public void problem(String description) {
        problems.add(requireNonNull(description, "description is null"));
    }

    /** The problems found so far, unknown keys not included. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Fails if any setting was missing or malformed, or if a key under the prefix is not one this reader read.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION}, its message listing every problem by key
     */
    public void validate() {
        List<String> all = new ArrayList<>(problems);
        Set<String> knownEnv = known.stream().map(Configuration::environmentName).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        for (String key : configuration.keysUnder(prefix)) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        for (String env : configuration.environmentNamesUnder(prefix)) {
            if (!knownEnv.contains(env)) {
                unknown.add(env + " (environment)");
            }
        }
        for (String key : unknown) {
            all.add(key + " is not a known setting (known: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
        if (!all.isEmpty()) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Invalid " + prefix + " configuration:\n  - " + String.join("\n  - ", all));
        }
    }

    /** Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601. */
    public static Optional<Duration> parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return Optional.of(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        }
        try {
            return Optional.of(Duration.parse(text.trim().toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private String from(String name) {
        String source = configuration.sourceOf(key(name));
        return source.equals("default") ? "" : " (from " + source + ")";
    }
}

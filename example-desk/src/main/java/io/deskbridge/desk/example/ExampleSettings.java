package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The example desk's configuration, from the {@code example.*} keys. Every duration is written like {@code 500ms},
 * {@code 2s} or {@code PT2S}.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@code example.autopilot}</td><td>{@code true}</td><td>whether the simulated agent answers chats; tests
 *       that play the agent themselves turn it off</td></tr>
 *   <tr><td>{@code example.joinDelay}</td><td>6s</td><td>how long a new chat (or a chat an agent left) waits in the
 *       queue before an agent joins</td></tr>
 *   <tr><td>{@code example.queueUpdateInterval}</td><td>2s</td><td>how often the waiting user hears the queue position
 *       and wait time</td></tr>
 *   <tr><td>{@code example.readDelay}</td><td>500ms</td><td>how long the agent takes to read a user message</td></tr>
 *   <tr><td>{@code example.typingPause}</td><td>2s</td><td>how long the agent types before each message</td></tr>
 *   <tr><td>{@code example.transferDelay}</td><td>1500ms</td><td>how long a transfer takes before the other agent
 *       joins</td></tr>
 *   <tr><td>{@code example.reconnectDelay}</td><td>3s</td><td>how long the connection stays down after
 *       {@code disconnect and reconnect}</td></tr>
 *   <tr><td>{@code example.typingTimeout}</td><td>10s</td><td>the desk turns an agent typing indicator off when the
 *       contact center says nothing for this long (rule 9)</td></tr>
 *   <tr><td>{@code example.connectionRetryInterval}</td><td>1s</td><td>how often the desk tries to reconnect a lost
 *       contact center connection</td></tr>
 *   <tr><td>{@code example.maxMessageLength}</td><td>4000</td><td>the longest user message the contact center
 *       accepts, in characters (1 to 100000)</td></tr>
 *   <tr><td>{@code example.fileTypes}</td><td>{@code image/png, image/jpeg, image/gif, application/pdf,
 *       text/plain}</td><td>the media types of the files the contact center accepts, comma-separated;
 *       {@code image/*} accepts every image</td></tr>
 *   <tr><td>{@code example.maxFileSize}</td><td>10485760</td><td>the largest file the contact center accepts, in
 *       bytes (1 to 1073741824)</td></tr>
 *   <tr><td>{@code example.chatRetention}</td><td>1h</td><td>how long the contact center remembers a chat after it
 *       ended (a desk reconnecting in that time is told the chat is over; later, that it does not exist)</td></tr>
 * </table>
 *
 * @param autopilot whether the {@link SimulatedAgent} answers chats
 * @param joinDelay queue time before an agent joins
 * @param queueUpdateInterval time between queue status updates while waiting
 * @param readDelay time the agent takes to read a message
 * @param typingPause time the agent types before a message
 * @param transferDelay time between the start of a transfer and the other agent joining
 * @param reconnectDelay length of the outage the {@code disconnect and reconnect} command simulates
 * @param typingTimeout how long the desk keeps an agent typing indicator on without news
 * @param connectionRetryInterval time between the desk's attempts to reconnect a lost connection
 * @param maxMessageLength the longest user message the contact center accepts
 * @param fileTypes the media types of the files the contact center accepts, lower case ({@code image/*} for a family)
 * @param maxFileSize the largest file the contact center accepts, in bytes
 * @param chatRetention how long the contact center remembers a chat after it ended
 */
public record ExampleSettings(
        boolean autopilot,
        Duration joinDelay,
        Duration queueUpdateInterval,
        Duration readDelay,
        Duration typingPause,
        Duration transferDelay,
        Duration reconnectDelay,
        Duration typingTimeout,
        Duration connectionRetryInterval,
        int maxMessageLength,
        List<String> fileTypes,
        int maxFileSize,
        Duration chatRetention) {

    /** The configuration prefix of the example desk. */
    public static final String PREFIX = "example";

    private static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/([a-z0-9][a-z0-9!#$&^_.+-]*|\\*)");
    private static final List<String> DEFAULT_FILE_TYPES = List.of("image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain");

    public ExampleSettings {
        requireNonNegative(joinDelay, "joinDelay");
        requireNonNegative(readDelay, "readDelay");
        requireNonNegative(typingPause, "typingPause");
        requireNonNegative(transferDelay, "transferDelay");
        requireNonNegative(reconnectDelay, "reconnectDelay");
        requireAtLeast(queueUpdateInterval, MIN_INTERVAL, "queueUpdateInterval");
        requireAtLeast(typingTimeout, MIN_INTERVAL, "typingTimeout");
        requireAtLeast(connectionRetryInterval, MIN_INTERVAL, "connectionRetryInterval");
        if (maxMessageLength < 1) {
            throw new IllegalArgumentException("maxMessageLength must be at least 1: " + maxMessageLength);
        }
        fileTypes = List.copyOf(requireNonNull(fileTypes, "fileTypes is null"));
        for (String type : fileTypes) {
            if (!MEDIA_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("fileTypes holds '" + type + "', not a lower-case media type such as image/png or image/*");
            }
        }
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("maxFileSize must be at least 1: " + maxFileSize);
        }
        requireNonNegative(chatRetention, "chatRetention");
    }

    /** Whether the contact center accepts files of {@code contentType} (parameters such as {@code ;charset=} ignored). */
    public boolean acceptsFileType(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        String bare = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        int slash = bare.indexOf('/');
        String family = slash < 0 ? bare : bare.substring(0, slash) + "/*";
        return fileTypes.contains(bare) || fileTypes.contains(family);
    }

    /** The settings with every key at its default. */
    public static ExampleSettings defaults() {
        return new ExampleSettings(true, Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofMillis(500),
                Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(10),
                Duration.ofSeconds(1), 4000, DEFAULT_FILE_TYPES, 10 * 1024 * 1024,
                Duration.ofHours(1));
    }

    /**
     * Reads the {@code example.*} keys of {@code configuration}.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} naming every malformed,
     *     out-of-range or unknown {@code example.*} key at once
     */
    public static ExampleSettings from(Configuration configuration) {
        requireNonNull(configuration, "configuration is null");
        ExampleSettings d = defaults();
        Settings s = configuration.settings(PREFIX);
        ExampleSettings settings = new ExampleSettings(
                s.bool("autopilot", d.autopilot()),
                s.duration("joinDelay", d.joinDelay()),
                s.duration("queueUpdateInterval", d.queueUpdateInterval(), MIN_INTERVAL),
                s.duration("readDelay", d.readDelay()),
                s.duration("typingPause", d.typingPause()),
                s.duration("transferDelay", d.transferDelay()),
                s.duration("reconnectDelay", d.reconnectDelay()),
                s.duration("typingTimeout", d.typingTimeout(), MIN_INTERVAL),
                s.duration("connectionRetryInterval", d.connectionRetryInterval(), MIN_INTERVAL),
                s.integer("maxMessageLength", d.maxMessageLength(), 1, 100_000),
                fileTypes(s, d.fileTypes()),
                s.integer("maxFileSize", d.maxFileSize(), 1, 1 << 30),
                s.duration("chatRetention", d.chatRetention()));
        s.validate();
        return settings;
    }

    private static List<String> fileTypes(Settings s, List<String> defaults) {
        List<String> types = s.list("fileTypes").stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        if (types.isEmpty()) {
            return defaults;
        }
        List<String> malformed = types.stream().filter(t -> !MEDIA_TYPE.matcher(t).matches()).toList();
        if (!malformed.isEmpty()) {
            s.problem(s.key("fileTypes") + " must list media types such as image/png or image/*, not " + malformed);
            return defaults;
        }
        return types;
    }

    private static void requireNonNegative(Duration value, String name) {
        requireAtLeast(value, Duration.ZERO, name);
    }

    private static void requireAtLeast(Duration value, Duration min, String name) {
        requireNonNull(value, name + " is null");
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How the Web Messaging transport connects and paces itself, from the {@code genesys.webMessaging*} keys.
 *
 * @param webMessagingUrl the socket's base URL ({@code genesys.webMessagingUrl}, default
 *     {@code wss://webmessaging.{environment}/v1}); {@code ?deploymentId=} is appended
 * @param apiBaseUrl the REST base URL, for the history endpoint (from {@code genesys.apiBaseUrl} or the environment)
 * @param deploymentId the Messenger deployment ({@code genesys.deploymentId})
 * @param deploymentConfigBaseUrl where the deployment's public configuration is read
 *     ({@code genesys.deploymentConfigBaseUrl}, default {@code https://api-cdn.{environment}}):
 *     {@code /webdeployments/v1/deployments/{deploymentId}/config.json}
 * @param origin the {@code Origin} header sent on the socket and REST calls ({@code genesys.webMessagingOrigin});
 *     deployments may restrict the allowed domains. Without it the desk sends what Genesys's messenger SDK sends, the
 *     socket's host ({@link #effectiveOrigin()})
 * @param authenticated whether chats start with {@code configureAuthenticatedSession} ({@code genesys.authenticatedChat})
 * @param healthCheckInterval how often an idle socket is checked with {@code echo}
 *     ({@code genesys.webMessagingHealthCheckInterval}, default 60s); an unanswered check drops and
 *     reconnects it; the answer tells when the session expires
 * @param pingInterval how often a WebSocket ping keeps the socket open ({@code genesys.webMessagingPingInterval},
 *     default 15s as Genesys's messenger SDK; {@code 0s} sends none)
 * @param configRefresh how often the deployment's configuration is read again ({@code genesys.webMessagingConfigRefresh},
 *     default 10m)
 * @param reconnectBackoff the first wait before reconnecting a dropped socket ({@code genesys.webMessagingReconnectBackoff}, default 1s),
 *     doubled per failed attempt
 * @param reconnectBackoffMax the longest wait between attempts ({@code genesys.webMessagingReconnectBackoffMax}, default 30s)
 * @param reconnectTimeout how long a chat keeps trying before it is reported ended ({@code genesys.webMessagingReconnectTimeout}, default 10m)
 * @param startAttempts how many times a new chat tries to open its socket when the socket cannot be opened (a timeout,
 *     a refused connection, a 5xx or 429 answer to the handshake) before the chat fails to start
 *     ({@code genesys.webMessagingStartAttempts}, default 3; 1 tries once), waiting {@code reconnectBackoff}, doubled,
 *     between attempts
 * @param outboundRate messages per second a chat sends at most ({@code genesys.webMessagingOutboundRate}, default 2,
 *     Genesys's limit per session)
 * @param sendTimeout how long a sent message may wait for the server's confirmation ({@code genesys.webMessagingSendTimeout}, default 20s)
 * @param agentTypingDuration how long an agent typing indicator lasts when Genesys gives no duration
 *     ({@code genesys.webMessagingTypingDuration}, default 5s)
 * @param agentFallbackName the agent name shown when the deployment does not humanize agents
 *     ({@code genesys.webMessagingAgentName}, default "Agent")
 * @param endChatMode how the user's end reaches Genesys ({@code genesys.webMessagingEndChat}: {@code auto}, the
 *     default, sends {@code Presence Clear} where the deployment enables {@code conversationClear} and the closing
 *     message otherwise; {@code clear}; {@code message})
 * @param closingMessage the text sent to the agent when the user ends a chat that cannot be cleared
 *     ({@code genesys.webMessagingClosingMessage})
 * @param agentDisconnect what an agent's {@code Presence Disconnect} does ({@code genesys.webMessagingAgentDisconnect}:
 *     {@code end}, the default, ends the chat; {@code deployment} follows the deployment as Genesys's messenger does)
 * @param historyPageSize the page size of history catch-up ({@code genesys.webMessagingHistoryPageSize}, default 25)
 * @param historyMaxPages the most pages read in one catch-up ({@code genesys.webMessagingHistoryMaxPages}, default 20)
 * @param reorderWindow how long an outbound message may wait for earlier ones that Genesys delivers late
 *     ({@code genesys.webMessagingReorderWindow}, default {@code 0s}: live messages are delivered as they arrive, as
 *     Genesys's messenger SDK does; a window delays every agent message by up to its length)
 * @param readReceipts whether agent read receipts are declared ({@code genesys.webMessagingReadReceipts}, default
 *     false: Genesys's messenger SDK knows no receipts; turn it on only where the deployment is seen to send them)
 * @param skills routing skills sent as the {@code skills} custom attribute ({@code genesys.skills})
 * @param language the routing language sent as the {@code language} custom attribute ({@code genesys.language})
 */
public record WebMessagingSettings(URI webMessagingUrl, URI apiBaseUrl, URI deploymentConfigBaseUrl, String deploymentId,
        Optional<String> origin, boolean authenticated, Duration healthCheckInterval, Duration pingInterval, Duration configRefresh,
        Duration reconnectBackoff, Duration reconnectBackoffMax, Duration reconnectTimeout, int startAttempts, int outboundRate,
        Duration sendTimeout, Duration agentTypingDuration, String agentFallbackName, EndChatMode endChatMode, String closingMessage,
        AgentDisconnect agentDisconnect, int historyPageSize, int historyMaxPages, Duration reorderWindow, boolean readReceipts, java.util.List<String> skills,
        Optional<String> language) {

    /**
     * The default health check interval: a liveness probe, well above Genesys's messenger SDK's 30-second cool-down
     * between echoes (its keep-alive is the 15-second WebSocket ping, which the desk sends too).
     */
    public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(60);

    /**
     * The values the transport shares with the rest of the Genesys desk, read by the desk's settings from the
     * {@code genesys.*} keys they belong to.
     *
     * @param selected whether {@code genesys.transport} selects web messaging (a missing socket URL is a problem only then)
     * @param webMessagingUrl {@code genesys.webMessagingUrl}, or the region's {@code wss://webmessaging.{environment}/v1}
     * @param apiBaseUrl the REST base URL ({@code genesys.apiBaseUrl} or {@code https://api.{environment}})
     * @param deploymentConfigBaseUrl {@code genesys.deploymentConfigBaseUrl} or {@code https://api-cdn.{environment}}
     * @param deploymentId {@code genesys.deploymentId}
     * @param authenticated {@code genesys.authenticatedChat}
     * @param skills {@code genesys.skills}
     * @param language {@code genesys.language}
     */
    public record Shared(boolean selected, Optional<URI> webMessagingUrl, URI apiBaseUrl, URI deploymentConfigBaseUrl, String deploymentId,
            boolean authenticated, java.util.List<String> skills, Optional<String> language) {
        public Shared {
            requireNonNull(deploymentConfigBaseUrl, "deploymentConfigBaseUrl is null");
            requireNonNull(webMessagingUrl, "webMessagingUrl is null");
            requireNonNull(apiBaseUrl, "apiBaseUrl is null");
            requireNonNull(deploymentId, "deploymentId is null");
            skills = java.util.List.copyOf(skills);
            requireNonNull(language, "language is null");
        }
    }

    /** How the user's end of a chat is sent. */
    public enum EndChatMode {
        /** {@code Presence Clear} where the deployment enables clearing, the closing message otherwise. */
        AUTO("auto"),
        /** {@code Presence Clear} only (the conversation's history is wiped for the guest); refused where not enabled. */
        CLEAR("clear"),
        /** The closing message to the agent, then the socket closes; the conversation stays for the agent to end. */
        MESSAGE("message");

        private final String key;

        EndChatMode(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static EndChatMode of(String key) {
            for (EndChatMode mode : values()) {
                if (mode.key.equals(key)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown end chat mode " + key);
        }
    }

    /** What an agent's {@code Presence Disconnect} does to the chat. */
    public enum AgentDisconnect {
        /**
         * The chat ends ({@code agentEndedChat}) whatever the deployment says: an application never sees a chat without
         * an agent that the user can still write to.
         */
        END,
        /**
         * As Genesys's messenger: a disconnect that leaves the session read-only ({@code metadata.readOnly} true, or no
         * such metadata and {@code conversationDisconnect} enabled with type {@code ReadOnly}) ends the chat; one that
         * leaves it writable gives {@code agentLeftChat}, and the user's next message starts a new conversation in the
         * same session, which the deployment's flow routes again.
         */
        DEPLOYMENT;

        /** The value of {@code genesys.webMessagingAgentDisconnect}: the name in lower case. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static String[] keys() {
            return java.util.Arrays.stream(values()).map(AgentDisconnect::key).toArray(String[]::new);
        }

        static AgentDisconnect of(String key) {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        }

        /**
         * Whether a disconnect ends the chat in this mode.
         *
         * @param readOnly the event's {@code metadata.readOnly}, where it has one
         * @param deployment the deployment's configuration, read when the event says nothing
         */
        boolean endsChat(Optional<Boolean> readOnly, WebMessagingDeploymentConfig deployment) {
            return this == END || readOnly.orElse(deployment.disconnectReadOnly());
        }
    }

    public WebMessagingSettings {
        requireNonNull(webMessagingUrl, "webMessagingUrl is null");
        requireNonNull(apiBaseUrl, "apiBaseUrl is null");
        requireNonNull(deploymentId, "deploymentId is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(healthCheckInterval, "healthCheckInterval is null");
        requireNonNull(reconnectBackoff, "reconnectBackoff is null");
        requireNonNull(reconnectBackoffMax, "reconnectBackoffMax is null");
        requireNonNull(reconnectTimeout, "reconnectTimeout is null");
        requireNonNull(sendTimeout, "sendTimeout is null");
        requireNonNull(agentTypingDuration, "agentTypingDuration is null");
        requireNonNull(agentFallbackName, "agentFallbackName is null");
        requireNonNull(endChatMode, "endChatMode is null");
        requireNonNull(reorderWindow, "reorderWindow is null");
        requireNonNull(deploymentConfigBaseUrl, "deploymentConfigBaseUrl is null");
        requireNonNull(pingInterval, "pingInterval is null");
        requireNonNull(configRefresh, "configRefresh is null");
        requireNonNull(closingMessage, "closingMessage is null");
        requireNonNull(agentDisconnect, "agentDisconnect is null");
        if (reorderWindow.isNegative()) {
            throw new IllegalArgumentException("reorderWindow is negative: " + reorderWindow);
        }
        skills = java.util.List.copyOf(skills);
        requireNonNull(language, "language is null");
        if (startAttempts < 1) {
            throw new IllegalArgumentException("startAttempts must be at least 1: " + startAttempts);
        }
        if (outboundRate < 1) {
            throw new IllegalArgumentException("outboundRate must be at least 1: " + outboundRate);
        }
    }

    /**
     * The socket URL of the deployment: {@code webMessagingUrl?deploymentId=...&application=deskbridge-<version>}. Both
     * of Genesys's SDKs name themselves in {@code application} ({@code TransportSDK-<version>},
     * {@code WebMessagingSdk-<version>}), which tells their traffic apart in Genesys's logs; the desk does the same.
     */
    public URI socketUri() {
        String base = webMessagingUrl.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + "deploymentId="
                + java.net.URLEncoder.encode(deploymentId, java.nio.charset.StandardCharsets.UTF_8)
                + "&application=" + java.net.URLEncoder.encode(APPLICATION, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** What the desk calls itself in the socket URL: {@code deskbridge-} and the jar's version ({@code dev} without one). */
    static final String APPLICATION = "deskbridge-" + Optional.ofNullable(WebMessagingSettings.class.getPackage())
            .map(Package::getImplementationVersion).filter(v -> !v.isBlank()).orElse("dev");

    /** The deployment's public configuration: {@code {deploymentConfigBaseUrl}/webdeployments/v1/deployments/{deploymentId}/config.json}. */
    public URI deploymentConfigUri() {
        return URI.create(deploymentConfigBaseUrl.toString().replaceAll("/+$", "") + "/webdeployments/v1/deployments/"
                + java.net.URLEncoder.encode(deploymentId, java.nio.charset.StandardCharsets.UTF_8) + "/config.json");
    }

    /**
     * The {@code Origin} of REST calls to Genesys's API (the history): the configured one, or, as Genesys's messenger
     * SDK sends it there, the bare environment ({@code mypurecloud.com} for the socket host
     * {@code webmessaging.mypurecloud.com}).
     */
    public String restOrigin() {
        return origin.orElseGet(() -> {
            String host = effectiveOrigin();
            return host.startsWith("webmessaging.") ? host.substring("webmessaging.".length()) : host;
        });
    }

    /** The {@code Origin} sent: the configured one, or the socket's host as Genesys's messenger SDK sends. */
    public String effectiveOrigin() {
        return origin.orElseGet(() -> Optional.ofNullable(webMessagingUrl.getHost()).orElse("localhost"));
    }

    /** The default socket URL of a region: {@code wss://webmessaging.{environment}/v1}. */
    public static URI defaultWebMessagingUrl(String environment) {
        return URI.create("wss://webmessaging." + environment + "/v1");
    }

    /**
     * Reads the {@code genesys.webMessaging*} keys from {@code settings} (the {@code genesys} settings, so that the keys
     * count as known); the shared values come from the caller, which read them from the same settings. Problems are
     * collected in {@code settings}; call {@link Settings#validate()} afterwards.
     *
     * @param shared the values read from the shared {@code genesys.*} keys
     */
    public static WebMessagingSettings read(Settings settings, Shared shared) {
        URI socket = shared.webMessagingUrl().orElse(URI.create("wss://webmessaging.invalid/v1"));
        if (shared.selected() && shared.webMessagingUrl().isEmpty()) {
            settings.problem(settings.key("webMessagingUrl") + " or " + settings.key("environment")
                    + " is required for the web-messaging transport");
        }
        // The transport-neutral genesys.origin (checked by GenesysSettings) serves where the older key is not set.
        Optional<String> origin = settings.optionalString("webMessagingOrigin").or(() -> settings.optionalString("origin"));
        Duration healthCheck = settings.duration("webMessagingHealthCheckInterval", DEFAULT_HEALTH_CHECK_INTERVAL, Duration.ofMillis(50));
        Duration ping = settings.duration("webMessagingPingInterval", Duration.ofSeconds(15));
        Duration configRefresh = settings.duration("webMessagingConfigRefresh", Duration.ofMinutes(10), Duration.ofSeconds(1));
        String closingMessage = settings.string("webMessagingClosingMessage", "The customer has left the chat.");
        if (closingMessage.isBlank()) {
            settings.problem(settings.key("webMessagingClosingMessage") + " must not be blank");
            closingMessage = "The customer has left the chat.";
        }
        boolean readReceipts = settings.bool("webMessagingReadReceipts", false);
        Duration backoff = settings.duration("webMessagingReconnectBackoff", Duration.ofSeconds(1), Duration.ofMillis(10));
        Duration backoffMax = settings.duration("webMessagingReconnectBackoffMax", Duration.ofSeconds(30), Duration.ofMillis(10));
        Duration reconnectTimeout = settings.duration("webMessagingReconnectTimeout", Duration.ofMinutes(10), Duration.ofMillis(100));
        int startAttempts = settings.integer("webMessagingStartAttempts", 3, 1, 10);
        int rate = settings.integer("webMessagingOutboundRate", 2, 1, 1000);
        Duration sendTimeout = settings.duration("webMessagingSendTimeout", Duration.ofSeconds(20), Duration.ofMillis(100));
        Duration typing = settings.duration("webMessagingTypingDuration", Duration.ofSeconds(5), Duration.ofMillis(100));
        String agentName = settings.string("webMessagingAgentName", "Agent");
        if (agentName.isBlank()) {
            settings.problem(settings.key("webMessagingAgentName") + " must not be blank");
            agentName = "Agent";
        }
        String endChat = settings.choice("webMessagingEndChat", "auto", "auto", "clear", "message");
        String agentDisconnect = settings.choice("webMessagingAgentDisconnect", AgentDisconnect.END.key(), AgentDisconnect.keys());
        int pageSize = settings.integer("webMessagingHistoryPageSize", 25, 1, 100);
        int maxPages = settings.integer("webMessagingHistoryMaxPages", 20, 1, 1000);
        Duration reorderWindow = settings.duration("webMessagingReorderWindow", Duration.ZERO);
        if (reorderWindow.compareTo(Duration.ofSeconds(5)) > 0) {
            settings.problem(settings.key("webMessagingReorderWindow") + " must be at most 5s (it delays every agent message by up to"
                    + " that long), not " + reorderWindow.toMillis() + "ms");
            reorderWindow = Duration.ofSeconds(5);
        }
        if (backoffMax.compareTo(backoff) < 0) {
            settings.problem(settings.key("webMessagingReconnectBackoffMax") + " must not be shorter than "
                    + settings.key("webMessagingReconnectBackoff"));
            backoffMax = backoff;
        }
        return new WebMessagingSettings(socket, shared.apiBaseUrl(), shared.deploymentConfigBaseUrl(), shared.deploymentId(), origin,
                shared.authenticated(), healthCheck, ping, configRefresh, backoff, backoffMax, reconnectTimeout, startAttempts, rate, sendTimeout,
                typing, agentName, EndChatMode.of(endChat), closingMessage,
                AgentDisconnect.of(agentDisconnect), pageSize, maxPages, reorderWindow, readReceipts, shared.skills(),
                shared.language());
    }
}

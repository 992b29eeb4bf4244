package io.deskbridge.genesys;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Secret;
import io.deskbridge.core.Settings;
import io.deskbridge.genesys.guestchat.GuestChatServiceDeskFactory;
import io.deskbridge.genesys.webmessaging.WebMessagingCapabilities;
import io.deskbridge.genesys.webmessaging.WebMessagingSettings;
import io.deskbridge.genesys.platform.GenesysRegion;
import io.deskbridge.genesys.platform.RetryPolicy;
import io.deskbridge.spi.Capability;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;

/**
 * The Genesys desk's configuration: every {@code genesys.*} key, typed and checked. {@link #read(Configuration)}
 * reports every missing, malformed or unknown key at once. The README of the module lists the keys.
 *
 * @param transport {@code genesys.transport}
 * @param environment {@code genesys.environment}: the region, when given
 * @param apiBaseUrl the REST API ({@code genesys.apiBaseUrl}, or {@code https://api.{domain}})
 * @param loginBaseUrl the OAuth host ({@code genesys.loginBaseUrl}, or {@code https://login.{domain}})
 * @param webMessagingUrl the web messaging socket ({@code genesys.webMessagingUrl}, or
 *     {@code wss://webmessaging.{domain}/v1}); empty when neither is set
 * @param organizationId {@code genesys.organizationId}
 * @param deploymentId {@code genesys.deploymentId}
 * @param queueName {@code genesys.queueName}: the routing target
 * @param skills {@code genesys.skills}
 * @param language {@code genesys.language}
 * @param priority {@code genesys.priority}
 * @param clientId {@code genesys.clientId}
 * @param clientSecret {@code genesys.clientSecret}
 * @param authenticatedChat {@code genesys.authenticatedChat}
 * @param typingTimeout {@code genesys.typingTimeout}: how long an agent typing indicator lasts
 * @param userTypingInterval {@code genesys.userTypingInterval}: at most one user typing notice per interval
 * @param availabilityRefreshInterval {@code genesys.availabilityRefreshInterval}
 * @param requestTimeout {@code genesys.requestTimeout}: the longest one REST request may take
 * @param restRetry {@code genesys.maxRetries}, {@code genesys.retryBackoff}, {@code genesys.maxRetryBackoff},
 *     {@code genesys.maxRetryAfter}
 * @param streamReconnect {@code genesys.streamReconnectAttempts}, {@code genesys.streamReconnectBackoff},
 *     {@code genesys.maxStreamReconnectBackoff}
 * @param streamIdleTimeout {@code genesys.streamIdleTimeout}: a guest chat stream silent this long (no heartbeat) is
 *     pinged, and counts as dropped if nothing answers within {@code requestTimeout}; zero turns the check off
 * @param departureCheckDelay {@code genesys.departureCheckDelay}: how long guest chat waits, when the agent left while
 *     the guest still reads connected, before reading the guest again and reporting a transfer (zero: at once)
 * @param origin the {@code Origin} header guest chat sends ({@code genesys.origin}, else {@code genesys.webMessagingOrigin}),
 *     as a browser on the deployment's allowed domain would: {@code scheme://host[:port]}
 * @param webMessaging the web messaging transport's settings ({@code genesys.webMessaging*} keys)
 */
public record GenesysSettings(
        GenesysTransport transport,
        Optional<GenesysRegion> environment,
        URI apiBaseUrl,
        URI loginBaseUrl,
        Optional<URI> webMessagingUrl,
        String organizationId,
        String deploymentId,
        String queueName,
        List<String> skills,
        Optional<String> language,
        OptionalInt priority,
        Optional<String> clientId,
        Optional<Secret> clientSecret,
        boolean authenticatedChat,
        Duration typingTimeout,
        Duration userTypingInterval,
        Duration availabilityRefreshInterval,
        Duration requestTimeout,
        RetryPolicy restRetry,
        RetryPolicy streamReconnect,
        Duration streamIdleTimeout,
        Duration departureCheckDelay,
        Optional<String> origin,
        WebMessagingSettings webMessaging) {

    /** The configuration key prefix, also the desk's name. */
    public static final String PREFIX = "genesys";

    public GenesysSettings {
        requireNonNull(transport, "transport is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(apiBaseUrl, "apiBaseUrl is null");
        requireNonNull(loginBaseUrl, "loginBaseUrl is null");
        requireNonNull(webMessagingUrl, "webMessagingUrl is null");
        requireNonNull(organizationId, "organizationId is null");
        requireNonNull(deploymentId, "deploymentId is null");
        requireNonNull(queueName, "queueName is null");
        skills = List.copyOf(requireNonNull(skills, "skills is null"));
        requireNonNull(language, "language is null");
        requireNonNull(priority, "priority is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        requireNonNull(typingTimeout, "typingTimeout is null");
        requireNonNull(userTypingInterval, "userTypingInterval is null");
        requireNonNull(availabilityRefreshInterval, "availabilityRefreshInterval is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(restRetry, "restRetry is null");
        requireNonNull(streamReconnect, "streamReconnect is null");
        requireNonNull(streamIdleTimeout, "streamIdleTimeout is null");
        requireNonNull(departureCheckDelay, "departureCheckDelay is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(webMessaging, "webMessaging is null");
        if (clientId.isPresent() != clientSecret.isPresent()) {
            throw new IllegalArgumentException("clientId and clientSecret go together");
        }
    }

    /** Whether OAuth client credentials are configured (availability, queue status, authenticated chat). */
    public boolean hasClientCredentials() {
        return clientId.isPresent();
    }

    /**
     * What the desk supports with these settings, the one place the provider and the factories take it from: the
     * capabilities of the selected transport, with {@code AGENTS_ONLINE} and {@code QUEUE_STATUS} only when OAuth client
     * credentials are configured.
     */
    public Set<Capability> capabilities() {
        return capabilities(transport, hasClientCredentials(), webMessaging.readReceipts());
    }

    /**
     * {@link #capabilities()} for {@code configuration}, known before the desk starts and without failing: only the
     * keys the capabilities depend on ({@code genesys.transport}, {@code genesys.clientId},
     * {@code genesys.clientSecret} and {@code genesys.webMessagingReadReceipts}) are read, with the same readers as
     * {@link #read}; a malformed value counts as its default, and every problem is left for {@link #read} to report.
     */
    public static Set<Capability> capabilities(Configuration configuration) {
        Settings s = configuration.settings(PREFIX);
        boolean readReceipts = s.bool("webMessagingReadReceipts", false);
        return capabilities(transport(s), s.optionalString("clientId").isPresent() && s.secret("clientSecret").isPresent(), readReceipts);
    }

    private static Set<Capability> capabilities(GenesysTransport transport, boolean clientCredentials, boolean readReceipts) {
        return switch (transport) {
            case GUEST_CHAT -> GuestChatServiceDeskFactory.capabilitiesFor(clientCredentials);
            case WEB_MESSAGING -> WebMessagingCapabilities.of(clientCredentials, readReceipts);
        };
    }

    private static GenesysTransport transport(Settings s) {
        return GenesysTransport.fromConfigName(s.choice("transport", GenesysTransport.WEB_MESSAGING.configName(), GenesysTransport.configNames()));
    }

    /**
     * Reads and checks every {@code genesys.*} key.
     *
     * @throws io.deskbridge.spi.ServiceDeskException of kind {@code CONFIGURATION} listing every problem by key
     */
    public static GenesysSettings read(Configuration configuration) {
        Settings s = configuration.settings(PREFIX);
        GenesysTransport transport = transport(s);

        Optional<String> environmentText = s.optionalString("environment");
        Optional<GenesysRegion> region = Optional.empty();
        if (environmentText.isPresent()) {
            region = GenesysRegion.parse(environmentText.get());
            if (region.isEmpty()) {
                s.problem(s.key("environment") + " must be a Genesys Cloud region domain such as mypurecloud.ie or usw2.pure.cloud"
                        + " (or a region key such as eu_west_1), not '" + environmentText.get() + "'");
            }
        }
        Optional<URI> apiOverride = s.uri("apiBaseUrl");
        Optional<URI> loginOverride = s.uri("loginBaseUrl");
        Optional<URI> webMessagingOverride = s.uri("webMessagingUrl");
        if (environmentText.isEmpty() && (apiOverride.isEmpty() || loginOverride.isEmpty())) {
            s.problem(s.key("environment") + " is required (for example mypurecloud.ie), unless both " + s.key("apiBaseUrl")
                    + " and " + s.key("loginBaseUrl") + " are set");
        }
        // When the region is missing or wrong, validate() fails below; the placeholders only let reading go on.
        Optional<GenesysRegion> known = region;
        URI apiBaseUrl = apiOverride.orElseGet(() -> known.map(GenesysRegion::apiBaseUrl).orElse(URI.create("https://api.invalid")));
        URI loginBaseUrl = loginOverride.orElseGet(() -> known.map(GenesysRegion::loginBaseUrl).orElse(URI.create("https://login.invalid")));
        Optional<URI> webMessagingUrl = webMessagingOverride.or(() -> known.map(GenesysRegion::webMessagingUrl));
        URI deploymentConfigBaseUrl = s.uri("deploymentConfigBaseUrl")
                .orElseGet(() -> known.map(GenesysRegion::deploymentConfigBaseUrl).orElse(URI.create("https://api-cdn.invalid")));

        String organizationId = s.requiredString("organizationId");
        String deploymentId = s.requiredString("deploymentId");
        String queueName = s.requiredString("queueName");
        List<String> skills = s.list("skills");
        Optional<String> language = s.optionalString("language");
        OptionalInt priority = OptionalInt.empty();
        Optional<String> priorityText = s.optionalString("priority");
        if (priorityText.isPresent()) {
            try {
                priority = OptionalInt.of(Integer.parseInt(priorityText.get()));
            } catch (NumberFormatException e) {
                s.problem(s.key("priority") + " must be a whole number, not '" + priorityText.get() + "'");
            }
        }
        Optional<String> clientId = s.optionalString("clientId");
        Optional<Secret> clientSecret = s.secret("clientSecret");
        if (clientId.isPresent() && clientSecret.isEmpty()) {
            s.problem(s.key("clientSecret") + " is required when " + s.key("clientId") + " is set (or set "
                    + Configuration.environmentName(s.key("clientSecret")) + ")");
        }
        if (clientSecret.isPresent() && clientId.isEmpty()) {
            s.problem(s.key("clientId") + " is required when " + s.key("clientSecret") + " is set");
        }
        boolean authenticatedChat = s.bool("authenticatedChat", false);
        if (authenticatedChat && transport == GenesysTransport.GUEST_CHAT && (clientId.isEmpty() || clientSecret.isEmpty())) {
            s.problem(s.key("authenticatedChat") + "=true needs " + s.key("clientId") + " and " + s.key("clientSecret")
                    + " (an OAuth client allowed to create signed data)");
        }

        Duration typingTimeout = s.duration("typingTimeout", Duration.ofSeconds(4), Duration.ofMillis(100));
        Duration userTypingInterval = s.duration("userTypingInterval", Duration.ofSeconds(3));
        Duration availabilityRefreshInterval = s.duration("availabilityRefreshInterval", Duration.ofSeconds(15), Duration.ofMillis(100));
        Duration requestTimeout = s.duration("requestTimeout", Duration.ofSeconds(15), Duration.ofMillis(100));
        RetryPolicy defaults = RetryPolicy.defaults();
        int maxRetries = s.integer("maxRetries", defaults.maxRetries(), 0, 10);
        Duration retryBackoff = s.duration("retryBackoff", defaults.initialBackoff());
        Duration maxRetryBackoff = s.duration("maxRetryBackoff", defaults.maxBackoff());
        Duration maxRetryAfter = s.duration("maxRetryAfter", defaults.maxRetryAfter());
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            s.problem(s.key("maxRetryBackoff") + " must not be shorter than " + s.key("retryBackoff"));
            maxRetryBackoff = retryBackoff;
        }
        int reconnectAttempts = s.integer("streamReconnectAttempts", 10, 0, 1000);
        Duration reconnectBackoff = s.duration("streamReconnectBackoff", Duration.ofMillis(500));
        Duration maxReconnectBackoff = s.duration("maxStreamReconnectBackoff", Duration.ofSeconds(30));
        if (maxReconnectBackoff.compareTo(reconnectBackoff) < 0) {
            s.problem(s.key("maxStreamReconnectBackoff") + " must not be shorter than " + s.key("streamReconnectBackoff"));
            maxReconnectBackoff = reconnectBackoff;
        }
        Duration streamIdleTimeout = s.duration("streamIdleTimeout", Duration.ofSeconds(90));
        Duration departureCheckDelay = s.duration("departureCheckDelay", Duration.ofMillis(1500));
        if (departureCheckDelay.compareTo(Duration.ofSeconds(30)) > 0) {
            s.problem(s.key("departureCheckDelay") + " must be at most 30s (a departure is reported only after it)");
        }
        Optional<String> origin = origin(s);
        WebMessagingSettings webMessaging = WebMessagingSettings.read(s, new WebMessagingSettings.Shared(
                transport == GenesysTransport.WEB_MESSAGING, webMessagingUrl, apiBaseUrl, deploymentConfigBaseUrl, deploymentId,
                authenticatedChat, skills, language));
        s.validate();

        return new GenesysSettings(transport, region, apiBaseUrl, loginBaseUrl, webMessagingUrl, organizationId, deploymentId,
                queueName, skills, language, priority, clientId, clientSecret, authenticatedChat, typingTimeout, userTypingInterval,
                availabilityRefreshInterval, requestTimeout,
                new RetryPolicy(maxRetries, retryBackoff, maxRetryBackoff, maxRetryAfter),
                new RetryPolicy(reconnectAttempts, reconnectBackoff, maxReconnectBackoff, Duration.ZERO),
                streamIdleTimeout, departureCheckDelay, origin, webMessaging);
    }

    /**
     * {@code genesys.origin}, or the older {@code genesys.webMessagingOrigin} (which web messaging reads itself): the
     * origin of the page the chat stands for, checked to be an origin ({@code https://shop.example.com}) and not a
     * page's URL, since Genesys compares it with the deployment's allowed domains.
     */
    private static Optional<String> origin(Settings s) {
        String key = s.optionalString("origin").isPresent() ? "origin" : "webMessagingOrigin";
        Optional<String> text = s.optionalString(key).map(String::trim);
        if (text.isEmpty() || key.equals("webMessagingOrigin")) {
            return text; // web messaging checks its own key as it always has
        }
        try {
            URI uri = new URI(text.get());
            boolean web = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (web && uri.getHost() != null && bare && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
                return Optional.of(uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + port);
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        s.problem(s.key("origin") + " must be an origin such as https://shop.example.com (scheme and host, no path), not '" + text.get() + "'");
        return Optional.empty();
    }
}

package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the simulated Messenger deployment behaves. Immutable; {@link #defaults(String)} is a deployment as Genesys
 * creates it (the defaults of the deployment configuration Genesys's messenger SDK reads, {@code DeploymentConfig.kt}):
 * agents not humanized (Messenger shows names and pictures only once "Humanize your conversation" is enabled), clearing
 * not allowed, neither user nor agent typing shown, a disconnect that lets the guest write on
 * ({@code conversationDisconnect} type {@code Send}), Genesys's limit of 2 messages per second per session, any origin.
 * Files are the simulator's choice, not a Genesys default (a real deployment takes what its supported content profile
 * allows): images, PDFs and text files up to 10 MB. Tests and demos that need a feature turn it on with its {@code with}.
 *
 * @param deploymentId the deployment guests must name in {@code ?deploymentId=} and {@code configureSession}
 * @param humanize {@code humanize.enabled}: whether outbound messages carry {@code channel.from} (agent name and picture)
 * @param clearEnabled {@code conversationClear.enabled}: whether {@code Presence Clear} is allowed (otherwise 403
 *     "Presence events Conversation Clear are not supported")
 * @param readOnlyDisconnect whether {@code conversationDisconnect} is enabled with type {@code ReadOnly}: an agent's
 *     disconnect makes the session read-only (otherwise, type {@code Send}, the guest may write on)
 * @param authenticationRequired whether only {@code configureAuthenticatedSession} with a valid code is accepted
 * @param validAuthCodes the codes accepted by {@code configureAuthenticatedSession}
 * @param allowedFileTypes {@code allowedMedia.inbound.fileTypes} (empty: no files)
 * @param maxFileSizeKB {@code allowedMedia.inbound.maxFileSizeKB}
 * @param blockedExtensions {@code blockedExtensions}, with a leading dot
 * @param maxCustomDataBytes {@code maxCustomDataBytes}; larger custom attributes get 4013
 * @param maxTextLength the longest text accepted; longer gets 4011
 * @param messagesPerSecond the per-session {@code onMessage} rate; faster gets 4029 with {@code retryAfter}
 * @param sessionDuration how long a session lives ({@code durationSeconds})
 * @param showUserTypingIndicator {@code showUserTypingIndicator}: whether guest typing events are accepted (otherwise
 *     403 "Turn on the Feature Toggle or fix the configuration.", without {@code tracingId})
 * @param allowedOrigins the {@code Origin} headers a socket handshake may carry (empty: any, or none)
 * @param showAgentTypingIndicator {@code showAgentTypingIndicator}, as the deployment's configuration reports it
 */
public record MessengerDeployment(String deploymentId, boolean humanize, boolean clearEnabled, boolean readOnlyDisconnect,
        boolean authenticationRequired, Set<String> validAuthCodes, List<String> allowedFileTypes, long maxFileSizeKB,
        List<String> blockedExtensions, int maxCustomDataBytes, int maxTextLength, int messagesPerSecond, Duration sessionDuration,
        boolean showUserTypingIndicator, Set<String> allowedOrigins, boolean showAgentTypingIndicator) {

    public MessengerDeployment {
        requireNonNull(deploymentId, "deploymentId is null");
        validAuthCodes = Set.copyOf(validAuthCodes);
        allowedFileTypes = List.copyOf(allowedFileTypes);
        blockedExtensions = List.copyOf(blockedExtensions);
        requireNonNull(sessionDuration, "sessionDuration is null");
        allowedOrigins = Set.copyOf(allowedOrigins);
        if (messagesPerSecond < 1) {
            throw new IllegalArgumentException("messagesPerSecond must be at least 1");
        }
    }

    public static MessengerDeployment defaults(String deploymentId) {
        return new MessengerDeployment(deploymentId, false, false, false, false, Set.of(), List.of("image/*", "application/pdf", "text/plain"),
                10_240, List.of(".exe", ".bat"), 2048, 4000, 2, Duration.ofDays(3), false, Set.of(), false);
    }

    public MessengerDeployment withHumanize(boolean value) {
        return new MessengerDeployment(deploymentId, value, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    public MessengerDeployment withClearEnabled(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, value, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    public MessengerDeployment withReadOnlyDisconnect(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, value, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    public MessengerDeployment withAuthentication(Set<String> codes) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, true, codes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    public MessengerDeployment withFiles(List<String> types, long maxKB, List<String> blocked) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                types, maxKB, blocked, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    public MessengerDeployment withLimits(int customDataBytes, int textLength, int perSecond) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, customDataBytes, textLength, perSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    /** This deployment with sessions that expire after {@code duration} of inactivity ({@code durationSeconds}). */
    public MessengerDeployment withSessionDuration(Duration duration) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, duration,
                showUserTypingIndicator, allowedOrigins, showAgentTypingIndicator);
    }

    /** This deployment with {@code showUserTypingIndicator} on or off. */
    public MessengerDeployment withUserTypingIndicator(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                value, allowedOrigins, showAgentTypingIndicator);
    }

    /** This deployment accepting socket handshakes only with one of {@code origins} as {@code Origin}. */
    public MessengerDeployment withAllowedOrigins(Set<String> origins) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, origins, showAgentTypingIndicator);
    }

    /**
     * This deployment with {@code showAgentTypingIndicator} on or off: whether Messenger shows the agent's typing. Only
     * the deployment's configuration says it; the agent's typing events reach the guest either way, as Genesys's
     * messenger SDK reads them without looking at this setting.
     */
    public MessengerDeployment withAgentTypingIndicator(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration,
                showUserTypingIndicator, allowedOrigins, value);
    }

    /**
     * The deployment's public configuration as Genesys serves it at
     * {@code /webdeployments/v1/deployments/{deploymentId}/config.json} (the fields Genesys's messenger SDK reads).
     */
    public Map<String, Object> configJson() {
        Map<String, Object> conversations = new LinkedHashMap<>();
        conversations.put("messagingEndpoint", "wss://webmessaging.simulated/v1");
        conversations.put("showAgentTypingIndicator", showAgentTypingIndicator);
        conversations.put("showUserTypingIndicator", showUserTypingIndicator);
        conversations.put("autoStart", Map.of("enabled", false));
        conversations.put("conversationDisconnect", Map.of("enabled", readOnlyDisconnect, "type", readOnlyDisconnect ? "ReadOnly" : "Send"));
        conversations.put("conversationClear", Map.of("enabled", clearEnabled));
        conversations.put("humanize", Map.of("enabled", humanize));
        List<Map<String, Object>> modes = allowedFileTypes.isEmpty() ? List.of()
                : List.of(Map.of("fileTypes", allowedFileTypes, "maxFileSizeKB", maxFileSizeKB));
        Map<String, Object> messenger = new LinkedHashMap<>();
        messenger.put("enabled", true);
        messenger.put("apps", Map.of("conversations", conversations));
        messenger.put("styles", Map.of("primaryColor", "#ff4f1f"));
        messenger.put("launcherButton", Map.of("visibility", "On"));
        messenger.put("fileUpload", Map.of("enableAttachments", !allowedFileTypes.isEmpty(), "modes", modes));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("id", deploymentId);
        config.put("version", "1");
        config.put("languages", List.of("en-us"));
        config.put("defaultLanguage", "en-us");
        config.put("apiEndpoint", "https://api.simulated");
        config.put("messenger", messenger);
        config.put("journeyEvents", Map.of("enabled", false));
        config.put("status", "Active");
        config.put("auth", Map.of("enabled", authenticationRequired, "allowSessionUpgrade", false));
        return config;
    }
}

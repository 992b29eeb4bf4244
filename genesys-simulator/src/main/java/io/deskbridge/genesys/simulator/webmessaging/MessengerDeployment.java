package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the simulated Messenger deployment behaves. Immutable; {@link #defaults(String)} is a deployment like most
 * organizations run: humanized agents, clearing allowed, read-only disconnect, images and PDFs up to 10 MB,
 * Genesys's limit of 2 messages per second per session.
 *
 * @param deploymentId the deployment guests must name in {@code ?deploymentId=} and {@code configureSession}
 * @param humanize whether outbound messages carry {@code channel.from} (agent name and picture)
 * @param clearEnabled whether {@code Presence Clear} is allowed (otherwise 403)
 * @param readOnlyDisconnect whether an agent's disconnect makes the session read-only (otherwise the guest may write on)
 * @param authenticationRequired whether only {@code configureAuthenticatedSession} with a valid code is accepted
 * @param validAuthCodes the codes accepted by {@code configureAuthenticatedSession}
 * @param allowedFileTypes {@code allowedMedia.inbound.fileTypes} (empty: no files)
 * @param maxFileSizeKB {@code allowedMedia.inbound.maxFileSizeKB}
 * @param blockedExtensions {@code blockedExtensions}, with a leading dot
 * @param maxCustomDataBytes {@code maxCustomDataBytes}; larger custom attributes get 4013
 * @param maxTextLength the longest text accepted; longer gets 4011
 * @param messagesPerSecond the per-session {@code onMessage} rate; faster gets 4029 with {@code retryAfter}
 * @param sessionDuration how long a session lives ({@code durationSeconds})
 */
public record MessengerDeployment(String deploymentId, boolean humanize, boolean clearEnabled, boolean readOnlyDisconnect,
        boolean authenticationRequired, Set<String> validAuthCodes, List<String> allowedFileTypes, long maxFileSizeKB,
        List<String> blockedExtensions, int maxCustomDataBytes, int maxTextLength, int messagesPerSecond, Duration sessionDuration) {

    public MessengerDeployment {
        requireNonNull(deploymentId, "deploymentId is null");
        validAuthCodes = Set.copyOf(validAuthCodes);
        allowedFileTypes = List.copyOf(allowedFileTypes);
        blockedExtensions = List.copyOf(blockedExtensions);
        requireNonNull(sessionDuration, "sessionDuration is null");
        if (messagesPerSecond < 1) {
            throw new IllegalArgumentException("messagesPerSecond must be at least 1");
        }
    }

    public static MessengerDeployment defaults(String deploymentId) {
        return new MessengerDeployment(deploymentId, true, true, true, false, Set.of(), List.of("image/*", "application/pdf", "text/plain"),
                10_240, List.of(".exe", ".bat"), 2048, 4000, 2, Duration.ofDays(3));
    }

    public MessengerDeployment withHumanize(boolean value) {
        return new MessengerDeployment(deploymentId, value, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration);
    }

    public MessengerDeployment withClearEnabled(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, value, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration);
    }

    public MessengerDeployment withReadOnlyDisconnect(boolean value) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, value, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration);
    }

    public MessengerDeployment withAuthentication(Set<String> codes) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, true, codes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration);
    }

    public MessengerDeployment withFiles(List<String> types, long maxKB, List<String> blocked) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                types, maxKB, blocked, maxCustomDataBytes, maxTextLength, messagesPerSecond, sessionDuration);
    }

    public MessengerDeployment withLimits(int customDataBytes, int textLength, int perSecond) {
        return new MessengerDeployment(deploymentId, humanize, clearEnabled, readOnlyDisconnect, authenticationRequired, validAuthCodes,
                allowedFileTypes, maxFileSizeKB, blockedExtensions, customDataBytes, textLength, perSecond, sessionDuration);
    }
}

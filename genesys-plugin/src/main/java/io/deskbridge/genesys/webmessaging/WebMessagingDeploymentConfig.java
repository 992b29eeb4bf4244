package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a Messenger deployment's public configuration ({@code config.json}) says that the desk honours. Missing fields
 * take the defaults of Genesys's messenger SDK ({@code DeploymentConfig}): everything off, disconnect type {@code Send}.
 *
 * @param clearEnabled {@code messenger.apps.conversations.conversationClear.enabled}: the guest may send
 *     {@code Presence Clear}
 * @param showUserTypingIndicator {@code ...conversations.showUserTypingIndicator}: the guest's typing events are
 *     accepted (Genesys answers others with an uncorrelated 403)
 * @param disconnectReadOnly {@code ...conversations.conversationDisconnect} enabled with type {@code ReadOnly}
 * @param humanize {@code ...conversations.humanize.enabled}: agents' names and pictures travel in {@code channel.from}
 * @param enableAttachments {@code messenger.fileUpload.enableAttachments}, when given
 * @param uploadModes {@code messenger.fileUpload.modes}: the file types and sizes the deployment accepts
 * @param authEnabled {@code auth.enabled}: the deployment expects authenticated sessions
 * @param autoStart {@code ...conversations.autoStart.enabled}: a new session starts its conversation at once with a
 *     guest {@code Presence Join} (Genesys's messenger SDK sends it only then); otherwise the conversation starts with
 *     the guest's first message
 * @param disconnectEnabled {@code ...conversations.conversationDisconnect.enabled} as read (missing: {@code false}, the
 *     SDK's default), or empty where no configuration was read; where it is off, Genesys may not tell the guest that
 *     the agent disconnected
 */
public record WebMessagingDeploymentConfig(boolean clearEnabled, boolean showUserTypingIndicator, boolean disconnectReadOnly,
        boolean humanize, Optional<Boolean> enableAttachments, List<UploadMode> uploadModes, boolean authEnabled, boolean autoStart,
        Optional<Boolean> disconnectEnabled) {

    /** The configuration assumed until one is read, and when none can be: the SDK's defaults. */
    public static final WebMessagingDeploymentConfig DEFAULTS = new WebMessagingDeploymentConfig(false, false, false, false,
            Optional.empty(), List.of(), false, false);

    /** One {@code fileUpload.modes} entry. */
    public record UploadMode(List<String> fileTypes, OptionalLong maxFileSizeKB) {
        public UploadMode {
            fileTypes = List.copyOf(fileTypes);
            requireNonNull(maxFileSizeKB, "maxFileSizeKB is null");
        }
    }

    public WebMessagingDeploymentConfig {
        requireNonNull(enableAttachments, "enableAttachments is null");
        uploadModes = List.copyOf(uploadModes);
        requireNonNull(disconnectEnabled, "disconnectEnabled is null");
        if (disconnectReadOnly && disconnectEnabled.filter(enabled -> !enabled).isPresent()) {
            throw new IllegalArgumentException("a ReadOnly disconnect is an enabled one");
        }
    }

    /** A configuration that says nothing of whether the conversation disconnect is enabled (not read from a deployment). */
    public WebMessagingDeploymentConfig(boolean clearEnabled, boolean showUserTypingIndicator, boolean disconnectReadOnly, boolean humanize,
            Optional<Boolean> enableAttachments, List<UploadMode> uploadModes, boolean authEnabled, boolean autoStart) {
        this(clearEnabled, showUserTypingIndicator, disconnectReadOnly, humanize, enableAttachments, uploadModes, authEnabled, autoStart,
                Optional.empty());
    }

    /** Whether the deployment lets guests send files at all. */
    public boolean acceptsFiles() {
        return enableAttachments.orElse(!uploadModes.isEmpty()) && !uploadModes.isEmpty();
    }

    /** Reads {@code config.json}; fields that are missing or of another type take the SDK's defaults. */
    public static WebMessagingDeploymentConfig of(JsonNode config) {
        requireNonNull(config, "config is null");
        JsonNode conversations = config.path("messenger").path("apps").path("conversations");
        JsonNode disconnect = conversations.path("conversationDisconnect");
        JsonNode fileUpload = config.path("messenger").path("fileUpload");
        List<UploadMode> modes = new ArrayList<>();
        for (JsonNode mode : fileUpload.path("modes")) {
            List<String> types = new ArrayList<>();
            mode.path("fileTypes").forEach(t -> types.add(t.asText()));
            modes.add(new UploadMode(types, mode.path("maxFileSizeKB").canConvertToLong()
                    ? OptionalLong.of(mode.path("maxFileSizeKB").asLong()) : OptionalLong.empty()));
        }
        return new WebMessagingDeploymentConfig(
                conversations.path("conversationClear").path("enabled").asBoolean(false),
                conversations.path("showUserTypingIndicator").asBoolean(false),
                disconnect.path("enabled").asBoolean(false) && "ReadOnly".equals(disconnect.path("type").asText("Send")),
                conversations.path("humanize").path("enabled").asBoolean(false),
                fileUpload.path("enableAttachments").isBoolean() ? Optional.of(fileUpload.get("enableAttachments").asBoolean()) : Optional.empty(),
                modes,
                config.path("auth").path("enabled").asBoolean(false),
                conversations.path("autoStart").path("enabled").asBoolean(false),
                Optional.of(disconnect.path("enabled").asBoolean(false)));
    }
}

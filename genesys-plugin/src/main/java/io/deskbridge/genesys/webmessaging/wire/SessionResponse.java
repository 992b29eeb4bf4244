package io.deskbridge.genesys.webmessaging.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The answer to {@code configureSession}: whether the session is connected and what it allows.
 *
 * @param connected whether the guest is connected
 * @param newSession whether the token started a new session (false: an existing one resumed)
 * @param readOnly whether the conversation was disconnected read-only; only {@code startNew} chats again
 * @param clearedExistingSession whether an older session of the token was cleared
 * @param allowedMedia what files the guest may send
 * @param blockedExtensions file extensions refused whatever their type (with a leading dot, for example {@code .exe})
 * @param maxCustomDataBytes the size limit of custom attributes
 * @param durationSeconds how long the session lasts
 * @param expirationDate when the session expires (epoch seconds)
 * @param autoStarted whether the deployment started the conversation by itself
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record SessionResponse(boolean connected, boolean newSession, boolean readOnly, boolean clearedExistingSession,
        Optional<AllowedMedia> allowedMedia, List<String> blockedExtensions, OptionalInt maxCustomDataBytes,
        OptionalLong durationSeconds, OptionalLong expirationDate, boolean autoStarted) {
    public SessionResponse {
        allowedMedia = allowedMedia == null ? Optional.empty() : allowedMedia;
        blockedExtensions = blockedExtensions == null ? List.of() : List.copyOf(blockedExtensions);
        maxCustomDataBytes = maxCustomDataBytes == null ? OptionalInt.empty() : maxCustomDataBytes;
        durationSeconds = durationSeconds == null ? OptionalLong.empty() : durationSeconds;
        expirationDate = expirationDate == null ? OptionalLong.empty() : expirationDate;
    }

    /** What files a guest may send: {@code {inbound: {fileTypes: [{type}], maxFileSizeKB}}}. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record AllowedMedia(Optional<InboundMedia> inbound) {
        public AllowedMedia {
            inbound = inbound == null ? Optional.empty() : inbound;
        }
    }

    /** The media types ({@code image/png}, {@code image/*}, {@code *}{@code /*}) and size a guest may send. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record InboundMedia(List<FileType> fileTypes, OptionalLong maxFileSizeKB) {
        public InboundMedia {
            fileTypes = fileTypes == null ? List.of() : List.copyOf(fileTypes);
            maxFileSizeKB = maxFileSizeKB == null ? OptionalLong.empty() : maxFileSizeKB;
        }
    }

    /** One allowed media type. */
    public record FileType(String type) {
        public FileType {
            requireNonNull(type, "type is null");
        }
    }
}

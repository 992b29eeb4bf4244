package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.webmessaging.wire.SessionResponse;
import io.deskbridge.spi.FileUpload;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What files a chat accepts, where Genesys's messenger SDK takes them from ({@code createFileAttachmentProfile}): the
 * session's {@code SessionResponse} ({@code allowedMedia.inbound.fileTypes}, exact types, {@code type/*} or
 * {@code *}{@code /*}; {@code maxFileSizeKB}; {@code blockedExtensions}) where the deployment's {@code config.json}
 * has {@code fileUpload.enableAttachments}, and otherwise {@code fileUpload.modes} ({@code fileTypes} of every mode,
 * {@code maxFileSizeKB} of the first). Checked before anything is uploaded, so a user hears at once why a file cannot
 * be sent. A kilobyte is 1000 bytes and a size counts in whole kilobytes, as the SDK counts.
 */
record FileRules(List<String> allowedTypes, OptionalLong maxFileSizeKB, List<String> blockedExtensions) {

    /** No file at all. */
    static final FileRules NONE = new FileRules(List.of(), OptionalLong.empty(), List.of());

    FileRules {
        allowedTypes = List.copyOf(allowedTypes);
        blockedExtensions = blockedExtensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).map(e -> e.startsWith(".") ? e : "." + e).toList();
    }

    /** The session's rules; as the SDK, a session that names no positive {@code maxFileSizeKB} accepts no file. */
    static FileRules of(SessionResponse session) {
        Optional<SessionResponse.InboundMedia> inbound = session.allowedMedia().flatMap(SessionResponse.AllowedMedia::inbound);
        OptionalLong max = inbound.map(SessionResponse.InboundMedia::maxFileSizeKB).orElse(OptionalLong.empty());
        if (max.isEmpty() || max.getAsLong() <= 0) {
            return new FileRules(List.of(), max, session.blockedExtensions());
        }
        return new FileRules(inbound.map(i -> i.fileTypes().stream().map(SessionResponse.FileType::type).toList()).orElse(List.of()), max,
                session.blockedExtensions());
    }

    /** The rules of {@code config.json}'s {@code fileUpload.modes}: every mode's types, the first mode's size. */
    static FileRules of(List<WebMessagingDeploymentConfig.UploadMode> modes) {
        return new FileRules(modes.stream().flatMap(m -> m.fileTypes().stream()).toList(),
                modes.isEmpty() ? OptionalLong.empty() : modes.get(0).maxFileSizeKB(), List.of());
    }

    /**
     * The rules that apply, as the SDK chooses: the session's where {@code config} has {@code enableAttachments},
     * otherwise its {@code modes}. Where the configuration names neither (it could not be read, or says nothing of
     * files), the session's rules apply: Genesys enforces them anyway, and files are not refused for want of a read.
     */
    static FileRules choose(WebMessagingDeploymentConfig config, FileRules session) {
        if (config.enableAttachments().isPresent() || config.uploadModes().isEmpty()) {
            return session;
        }
        return of(config.uploadModes());
    }

    /** Whether the deployment accepts any file at all. */
    boolean acceptsFiles() {
        return !allowedTypes.isEmpty();
    }

    /** Why {@code file} cannot be sent, in words for the user, or empty when it can. */
    Optional<String> refusal(FileUpload file) {
        if (!acceptsFiles()) {
            return Optional.of("Files cannot be sent in this chat.");
        }
        String extension = "." + file.extension();
        if (!file.extension().isEmpty() && blockedExtensions.contains(extension)) {
            return Optional.of("Files of type " + extension + " cannot be sent.");
        }
        String type = UploadContentTypes.of(file);
        boolean allowed = allowedTypes.stream().map(t -> t.toLowerCase(Locale.ROOT)).anyMatch(t -> matches(t, type));
        if (!allowed) {
            return Optional.of("Files of type " + type + " cannot be sent.");
        }
        if (maxFileSizeKB.isPresent() && file.sizeBytes() / 1000 > maxFileSizeKB.getAsLong()) {
            return Optional.of("The file " + file.fileName() + " is larger than " + maxFileSizeKB.getAsLong() + " KB.");
        }
        return Optional.empty();
    }

    private static boolean matches(String pattern, String type) {
        if (pattern.equals("*/*") || pattern.equals("*") || pattern.equals(type)) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return false;
    }
}

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.webmessaging.wire.SessionResponse;
import io.deskbridge.spi.FileUpload;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What files a session accepts, from its {@code SessionResponse}: {@code allowedMedia.inbound.fileTypes} (exact
 * types, {@code type/*} or {@code *}{@code /*}), {@code maxFileSizeKB} and {@code blockedExtensions}. Checked before
 * anything is uploaded, so a user hears at once why a file cannot be sent.
 */
record FileRules(List<String> allowedTypes, OptionalLong maxFileSizeKB, List<String> blockedExtensions) {

    FileRules {
        allowedTypes = List.copyOf(allowedTypes);
        blockedExtensions = blockedExtensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).map(e -> e.startsWith(".") ? e : "." + e).toList();
    }

    static FileRules of(SessionResponse session) {
        Optional<SessionResponse.InboundMedia> inbound = session.allowedMedia().flatMap(SessionResponse.AllowedMedia::inbound);
        return new FileRules(
                inbound.map(i -> i.fileTypes().stream().map(SessionResponse.FileType::type).toList()).orElse(List.of()),
                inbound.map(SessionResponse.InboundMedia::maxFileSizeKB).orElse(OptionalLong.empty()),
                session.blockedExtensions());
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
        if (maxFileSizeKB.isPresent() && file.sizeBytes() > maxFileSizeKB.getAsLong() * 1024) {
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

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Settings;
import io.deskbridge.spi.FileUpload;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The files a vendor accepts: the file name extensions and the largest size. A desk refuses early what the vendor
 * would refuse, when the files are selected and again when a message carries them, with a sentence the user can read.
 *
 * @param allowedTypes the accepted file name extensions, lower case, without the dot
 * @param maxFileSize the largest file, in bytes
 */
public record FileRules(Set<String> allowedTypes, long maxFileSize) {

    /** The settings keys {@link #read} reads, under the desk's prefix. */
    public static final String MAX_FILE_SIZE = "maxFileSize";
    public static final String ALLOWED_FILE_TYPES = "allowedFileTypes";

    public FileRules {
        allowedTypes = requireNonNull(allowedTypes, "allowedTypes is null").stream().map(FileRules::normalise).collect(Collectors.toUnmodifiableSet());
        if (allowedTypes.isEmpty()) {
            throw new IllegalArgumentException("allowedTypes is empty: no file could be sent");
        }
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("maxFileSize must be positive: " + maxFileSize);
        }
    }

    /**
     * Reads {@value #MAX_FILE_SIZE} (bytes) and {@value #ALLOWED_FILE_TYPES} (comma-separated extensions, a leading dot
     * and case ignored) from the desk's {@code settings}, each with its default; a problem is added to the settings.
     */
    public static FileRules read(Settings settings, int defaultMaxFileSize, List<String> defaultTypes) {
        requireNonNull(settings, "settings is null");
        int maxFileSize = settings.integer(MAX_FILE_SIZE, defaultMaxFileSize, 1, Integer.MAX_VALUE);
        List<String> types = settings.list(ALLOWED_FILE_TYPES);
        return new FileRules(Set.copyOf(types.isEmpty() ? defaultTypes : types), maxFileSize);
    }

    /** Why {@code file} cannot be sent, in a sentence for the user, or empty when it can. */
    public Optional<String> refusal(FileUpload file) {
        requireNonNull(file, "file is null");
        if (!allowedTypes.contains(file.extension())) {
            return Optional.of(file.fileName() + " cannot be sent: only " + String.join(", ", new TreeSet<>(allowedTypes)) + " files are accepted");
        }
        return file.sizeBytes() > maxFileSize
                ? Optional.of(file.fileName() + " cannot be sent: it is larger than " + maxFileSize + " bytes")
                : Optional.empty();
    }

    /** Why the first of {@code files} that cannot be sent cannot, or empty when all can. */
    public Optional<String> refusal(List<FileUpload> files) {
        return requireNonNull(files, "files is null").stream().map(this::refusal).flatMap(Optional::stream).findFirst();
    }

    private static String normalise(String type) {
        return requireNonNull(type, "a file type is null").trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
    }
}

package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of checking or uploading one file.
 *
 * @param fileId {@link FileUpload#id()}
 * @param errorMessage why the file was refused or failed, in words for the user; empty when it is fine
 */
public record FileUploadStatus(String fileId, Optional<String> errorMessage) {
    public FileUploadStatus {
        requireNonBlank(fileId, "fileId");
        requireNonNull(errorMessage, "errorMessage is null");
    }

    /** The file was accepted (checked or uploaded). */
    public static FileUploadStatus accepted(String fileId) {
        return new FileUploadStatus(fileId, Optional.empty());
    }

    /** The file was refused; {@code errorMessage} says why, in words the user may be shown. */
    public static FileUploadStatus failed(String fileId, String errorMessage) {
        return new FileUploadStatus(fileId, Optional.of(requireNonBlank(errorMessage, "errorMessage")));
    }

    /** Whether the file was refused. */
    public boolean isError() {
        return errorMessage.isPresent();
    }
}

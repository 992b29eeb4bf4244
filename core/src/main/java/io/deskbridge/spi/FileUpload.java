package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;

/**
 * A file the user selected or sent.
 *
 * @param id the application's id of the upload, used in {@link ServiceDeskCallback#setFileUploadStatus(FileUploadStatus)}
 * @param fileName the name the user's file had
 * @param contentType its media type, for example {@code image/png}
 * @param sizeBytes its size
 * @param content how to read it; may be opened more than once
 */
public record FileUpload(String id, String fileName, String contentType, long sizeBytes, Content content) {

    /** The bytes of an upload, opened on demand so large files are never held in memory by the contract. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    public FileUpload {
        requireNonBlank(id, "id");
        requireNonBlank(fileName, "fileName");
        requireNonBlank(contentType, "contentType");
        requireNonNull(content, "content is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative: " + sizeBytes);
        }
    }

    /** The part of the file name after its last dot, lower case, or an empty string. */
    public String extension() {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
    }
}

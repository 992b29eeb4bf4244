package io.deskbridge.genesys.webmessaging;

import io.deskbridge.spi.FileUpload;
import java.net.FileNameMap;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The media type a user's file is announced with ({@code onAttachment.fileType}) and stored with (the
 * {@code Content-Type} of the pre-signed PUT). Genesys's storage refuses or mis-scans a file stored without the right
 * type: Genesys's messenger SDK always sends one, resolved from the file name, and sends {@code .opus} voice notes as
 * {@code audio/ogg} so that they are accepted. The type the user's browser declared is kept where it says something;
 * where it is missing or generic ({@code application/octet-stream}) the type is resolved from the name as the SDK does.
 */
final class UploadContentTypes {
    static final String GENERIC = "application/octet-stream";
    private static final FileNameMap BY_NAME = URLConnection.getFileNameMap();
    /** Types the SDK resolves by name that the JDK's table does not know, or that Genesys wants spelled otherwise. */
    private static final Map<String, String> OVERRIDES = Map.of(
            "opus", "audio/ogg",
            "ogg", "audio/ogg",
            "webp", "image/webp",
            "mp4", "video/mp4",
            "mp3", "audio/mpeg",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "csv", "text/csv",
            "json", "application/json");

    private UploadContentTypes() {}

    /** The type {@code file} is announced and stored with. */
    static String of(FileUpload file) {
        if (file.extension().equals("opus")) {
            return "audio/ogg"; // as the SDK: Genesys's storage accepts Opus voice notes only as audio/ogg
        }
        String declared = file.contentType().strip();
        int parameters = declared.indexOf(';');
        String bare = (parameters < 0 ? declared : declared.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
        if (!bare.isEmpty() && !bare.equals(GENERIC) && bare.contains("/")) {
            return bare;
        }
        return byName(file.fileName());
    }

    /** The type a file name implies, or {@code application/octet-stream}. */
    static String byName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        String override = OVERRIDES.get(extension);
        if (override != null) {
            return override;
        }
        return Optional.ofNullable(BY_NAME.getContentTypeFor(fileName.toLowerCase(Locale.ROOT))).orElse(GENERIC);
    }
}

package io.deskbridge.webchat.protocol;

/**
 * Why an upload was refused: the {@code code} of an {@code uploadRefused} frame, or of the JSON error body of the
 * upload's HTTP request. Codes are part of the protocol: new ones may be added, none is renamed.
 */
public enum UploadRefusal {
    /** The desk takes no files at all (it lacks the {@code fileUploads} capability), or the server has uploads off. */
    FILES_NOT_ACCEPTED,
    /** There is no chat in progress to send the file in. */
    NO_CHAT,
    /** The file is larger than the server's cap ({@code webchat.maxUploadBytes}). */
    FILE_TOO_LARGE,
    /** The desk's rules refuse the file (its type, extension or size); the message says which. */
    REFUSED_BY_DESK,
    /** The session has as many files waiting to be sent as it may hold; send or drop some first. */
    TOO_MANY_FILES,
    /** The file id was already used for another file in this chat. */
    DUPLICATE_FILE_ID,
    /** The upload URL is unknown, expired or already used (HTTP 404). */
    UPLOAD_NOT_FOUND,
    /** The request's body is not the size {@code upload.size} announced (HTTP 400), or has no length (HTTP 411). */
    SIZE_MISMATCH,
    /** The page's origin may not upload to this server ({@code webchat.allowedOrigins}, HTTP 403). */
    ORIGIN_NOT_ALLOWED,
    /** The server could not store the file (HTTP 503); the page may upload it again. */
    STORAGE_FAILED
}

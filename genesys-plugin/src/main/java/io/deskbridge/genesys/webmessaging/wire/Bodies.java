package io.deskbridge.genesys.webmessaging.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The bodies of server frames other than {@link SessionResponse} and {@link StructuredMessage}. */
public final class Bodies {
    private Bodies() {}

    /** {@code JwtResponse}: a JWT for the REST API, valid until {@code exp} (epoch seconds). */
    public record JwtResponse(String jwt, long exp) {
        public JwtResponse {
            requireNonNull(jwt, "jwt is null");
        }

        @Override
        public String toString() {
            return "JwtResponse[jwt=******, exp=" + exp + "]";
        }
    }

    /** {@code TooManyRequestsErrorMessage}: slow down for {@code retryAfter} seconds. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record TooManyRequests(int retryAfter, int errorCode, Optional<String> errorMessage) {
        public TooManyRequests {
            errorMessage = errorMessage == null ? Optional.empty() : errorMessage;
        }
    }

    /** {@code PresignedUrlResponse}: where and with which headers to PUT a file. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record PresignedUrl(String attachmentId, Map<String, String> headers, String url, Optional<String> fileName,
            Optional<Long> fileSize, Optional<String> fileType) {
        public PresignedUrl {
            requireNonNull(attachmentId, "attachmentId is null");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            requireNonNull(url, "url is null");
            fileName = fileName == null ? Optional.empty() : fileName;
            fileSize = fileSize == null ? Optional.empty() : fileSize;
            fileType = fileType == null ? Optional.empty() : fileType;
        }
    }

    /** {@code UploadSuccessEvent}: the file is stored and may be referenced in a message. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record UploadSuccess(String attachmentId, Optional<String> downloadUrl, Optional<String> timestamp) {
        public UploadSuccess {
            requireNonNull(attachmentId, "attachmentId is null");
            downloadUrl = downloadUrl == null ? Optional.empty() : downloadUrl;
            timestamp = timestamp == null ? Optional.empty() : timestamp;
        }
    }

    /** {@code UploadFailureEvent}: the stored file was refused (for example by a virus scan). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record UploadFailure(String attachmentId, Optional<Integer> errorCode, Optional<String> errorMessage) {
        public UploadFailure {
            requireNonNull(attachmentId, "attachmentId is null");
            errorCode = errorCode == null ? Optional.empty() : errorCode;
            errorMessage = errorMessage == null ? Optional.empty() : errorMessage;
        }
    }

    /** {@code ConnectionClosedEvent}: the server closed this connection (session opened elsewhere, signed in, cleared). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record ConnectionClosed(Optional<String> reason, Optional<String> reasonCode) {
        public ConnectionClosed {
            reason = reason == null ? Optional.empty() : reason;
            reasonCode = reasonCode == null ? Optional.empty() : reasonCode;
        }
    }

    /** A page of {@code GET /api/v2/webmessaging/messages}: newest message first. */
    public record MessagePage(List<StructuredMessage> entities, int pageSize, int pageNumber, int total, int pageCount) {
        public MessagePage {
            entities = entities == null ? List.of() : List.copyOf(entities);
        }
    }
}

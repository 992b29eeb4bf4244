package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.webchat.protocol.UploadRefusal;
import io.deskbridge.webchat.upload.FileUploads;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /upload/TOKEN}: the bytes of a file the chat socket accepted ({@code uploadReady}). Answers JSON:
 * {@code 200 {fileId, size}}, or an error status with {@code {code, messageToUser}} (see {@link UploadRefusal}).
 * Pages on other allowed origins get CORS headers and their preflight answered.
 *
 * <p>The body is read on the request's Jetty thread straight into the upload's file, at most the announced size plus
 * one byte; a request that stalls is ended by the connector's idle timeout.
 */
final class UploadEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(UploadEndpoint.class);

    private final FileUploads uploads;
    private final CrossOrigin crossOrigin;

    UploadEndpoint(FileUploads uploads, CrossOrigin crossOrigin) {
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.crossOrigin = requireNonNull(crossOrigin, "crossOrigin is null");
    }

    /** Whether {@code path} is an upload URL. */
    static boolean matches(String path) {
        return path.startsWith(FileUploads.PATH_PREFIX);
    }

    void handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (HttpMethod.OPTIONS.is(method)) {
            crossOrigin.addPreflightHeaders(request, response, "PUT, POST");
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return;
        }
        crossOrigin.addHeaders(request, response);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!HttpMethod.PUT.is(method) && !HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "PUT, POST, OPTIONS");
            answer(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, error(UploadRefusal.UPLOAD_NOT_FOUND,
                    "Upload the file's bytes with PUT."));
            return;
        }
        if (!crossOrigin.allows(request)) {
            LOG.info("upload refused: origin {} is not in webchat.allowedOrigins", CrossOrigin.origin(request).orElse("-"));
            answer(response, callback, HttpStatus.FORBIDDEN_403, error(UploadRefusal.ORIGIN_NOT_ALLOWED,
                    "This page's origin may not upload files here (webchat.allowedOrigins)."));
            return;
        }
        String token = path.substring(FileUploads.PATH_PREFIX.length());
        long length = request.getLength();
        FileUploads.Received received;
        try (InputStream body = Content.Source.asInputStream(request)) {
            received = uploads.receive(token, length < 0 ? OptionalLong.empty() : OptionalLong.of(length), body);
        }
        if (received instanceof FileUploads.Received.Stored stored) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("fileId", stored.fileId());
            node.put("size", stored.size());
            answer(response, callback, HttpStatus.OK_200, node);
        } else if (received instanceof FileUploads.Received.Refused refused) {
            // A refused body may not have been read to its end: close the connection rather than read the rest.
            if (refused.httpStatus() == HttpStatus.PAYLOAD_TOO_LARGE_413 || refused.httpStatus() == HttpStatus.BAD_REQUEST_400) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            answer(response, callback, refused.httpStatus(), error(refused.code(), refused.messageToUser()));
        }
    }

    private static ObjectNode error(UploadRefusal code, String messageToUser) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("code", code.name());
        node.put("messageToUser", messageToUser);
        return node;
    }

    private static void answer(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }
}

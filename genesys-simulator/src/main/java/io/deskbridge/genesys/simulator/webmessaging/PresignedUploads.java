package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;

/**
 * Attachments as Genesys takes them: the guest asks for an upload URL on the socket ({@code onAttachment}, checked
 * against the deployment's file types, blocked extensions and size limit), {@code PUT}s the file to that pre-signed
 * URL ({@code /uploads/{attachmentId}} on the REST API), and hears {@code UploadSuccessEvent} or {@code
 * UploadFailureEvent} on its sockets. A message may refer to an attachment only once it is uploaded. Thread-safe.
 */
final class PresignedUploads {
    static final String PATH_PREFIX = "/uploads/";

    private record PendingUpload(SimulatedWebMessagingSession session, String fileName, String fileType, long fileSize) {}

    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<MessengerDeployment> deployment;
    private final Supplier<URI> publicBaseUrl;
    private final Map<String, PendingUpload> pending = new ConcurrentHashMap<>();
    private final GuestSocketServer server;

    /** @param publicBaseUrl where guests reach the REST endpoints: the base of the upload and download URLs */
    PresignedUploads(ObjectMapper json, Clock clock, Supplier<MessengerDeployment> deployment,
            Supplier<URI> publicBaseUrl, GuestSocketServer server) {
        this.json = json;
        this.clock = clock;
        this.deployment = deployment;
        this.publicBaseUrl = publicBaseUrl;
        this.server = server;
    }

    /** Whether the attachment was presigned but not uploaded yet. */
    boolean isPending(String attachmentId) {
        return pending.containsKey(attachmentId);
    }

    /** {@code onAttachment}: a {@code PresignedUrlResponse}, or the refusal of the file. */
    void presign(WebSocket connection, SimulatedWebMessagingSession session, JsonNode request, String tracingId) {
        MessengerDeployment dep = deployment.get();
        String fileName = request.path("fileName").asText("");
        String fileType = request.path("fileType").asText("").toLowerCase(Locale.ROOT);
        long size = request.path("fileSize").asLong(0);
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot).toLowerCase(Locale.ROOT);
        boolean errorsAsJson = request.path("errorsAsJson").asBoolean(false);
        String attachmentIdAsked = request.path("attachmentId").asText("");
        if (fileName.isBlank()) {
            server.send(connection, ErrorFrames.fileError(json, errorsAsJson, attachmentIdAsked, 4004, "file name invalid", tracingId));
            return;
        }
        boolean typeAllowed = dep.allowedFileTypes().stream().map(t -> t.toLowerCase(Locale.ROOT))
                .anyMatch(t -> t.equals("*/*") || t.equals(fileType) || t.endsWith("/*") && fileType.startsWith(t.substring(0, t.length() - 1)));
        if (!typeAllowed || dep.blockedExtensions().contains(extension)) {
            server.send(connection, ErrorFrames.fileError(json, errorsAsJson, attachmentIdAsked, 4001, "file type invalid", tracingId));
            return;
        }
        if (size > dep.maxFileSizeKB() * 1024) {
            server.send(connection, ErrorFrames.fileError(json, errorsAsJson, attachmentIdAsked, 4002, "file size invalid", tracingId));
            return;
        }
        String attachmentId = request.path("attachmentId").asText(UUID.randomUUID().toString());
        pending.put(attachmentId, new PendingUpload(session, fileName, fileType, size));
        ObjectNode body = json.createObjectNode();
        body.put("attachmentId", attachmentId);
        body.putObject("headers").put("x-amz-tagging", "abc");
        body.put("url", publicBaseUrl.get() + PATH_PREFIX + attachmentId);
        body.put("fileName", fileName);
        body.put("fileSize", size);
        body.put("fileType", fileType);
        server.send(connection, session.frame("response", "PresignedUrlResponse", 200, body, tracingId));
    }

    /** {@code PUT /uploads/{attachmentId}}: keeps the file and tells the session's sockets how it went. */
    void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            String attachmentId = exchange.getRequestURI().getPath().substring(PATH_PREFIX.length());
            PendingUpload upload = pending.get(attachmentId);
            if (!exchange.getRequestMethod().equals("PUT") || upload == null) {
                WebMessagingRest.respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found"), json);
                return;
            }
            long size;
            byte[] content;
            try (InputStream body = exchange.getRequestBody()) {
                // Keep at most what was announced (a larger body fails below), so tests can read what arrived.
                content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, upload.fileSize()));
                size = content.length + body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(200, -1);
            pending.remove(attachmentId);
            SimulatedWebMessagingSession session = upload.session();
            ObjectNode event;
            if (size != upload.fileSize()) {
                event = session.frame("message", "UploadFailureEvent", 200, json.createObjectNode().put("attachmentId", attachmentId)
                        .put("errorCode", 4003).put("errorMessage", "file content invalid").put("timestamp", clock.instant().toString()), null);
            } else {
                session.recordUpload(new SimulatedWebMessagingSession.UploadedFile(attachmentId, upload.fileName(), upload.fileType(), content));
                event = session.frame("message", "UploadSuccessEvent", 200, json.createObjectNode().put("attachmentId", attachmentId)
                        .put("downloadUrl", publicBaseUrl.get() + "/downloads/" + attachmentId).put("timestamp",
                                clock.instant().toString()), null);
            }
            server.pushAll(session, event);
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.ChatLane;
import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.webmessaging.wire.Bodies;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's files of one chat: checked against the deployment's rules, announced with {@code onAttachment}, put to
 * the pre-signed URL Genesys answers with, and accepted once Genesys reports {@code UploadSuccessEvent}. Every file's
 * outcome reaches {@code setFileUploadStatus}, with Genesys's reason when it refuses the file.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingUploads {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingUploads.class);
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final String chatId;
    private final WebMessagingSettings settings;
    private final WebMessagingSocket socket;
    private final HttpClient http;
    private final ServiceDeskCallback callback;
    private final ChatLane timers;
    private final Supplier<String> token;
    private final BooleanSupplier running;
    private final WebMessagingRequestMetrics metrics;
    private final Map<String, CompletableFuture<Frame>> stored = new HashMap<>();
    private FileRules sessionRules = FileRules.NONE;
    private WebMessagingDeploymentConfig deploymentConfig = WebMessagingDeploymentConfig.DEFAULTS;

    WebMessagingUploads(String chatId, WebMessagingSettings settings, WebMessagingSocket socket, HttpClient http,
            ServiceDeskCallback callback, ChatLane timers, Supplier<String> token, BooleanSupplier running, WebMessagingRequestMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.http = requireNonNull(http, "http is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.token = requireNonNull(token, "token is null");
        this.running = requireNonNull(running, "running is null");
    }

    /** The file rules the session's {@code SessionResponse} gives. */
    void rules(FileRules rules) {
        this.sessionRules = requireNonNull(rules, "rules is null");
    }

    /** The deployment's configuration, which says whether the session's rules or its own {@code modes} apply. */
    void deploymentConfig(WebMessagingDeploymentConfig config) {
        this.deploymentConfig = requireNonNull(config, "config is null");
    }

    /** The rules that apply to this chat's files ({@link FileRules#choose}). */
    FileRules rules() {
        return FileRules.choose(deploymentConfig, sessionRules);
    }

    /** Reports at once every file the deployment will refuse. */
    void refuseEarly(List<FileUpload> files) {
        for (FileUpload file : files) {
            rules().refusal(file).ifPresent(reason -> {
                LOG.info("chat={} refused file {} early: {}", chatId, file.id(), reason);
                callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason));
            });
        }
    }

    /** Uploads the files one after the other; completes with their attachment ids, in order. */
    CompletableFuture<List<String>> uploadAll(List<FileUpload> files) {
        CompletableFuture<List<String>> all = CompletableFuture.completedFuture(new ArrayList<>());
        for (FileUpload file : files) {
            all = all.thenComposeAsync(ids -> upload(file).thenApply(id -> {
                ids.add(id);
                return ids;
            }), timers);
        }
        return all;
    }

    /** {@code UploadSuccessEvent} or {@code UploadFailureEvent} for an attachment. */
    void uploadEvent(String attachmentId, Frame frame) {
        CompletableFuture<Frame> waiting = stored.get(attachmentId);
        if (waiting != null) {
            waiting.complete(frame);
        }
    }

    private CompletableFuture<String> upload(FileUpload file) {
        Optional<String> refusal = rules().refusal(file);
        if (refusal.isPresent()) {
            callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), refusal.get()));
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                    "File " + file.id() + " is not accepted by the deployment", refusal.get(), null));
        }
        String attachmentId = UUID.randomUUID().toString();
        String tracingId = WebMessagingSocket.nextTracingId("attachment");
        CompletableFuture<Frame> done = new CompletableFuture<>();
        stored.put(attachmentId, done);
        // With errorsAsJson Genesys refuses a file as GenerateUrlError (code 200, no tracingId) naming the attachment.
        WebMessagingSocket.Claim answer = WebMessagingClaims.attachment(attachmentId);
        return socket.request(Requests.OnAttachment.of(token.get(), attachmentId, file.fileName(), UploadContentTypes.of(file), file.sizeBytes(),
                        tracingId), tracingId, settings.sendTimeout(), answer)
                .thenComposeAsync(frame -> {
                    if (frame.responseClass().filter(c -> c == ResponseClass.GENERATE_URL_ERROR).isPresent()) {
                        throw refused(file, frame);
                    }
                    if (!frame.isSuccess()) {
                        throw WebMessagingException.of("the file " + file.fileName(), frame);
                    }
                    return put(file, socket.read(frame, Bodies.PresignedUrl.class)).thenCompose(
                            ignored -> done.orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS));
                }, timers).thenApplyAsync(frame -> {
                    if (frame.responseClass().filter(c -> c == ResponseClass.UPLOAD_FAILURE_EVENT).isPresent()) {
                        throw refused(file, frame);
                    }
                    callback.setFileUploadStatus(FileUploadStatus.accepted(file.id()));
                    return attachmentId;
                }, timers).whenCompleteAsync((id, failure) -> {
                    stored.remove(attachmentId);
                    if (failure != null && running.getAsBoolean()) {
                        ServiceDeskException e = WebMessagingFailures.asServiceDeskException(CompletionFailures.unwrap(failure), "upload the file");
                        callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), e.messageToUser().orElse("The file could not be sent.")));
                    }
                }, timers);
    }

    /**
     * Genesys refused the file ({@code GenerateUrlError} before the upload, {@code UploadFailureEvent} after it): the
     * user is told Genesys's reason, from its error code (4001 to 4005); its text goes to the log only.
     */
    private static ServiceDeskException refused(FileUpload file, Frame frame) {
        int code = frame.body().path("errorCode").asInt(frame.code());
        String genesysText = frame.body().path("errorMessage").asText(frame.errorText());
        return new WebMessagingException(code, "Genesys refused the file " + file.fileName() + " with code " + code + ": " + genesysText,
                reason(code));
    }

    /** The user's sentence for a file error code. */
    static String reason(int code) {
        return switch (code) {
            case 4001 -> "This type of file cannot be sent in this chat.";
            case 4002 -> "This file is too large to be sent in this chat.";
            case 4003 -> "The content of this file cannot be sent in this chat.";
            case 4004 -> "This file name cannot be used. Please rename the file and try again.";
            case 4005 -> "This file name is too long. Please rename the file and try again.";
            case 4008 -> "The file expired before it was sent. Please attach it again.";
            default -> "The file could not be sent.";
        };
    }

    private CompletableFuture<Void> put(FileUpload file, Bodies.PresignedUrl presigned) {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.url())).timeout(settings.sendTimeout())
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return file.content().open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), file.sizeBytes()));
        presigned.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                put.header(name, value);
            }
        });
        // The storage needs the file's type: the one announced in onAttachment, unless the pre-signed headers name one.
        if (presigned.headers().keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Content-Type"))) {
            put.header("Content-Type", UploadContentTypes.of(file));
        }
        long sentAt = System.nanoTime();
        return http.sendAsync(put.build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> metrics.uploaded(sentAt, response == null ? DeskMetrics.NO_RESPONSE : response.statusCode()))
                .thenAccept(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                                "The upload of " + file.fileName() + " answered HTTP " + response.statusCode(),
                                "The file could not be uploaded. Please try again.", null);
                    }
                });
    }
}

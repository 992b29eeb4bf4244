package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.IdempotentSends;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the user's messages and files of one chat to the contact center, reporting each one it refuses. */
final class ExampleOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleOutbox.class);

    private final ExampleContactCenter center;
    private final Executor workers;
    private final int maxFileSize;
    private final String chat;
    private final ServiceDeskCallback callback;
    private final ChatLane lane;
    /** The contact center's chat id, once the chat is open; fails if it never opens. */
    private final CompletableFuture<String> opened;
    private final IdempotentSends sends = new IdempotentSends();

    ExampleOutbox(ExampleContactCenter center, Executor workers, int maxFileSize, String chat, ServiceDeskCallback callback, ChatLane lane,
            CompletableFuture<String> opened) {
        this.center = requireNonNull(center, "center is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.maxFileSize = maxFileSize;
        this.chat = requireNonNull(chat, "chat is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.opened = requireNonNull(opened, "opened is null");
    }

    /** Sends a message unless {@code notOpen} says why it cannot go now. Any thread. */
    CompletionStage<Void> send(UserMessage message, Supplier<Optional<ServiceDeskException>> notOpen) {
        // A retry of a message being sent or accepted is never posted twice.
        return sends.send(message.id(), () -> post(message, notOpen.get()));
    }

    private CompletableFuture<Void> post(UserMessage message, Optional<ServiceDeskException> notOpen) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (notOpen.isPresent()) {
            mine.completeExceptionally(notOpen.get());
            return mine;
        }
        List<FileUpload> files = message.files();
        // Files are read on the worker pool (they may be on disk), never on the scheduler.
        CompletableFuture<List<ExampleContactCenter.Attachment>> attachments = files.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : CompletableFuture.supplyAsync(() -> ExampleAttachments.read(center, maxFileSize, chat, files), workers);
        attachments.thenCompose(read -> opened.thenCompose(id -> center.postUserMessage(id, message.id(), message.text(), read)))
                .whenComplete((vendorId, failure) -> lane.execute(() -> {
                    if (failure == null) {
                        files.forEach(file -> callback.setFileUploadStatus(FileUploadStatus.accepted(file.id())));
                        mine.complete(null);
                        return;
                    }
                    ServiceDeskException error = ExampleFailures.translate(failure, "The message could not be sent.");
                    LOG.info("chat={} message {} refused: {}", chat, message.id(), error.getMessage());
                    if (CompletionFailures.unwrap(failure) instanceof ExampleFailures.FileProblem problem) {
                        callback.setFileUploadStatus(FileUploadStatus.failed(problem.fileId(), problem.getMessage()));
                    }
                    callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(),
                            error.messageToUser().orElse("The message could not be sent.")));
                    mine.completeExceptionally(error);
                }));
        return mine;
    }

    /** Checks selected files against the contact center's rules, reporting each refused one; completes on the lane. */
    CompletionStage<Void> check(List<FileUpload> uploads) {
        List<FileUpload> files = List.copyOf(requireNonNull(uploads, "uploads is null"));
        return lane.call(checked -> {
            for (FileUpload file : files) {
                center.acceptsFile(file.fileName(), file.contentType(), file.sizeBytes())
                        .ifPresent(reason -> callback.setFileUploadStatus(FileUploadStatus.failed(file.id(), reason)));
            }
            checked.complete(null);
        });
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.ServerFrame;
import io.deskbridge.webchat.protocol.UploadRefusal;
import io.deskbridge.webchat.upload.FileUploads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one browser session (the protocol's "Files"): the upload step, which asks the desk's rules
 * ({@code filesSelectedForUpload}, whose refusals arrive as {@code setFileUploadStatus} before its stage completes)
 * and then the server's ({@link FileUploads#reserve}) before a page may send any byte; the files a message names; and
 * their deletion once sent or when the chat ends. Confined to the session's serial executor, like the session.
 */
final class UploadStep {
    private static final Logger LOG = LoggerFactory.getLogger(UploadStep.class);
    private static final String NOT_ACCEPTED = "Files cannot be sent in this chat.";

    private final String sessionId;
    private final FileUploads uploads;
    private final Set<Capability> deskCapabilities;
    private final Executor serial;
    /** The files the desk is checking, with its refusal once it gave one. */
    private final Map<String, Optional<String>> checking = new HashMap<>();

    UploadStep(String sessionId, FileUploads uploads, Set<Capability> deskCapabilities, Executor serial) {
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.deskCapabilities = Set.copyOf(deskCapabilities);
        this.serial = requireNonNull(serial, "serial is null");
    }

    /**
     * Answers an {@code upload} frame with {@code uploadReady} or {@code uploadRefused}.
     *
     * @param chat the session's chat, when one is in progress and started
     * @param stillCurrent whether that chat is still the session's and not over (asked when the desk answered)
     */
    void upload(ChatConnection from, ClientFrame.Upload upload, Optional<ChatSession> chat, BooleanSupplier stillCurrent) {
        if (!uploads.enabled() || !deskCapabilities.contains(Capability.FILE_UPLOADS)) {
            from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.FILES_NOT_ACCEPTED, NOT_ACCEPTED));
            return;
        }
        if (chat.isEmpty()) {
            from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.NO_CHAT, "Files can be sent once the chat has started."));
            return;
        }
        ChatSession session = chat.get();
        if (!session.capabilities().contains(Capability.FILE_UPLOADS)) {
            from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.FILES_NOT_ACCEPTED, NOT_ACCEPTED));
            return;
        }
        if (upload.size() > uploads.maxBytes()) {
            from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.FILE_TOO_LARGE, upload.fileName()
                    + " is larger than the largest file accepted (" + FileUploads.readableSize(uploads.maxBytes()) + ")."));
            return;
        }
        if (checking.containsKey(upload.fileId())) {
            from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.DUPLICATE_FILE_ID,
                    "The file id " + upload.fileId() + " was already used."));
            return;
        }
        checking.put(upload.fileId(), Optional.empty());
        FileUpload announced = new FileUpload(upload.fileId(), upload.fileName(), upload.contentType(), upload.size(), () -> {
            throw new java.io.IOException("The file has not been uploaded yet");
        });
        session.filesSelectedForUpload(List.of(announced)).whenComplete((ignored, failure) -> serial.execute(() -> {
            Optional<String> refusal = checking.remove(upload.fileId());
            if (!stillCurrent.getAsBoolean()) {
                from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.NO_CHAT, "The chat has ended."));
            } else if (failure != null) {
                Throwable cause = CompletionFailures.unwrap(failure);
                LOG.info("session={} the desk could not check a file: {}", sessionId, cause.getClass().getSimpleName());
                String reason = cause instanceof ServiceDeskException sde ? sde.messageToUser().orElse("The file cannot be sent.")
                        : "The file cannot be sent.";
                from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.REFUSED_BY_DESK, reason));
            } else if (refusal != null && refusal.isPresent()) {
                from.send(ServerFrame.uploadRefused(upload.fileId(), UploadRefusal.REFUSED_BY_DESK, refusal.get()));
            } else {
                FileUploads.Reservation reservation = uploads.reserve(sessionId, upload);
                if (reservation instanceof FileUploads.Reservation.Ready ready) {
                    from.send(ServerFrame.uploadReady(upload.fileId(), ready.path(), upload.size(), ready.expiresIn().toSeconds()));
                } else if (reservation instanceof FileUploads.Reservation.Refused refused) {
                    from.send(ServerFrame.uploadRefused(upload.fileId(), refused.code(), refused.messageToUser()));
                }
            }
        }));
    }

    /**
     * Takes a desk's file status when it answers a check in progress (the upload's own frame then carries it); false
     * when it is about a file a message carried.
     */
    boolean absorb(FileUploadStatus status) {
        if (!checking.containsKey(status.fileId())) {
            return false;
        }
        if (status.isError()) {
            checking.put(status.fileId(), status.errorMessage());
        }
        return true;
    }

    /** The files a message names, ready for the desk. */
    record Named(List<FileUpload> files, Optional<String> missing) {}

    /** The uploaded files {@code fileIds} name; {@code missing} is the first that was not (fully) uploaded. */
    Named files(List<String> fileIds) {
        List<FileUpload> files = new ArrayList<>();
        for (String fileId : fileIds) {
            Optional<FileUpload> file = uploads.file(sessionId, fileId);
            if (file.isEmpty()) {
                return new Named(List.of(), Optional.of(fileId));
            }
            files.add(file.get());
        }
        return new Named(files, Optional.empty());
    }

    /** The files a delivered message carried are deleted. */
    void delivered(List<String> fileIds) {
        uploads.release(sessionId, fileIds);
    }

    /** The chat or the session ended: its files are deleted and its upload URLs voided. */
    void release() {
        checking.clear();
        uploads.releaseSession(sessionId);
    }

    /**
     * The text a message is kept as in the transcript: its text, and the names of its files (so that a reloaded page
     * shows a message of files alone).
     */
    static String transcriptText(String text, List<FileUpload> files) {
        if (files.isEmpty()) {
            return text;
        }
        String names = String.join(", ", files.stream().map(FileUpload::fileName).toList());
        return text.isBlank() ? "[" + names + "]" : text + "\n[" + names + "]";
    }
}

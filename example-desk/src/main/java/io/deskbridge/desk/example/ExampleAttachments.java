package io.deskbridge.desk.example;

import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.ServiceDeskException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The files of a user's message, checked against the contact center's rules and read for it. */
final class ExampleAttachments {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleAttachments.class);

    private ExampleAttachments() {}

    /**
     * Reads {@code files} for the contact center, refusing one it will not take before reading more than it allows.
     * Runs on the worker pool: files may be on disk.
     *
     * @throws ExampleFailures.FileProblem for the first file that cannot be sent
     */
    static List<ExampleContactCenter.Attachment> read(ExampleContactCenter center, int maxFileSize, String chat, List<FileUpload> files) {
        List<ExampleContactCenter.Attachment> read = new ArrayList<>();
        for (FileUpload file : files) {
            center.acceptsFile(file.fileName(), file.contentType(), file.sizeBytes()).ifPresent(reason -> {
                throw new ExampleFailures.FileProblem(file.id(), reason, ServiceDeskException.Kind.VENDOR_REJECTED);
            });
            byte[] bytes;
            try (InputStream in = file.content().open()) {
                bytes = in.readNBytes(maxFileSize + 1);
            } catch (IOException | RuntimeException e) {
                LOG.warn("chat={} cannot read file {}", chat, file.id(), e);
                throw new ExampleFailures.FileProblem(file.id(), file.fileName() + " could not be read.", ServiceDeskException.Kind.INTERNAL);
            }
            Optional<String> refusal = center.acceptsFile(file.fileName(), file.contentType(), bytes.length);
            if (refusal.isPresent()) {
                throw new ExampleFailures.FileProblem(file.id(), refusal.get(), ServiceDeskException.Kind.VENDOR_REJECTED);
            }
            read.add(new ExampleContactCenter.Attachment(file.fileName(), file.contentType(), bytes));
        }
        return read;
    }
}

package io.deskbridge.desk.example;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.example.ContactCenterTypes.RequestRefused;
import io.deskbridge.spi.ServiceDeskException;

/** The example contact center's failures as deskbridge's one exception family. */
final class ExampleFailures {
    private ExampleFailures() {}

    /** {@code failure} as a {@link ServiceDeskException} whose kind says who can fix it, with a sentence for the user. */
    static ServiceDeskException translate(Throwable failure, String fallbackForUser) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof ServiceDeskException e) {
            return e;
        }
        if (cause instanceof FileProblem problem) {
            return new ServiceDeskException(problem.kind(), "The file " + problem.fileId() + " cannot be sent: " + problem.getMessage(),
                    problem.getMessage(), null);
        }
        if (cause instanceof RequestRefused refused) {
            ServiceDeskException.Kind kind = refused.reason() == RequestRefused.Reason.UNAVAILABLE
                    ? ServiceDeskException.Kind.VENDOR_UNAVAILABLE
                    : ServiceDeskException.Kind.VENDOR_REJECTED;
            return new ServiceDeskException(kind, "The example contact center refused the request: " + refused.getMessage(),
                    refused.getMessage(), refused);
        }
        return new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "The request failed: " + cause, fallbackForUser, cause);
    }

    /** A file of a message cannot be sent; the message is what the user may be told. */
    static final class FileProblem extends RuntimeException {
        private final String fileId;
        private final ServiceDeskException.Kind kind;

        FileProblem(String fileId, String messageToUser, ServiceDeskException.Kind kind) {
            super(messageToUser, null, false, false);
            this.fileId = fileId;
            this.kind = kind;
        }

        String fileId() {
            return fileId;
        }

        ServiceDeskException.Kind kind() {
            return kind;
        }
    }
}

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.genesys.webmessaging.WebMessagingSocket.ConnectionLost;
import io.deskbridge.spi.ServiceDeskException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import io.deskbridge.core.CompletionFailures;

/** How a failure of the web messaging transport reaches the contract: always as a {@link ServiceDeskException}. */
final class WebMessagingFailures {
    private WebMessagingFailures() {
    }

    /** {@code cause} as the exception the contract reports, saying what could not be done ({@code action}). */
    static ServiceDeskException asServiceDeskException(Throwable cause, String action) {
        if (cause instanceof ServiceDeskException e) {
            return e;
        }
        if (cause instanceof TimeoutException) {
            return new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Genesys web messaging did not answer in time to "
                    + action, "The chat service is not answering right now. Please try again later.", cause);
        }
        if (cause instanceof ConnectionLost) {
            return new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "Could not " + action + ": " + cause.getMessage(),
                    "The connection to the chat service was lost. Please try again.", cause);
        }
        return new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "Could not " + action + ": " + cause, null, cause);
    }

    /** Completes {@code to} as {@code from} completes, unwrapping the failure. */
    static <T> void propagate(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, failure) -> {
            if (failure == null) {
                to.complete(value);
            } else {
                to.completeExceptionally(CompletionFailures.unwrap(failure));
            }
        });
    }
}

package io.deskbridge.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The failure a {@link java.util.concurrent.CompletionStage} completed with, as its author threw it: stages hand
 * failures on wrapped in {@link CompletionException} (or {@link ExecutionException} from {@code get()}), and code
 * that decides what a failure means (a {@code ServiceDeskException}'s kind, a vendor's refusal) needs the original.
 */
public final class CompletionFailures {
    private CompletionFailures() {}

    /**
     * {@code failure} without its {@link CompletionException} and {@link ExecutionException} wrappers; the wrapper
     * itself when it has no cause. {@code null} stays {@code null}, as a stage that completed normally hands it.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}

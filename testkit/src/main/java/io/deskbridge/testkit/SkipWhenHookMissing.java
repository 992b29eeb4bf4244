package io.deskbridge.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Turns a {@link DriverHookMissing} thrown anywhere in a kit test into a skipped test whose message names the hook
 * to implement ("implement AgentSideChat.transferTo to run this test").
 */
final class SkipWhenHookMissing implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(throwable);
    }

    private static Throwable translate(Throwable throwable) {
        for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
            if (cause instanceof DriverHookMissing missing) {
                TestAbortedException skipped = new TestAbortedException(missing.getMessage(), missing);
                if (cause != throwable) {
                    skipped.addSuppressed(throwable);
                }
                return skipped;
            }
        }
        return throwable;
    }
}

package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.ServiceDeskException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CompletionFailures.unwrap")
class CompletionFailuresTest {
    final ServiceDeskException refused = new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "refused");

    @Test
    @DisplayName("gives the failure a stage was completed with, through nested CompletionException and ExecutionException")
    void unwrapsNestedWrappers() {
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(refused);
        Throwable[] seen = new Throwable[1];
        failed.thenApply(v -> v).whenComplete((v, failure) -> seen[0] = failure);

        assertThat(seen[0]).isInstanceOf(CompletionException.class);
        assertThat(CompletionFailures.unwrap(seen[0])).isSameAs(refused);
        assertThat(CompletionFailures.unwrap(new CompletionException(new ExecutionException(refused)))).isSameAs(refused);
    }

    @Test
    @DisplayName("keeps other failures, wrappers without a cause, and null as they are")
    void keepsTheRest() {
        CompletionException empty = new CompletionException("no cause", null);
        IllegalStateException other = new IllegalStateException("outer", refused);

        assertThat(CompletionFailures.unwrap(refused)).isSameAs(refused);
        assertThat(CompletionFailures.unwrap(other)).isSameAs(other);
        assertThat(CompletionFailures.unwrap(empty)).isSameAs(empty);
        assertThat(CompletionFailures.unwrap(null)).isNull();
    }
}

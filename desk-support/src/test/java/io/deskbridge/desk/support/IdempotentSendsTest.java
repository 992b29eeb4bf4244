package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("IdempotentSends")
class IdempotentSendsTest {
    final IdempotentSends sends = new IdempotentSends();
    final AtomicInteger vendorCalls = new AtomicInteger();

    CompletableFuture<Void> vendor(CompletableFuture<Void> answer) {
        vendorCalls.incrementAndGet();
        return answer;
    }

    @Test
    @DisplayName("a retry while the first send is in flight shares its outcome, with one vendor call")
    void retryInFlight() {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        CompletableFuture<Void> first = sends.send("u1", () -> vendor(answer));
        CompletableFuture<Void> retry = sends.send("u1", () -> vendor(new CompletableFuture<>()));
        assertThat(vendorCalls).hasValue(1);
        assertThat(retry).isNotDone();
        answer.complete(null);
        assertThat(first).isCompleted();
        assertThat(retry).isCompleted();
        assertThat(sends.accepted("u1")).isTrue();
    }

    @Test
    @DisplayName("a retry of an accepted message is not posted again; another id is")
    void acceptedOnce() {
        sends.send("u1", () -> vendor(CompletableFuture.completedFuture(null)));
        assertThat(sends.send("u1", () -> vendor(CompletableFuture.completedFuture(null)))).isCompleted();
        sends.send("u2", () -> vendor(CompletableFuture.completedFuture(null)));
        assertThat(vendorCalls).hasValue(2);
    }

    @Test
    @DisplayName("a failed send fails with the vendor's exception, and its retry is sent again")
    void failedIsRetried() {
        IOException reset = new IOException("reset");
        CompletableFuture<Void> first = sends.send("u1", () -> vendor(CompletableFuture.failedFuture(new CompletionException(reset))));
        assertThat(first.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join()).isSameAs(reset);
        assertThat(sends.accepted("u1")).isFalse();
        assertThat(sends.send("u1", () -> vendor(CompletableFuture.completedFuture(null)))).isCompleted();
        assertThat(vendorCalls).hasValue(2);
    }

    @Test
    @DisplayName("a caller completing its own stage does not complete another caller's")
    void stagesAreSeparate() {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        CompletableFuture<Void> first = sends.send("u1", () -> vendor(answer));
        CompletableFuture<Void> retry = sends.send("u1", () -> vendor(answer));
        first.cancel(false);
        assertThat(retry).isNotDone();
    }

    @Test
    @DisplayName("the window is bounded: an accepted send older than the last REMEMBERED is forgotten")
    void bounded() {
        for (int i = 0; i <= IdempotentSends.REMEMBERED; i++) {
            String id = "u" + i;
            sends.send(id, () -> CompletableFuture.completedFuture(null));
        }
        assertThat(sends.accepted("u0")).isFalse();
        assertThat(sends.accepted("u1")).isTrue();
        assertThat(sends.accepted("u" + IdempotentSends.REMEMBERED)).isTrue();
    }
}

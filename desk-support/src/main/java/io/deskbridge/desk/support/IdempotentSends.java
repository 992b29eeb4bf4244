package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Sends each user message to the vendor once, by its client message id ({@code sendMessageToAgent} is idempotent
 * per {@link io.deskbridge.spi.UserMessage#id()}): a retry of a message being sent or already accepted gets the same
 * outcome without a second vendor call; a retry of a message that failed is sent again.
 *
 * <p>Bounded: the outcomes of the last {@value #REMEMBERED} finished sends are kept (a retry comes soon after its
 * original), and sends still in flight are never forgotten. Thread-safe.
 */
public final class IdempotentSends {

    /** How many finished sends are remembered for retries. */
    public static final int REMEMBERED = 1_000;

    private final Map<String, CompletableFuture<Void>> sends = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
            return size() > REMEMBERED && eldest.getValue().isDone();
        }
    };

    /**
     * Sends message {@code messageId} with {@code send}, unless it is being sent or was accepted already.
     *
     * @param send makes the vendor call; called at most once per accepted message, on the calling thread
     * @return a stage that completes as the one vendor call for this message id does (failure unwrapped); each
     *     caller gets its own stage, so one caller cannot complete another's
     */
    public CompletableFuture<Void> send(String messageId, Supplier<? extends CompletionStage<Void>> send) {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(send, "send is null");
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> current;
        synchronized (sends) {
            current = sends.get(messageId);
            if (current == null || current.isCompletedExceptionally()) {
                sends.put(messageId, mine);
                current = null;
            }
        }
        if (current != null) {
            return current.copy();
        }
        try {
            send.get().whenComplete((ignored, failure) -> {
                if (failure != null) {
                    mine.completeExceptionally(CompletionFailures.unwrap(failure));
                } else {
                    mine.complete(null);
                }
            });
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine.copy();
    }

    /** Whether message {@code messageId} was accepted by the vendor (and is still remembered). */
    public boolean accepted(String messageId) {
        synchronized (sends) {
            CompletableFuture<Void> send = sends.get(requireNonNull(messageId, "messageId is null"));
            return send != null && send.isDone() && !send.isCompletedExceptionally();
        }
    }
}

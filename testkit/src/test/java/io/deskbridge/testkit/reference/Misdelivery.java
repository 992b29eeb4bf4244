package io.deskbridge.testkit.reference;

import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.UserMessage;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** How the reference desk mishandles messages, both ways, when built with some {@link Defect}s. */
final class Misdelivery {

    private Misdelivery() {}

    /** {@link Defect#SORTS_BATCH_BY_TEXT}: the messages of a batch, in the message positions, sorted by id as text. */
    static List<FakeContactCenter.Event> messagesSortedByText(List<FakeContactCenter.Event> events) {
        Iterator<FakeContactCenter.Event> sorted = events.stream().filter(e -> e.kind() == FakeContactCenter.Kind.MESSAGE)
                .sorted(Comparator.comparing(e -> e.messageId().orElseThrow())).iterator();
        return events.stream().map(e -> e.kind() == FakeContactCenter.Kind.MESSAGE ? sorted.next() : e).toList();
    }

    /** {@link Defect#SENDS_IN_PARALLEL}: each message its own request, the longer the later it lands (no send queue). */
    static CompletionStage<Void> postedOnTheirOwn(ScheduledExecutorService scheduler, UserMessage message,
            Function<UserMessage, CompletionStage<Void>> post) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        scheduler.schedule(() -> relay(post.apply(message), sent), message.text().length(), TimeUnit.MILLISECONDS);
        return sent;
    }

    /**
     * {@link Defect#SEND_HANGS_WHILE_WAITING}: the message is posted, but the stage waits for an acknowledgement the
     * vendor sends only once an agent is in the chat ({@code joined} is read where {@code posted} completes, the strand).
     */
    static CompletionStage<Void> acknowledgedOnceJoined(CompletionStage<Void> posted, BooleanSupplier joined) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        posted.whenComplete((ok, failure) -> {
            if (failure != null || joined.getAsBoolean()) {
                relay(posted, acknowledged);
            }
        });
        return acknowledged;
    }

    private static void relay(CompletionStage<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((ok, failure) -> {
            if (failure == null) {
                to.complete(null);
            } else {
                to.completeExceptionally(failure);
            }
        });
    }

    /** {@link Defect#CONCURRENT_CALLBACKS}: the message and a read receipt on two threads at once. */
    static void fromTwoThreads(ServiceDeskCallback callback, AgentMessage message) {
        CountDownLatch go = new CountDownLatch(1);
        Thread first = new Thread(() -> awaitThen(go, () -> callback.sendMessageToUser(message)), "reference-broken-1");
        Thread second = new Thread(() -> awaitThen(go, callback::agentReadMessages), "reference-broken-2");
        first.start();
        second.start();
        go.countDown();
        try {
            first.join();
            second.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitThen(CountDownLatch latch, Runnable action) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        action.run();
    }
}

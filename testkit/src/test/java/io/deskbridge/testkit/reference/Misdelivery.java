package io.deskbridge.testkit.reference;

import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.ServiceDeskCallback;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** How the reference desk misdelivers agent messages when built with some {@link Defect}s. */
final class Misdelivery {

    private Misdelivery() {}

    /** {@link Defect#SORTS_BATCH_BY_TEXT}: the messages of a batch, in the message positions, sorted by id as text. */
    static List<FakeContactCenter.Event> messagesSortedByText(List<FakeContactCenter.Event> events) {
        Iterator<FakeContactCenter.Event> sorted = events.stream().filter(e -> e.kind() == FakeContactCenter.Kind.MESSAGE)
                .sorted(Comparator.comparing(e -> e.messageId().orElseThrow())).iterator();
        return events.stream().map(e -> e.kind() == FakeContactCenter.Kind.MESSAGE ? sorted.next() : e).toList();
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

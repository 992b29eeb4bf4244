package io.deskbridge.testkit.reference;

import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.ServiceDeskCallback;
import java.util.concurrent.CountDownLatch;

/** The concurrency bug of {@link Defect#CONCURRENT_CALLBACKS}: a message and a read receipt on two threads at once. */
final class TwoThreads {

    private TwoThreads() {}

    static void deliver(ServiceDeskCallback callback, AgentMessage message) {
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

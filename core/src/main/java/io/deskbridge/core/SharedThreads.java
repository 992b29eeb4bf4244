package io.deskbridge.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads one {@link Deskbridge} owns, however many chats it holds: a small scheduler for timers and a fixed
 * worker pool for callbacks and HTTP completions. All daemon threads, named {@code deskbridge-*}.
 */
record SharedThreads(ScheduledExecutorService scheduler, ExecutorService workers) implements AutoCloseable {

    static SharedThreads create(int schedulerThreads, int workerThreads) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(schedulerThreads, named("deskbridge-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService workers = Executors.newFixedThreadPool(workerThreads, named("deskbridge-worker-"));
        return new SharedThreads(scheduler, workers);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

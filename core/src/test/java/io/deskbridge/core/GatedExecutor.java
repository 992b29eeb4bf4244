package io.deskbridge.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A worker pool that holds every task until the test opens the gate, so a test can see what happened before any
 * queued work ran. Once open, tasks run on its own threads.
 */
final class GatedExecutor extends AbstractExecutorService {
    private final ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "gated-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> held = new ArrayList<>();
    private boolean open;

    @Override
    public void execute(Runnable command) {
        synchronized (this) {
            if (!open) {
                held.add(command);
                return;
            }
        }
        pool.execute(command);
    }

    /** How many tasks wait behind the gate. */
    synchronized int held() {
        return held.size();
    }

    /** Lets the held tasks and every later one run. */
    void open() {
        List<Runnable> release;
        synchronized (this) {
            open = true;
            release = new ArrayList<>(held);
            held.clear();
        }
        release.forEach(pool::execute);
    }

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}

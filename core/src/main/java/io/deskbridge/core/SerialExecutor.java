package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the per-chat executor of
 * {@link ChatSession}. It owns no thread; an idle instance is a few dozen bytes, so a process holds one per chat.
 * A task that throws is logged and does not stop the tasks after it.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /**
     * The serial executor of one chat: as {@link #SerialExecutor(Executor)}, and every task runs with {@code chatId}
     * in the log MDC ({@link ChatLogContext}), so that whatever it logs names the chat.
     */
    public static SerialExecutor forChat(String chatId, Executor delegate) {
        return new SerialExecutor(ChatLogContext.forChat(chatId, delegate));
    }

    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task is null");
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (tasks) {
                running = false;
            }
            throw e;
        }
    }

    private void drain() {
        // Run a bounded batch, then yield the pooled thread so one busy chat cannot starve the others.
        for (int i = 0; i < 64; i++) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("A chat task failed", e);
            }
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException e) {
            // The pool refused the next batch (it is shutting down): leave the queue ready for a later execute.
            synchronized (tasks) {
                running = false;
            }
            LOG.warn("A chat's tasks were left queued: the shared pool refused them", e);
        }
    }
}

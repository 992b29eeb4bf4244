package io.deskbridge.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shared pools as the injector hands them out: each task carries the chat id of the thread that submitted it
 * ({@link ChatLogContext}), so a timer or a retry a chat schedules logs with that chat's id. The pools themselves are
 * unchanged; {@link SharedThreads} still owns and stops them.
 */
final class ChatContextExecutors {
    private ChatContextExecutors() {}

    static ExecutorService propagating(ExecutorService delegate) {
        return new Workers(delegate);
    }

    static ScheduledExecutorService propagating(ScheduledExecutorService delegate) {
        return new Scheduler(delegate);
    }

    /** Submissions go through {@link #execute}, which carries the chat id; the rest is the delegate's. */
    private static class Workers extends ForwardingExecutorService {
        Workers(ExecutorService delegate) {
            super(delegate);
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(ChatLogContext.capture(command));
        }
    }

    private static final class Scheduler extends Workers implements ScheduledExecutorService {
        private final ScheduledExecutorService scheduled;

        Scheduler(ScheduledExecutorService delegate) {
            super(delegate);
            this.scheduled = delegate;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return scheduled.schedule(ChatLogContext.capture(command), delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return scheduled.schedule(ChatLogContext.capture(callable), delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return scheduled.scheduleAtFixedRate(ChatLogContext.capture(command), initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return scheduled.scheduleWithFixedDelay(ChatLogContext.capture(command), initialDelay, delay, unit);
        }
    }
}

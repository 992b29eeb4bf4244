package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers of one chat: each task runs on the chat's serial executor, scheduled on the desk's shared scheduler, so a
 * timer never races the chat's other work and no thread belongs to a chat.
 */
record SerialTimers(ScheduledExecutorService scheduler, Executor serial) {
    SerialTimers {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(serial, "serial is null");
    }

    /** Runs {@code task} on the serial executor after {@code delay} (at once for a negative delay). */
    ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return scheduler.schedule(() -> serial.execute(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the serial executor every {@code period}, first after one period. */
    ScheduledFuture<?> every(Duration period, Runnable task) {
        long millis = period.toMillis();
        return scheduler.scheduleAtFixedRate(() -> serial.execute(task), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Cancels {@code timer} if there is one; returns {@code null} so that a field can be cleared in one line. */
    static <T> T cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        return null;
    }
}

package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The chat id in the SLF4J {@link MDC}, under {@value #MDC_KEY}, on every line a chat causes, whatever the thread: a
 * log pattern shows it with {@code %X{chat}} (the web chat's prints {@code chat=<id>}). {@link ChatSession} sets it
 * around its calls into the desk and on its serial executor; desks get it on their own per-chat lanes with
 * {@link SerialExecutor#forChat}; the shared scheduler and worker pool carry it from the thread that submits a task to
 * the thread that runs it, so timers and retries a chat schedules log with its id too.
 *
 * <p>Only this one key is carried: it costs one string reference per task, and it is cleared after every task, so a
 * pooled thread never logs a chat it no longer works for.
 */
public final class ChatLogContext {
    /** The MDC key of the chat id. */
    public static final String MDC_KEY = "chat";

    private ChatLogContext() {}

    /** The chat id of the current thread's MDC, or {@code null}. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** An executor over {@code delegate} that runs every task with {@code chatId} in the MDC. */
    public static Executor forChat(String chatId, Executor delegate) {
        requireNonNull(chatId, "chatId is null");
        requireNonNull(delegate, "delegate is null");
        return task -> delegate.execute(withChat(chatId, task));
    }

    /** {@code task}, run with {@code chatId} in the MDC (the previous value restored after). */
    public static Runnable withChat(String chatId, Runnable task) {
        requireNonNull(task, "task is null");
        if (chatId == null) {
            return task;
        }
        return () -> {
            String previous = enter(chatId);
            try {
                task.run();
            } finally {
                exit(previous);
            }
        };
    }

    /** Calls {@code action} with {@code chatId} in the MDC (the previous value restored after). */
    public static <T> T call(String chatId, Supplier<T> action) {
        String previous = enter(chatId);
        try {
            return action.get();
        } finally {
            exit(previous);
        }
    }

    /** {@code task}, run with the chat id the current thread has now (if any). */
    static Runnable capture(Runnable task) {
        return withChat(current(), task);
    }

    /** {@code task}, called with the chat id the current thread has now (if any). */
    static <T> Callable<T> capture(Callable<T> task) {
        requireNonNull(task, "task is null");
        String chatId = current();
        if (chatId == null) {
            return task;
        }
        return () -> {
            String previous = enter(chatId);
            try {
                return task.call();
            } finally {
                exit(previous);
            }
        };
    }

    private static String enter(String chatId) {
        String previous = MDC.get(MDC_KEY);
        if (chatId != null) {
            MDC.put(MDC_KEY, chatId);
        }
        return previous;
    }

    private static void exit(String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }
}

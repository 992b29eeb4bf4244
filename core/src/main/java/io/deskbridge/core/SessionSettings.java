package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How {@link ChatSession}s behave, from the {@code deskbridge.*} keys.
 *
 * @param agentTypingTimeout the longest an agent typing indicator stays on without news from the desk
 *     ({@code deskbridge.agentTypingTimeout}, default 15s); a backstop for rule 9, above every desk's own timeout
 * @param userTypingInterval how often at most a user's {@code userTyping(true)} reaches the desk
 *     ({@code deskbridge.userTypingInterval}, default 5s)
 * @param schedulerThreads threads of the shared timer ({@code deskbridge.schedulerThreads}, default 1)
 * @param workerThreads threads of the shared worker pool ({@code deskbridge.workerThreads}, default 2 or the number of processors)
 */
public record SessionSettings(Duration agentTypingTimeout, Duration userTypingInterval, int schedulerThreads, int workerThreads) {
    public SessionSettings {
        requireNonNull(agentTypingTimeout, "agentTypingTimeout is null");
        requireNonNull(userTypingInterval, "userTypingInterval is null");
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofSeconds(15), Duration.ofSeconds(5), 1, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Reads {@code deskbridge.*}; call {@link Settings#validate()} on {@code settings} afterwards. */
    static SessionSettings read(Settings settings) {
        SessionSettings d = defaults();
        return new SessionSettings(
                settings.duration("agentTypingTimeout", d.agentTypingTimeout(), Duration.ofMillis(100)),
                settings.duration("userTypingInterval", d.userTypingInterval()),
                settings.integer("schedulerThreads", d.schedulerThreads(), 1, 64),
                settings.integer("workerThreads", d.workerThreads(), 1, 512));
    }
}

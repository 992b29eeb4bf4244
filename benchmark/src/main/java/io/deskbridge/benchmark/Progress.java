package io.deskbridge.benchmark;

import java.io.PrintStream;

/**
 * What a run shows while it runs: chats joined of N and messages delivered of M, one line at most every second (and
 * at the end of each phase), so a long run on a busy machine is seen to move.
 */
final class Progress {
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String name;
    private final int chats;
    private final long messages;
    private long lastPrinted;
    private int lastJoined = -1;
    private long lastMessages = -1;

    Progress(PrintStream out, String name, int chats, long messages) {
        this.out = out;
        this.name = name;
        this.chats = chats;
        this.messages = messages;
    }

    /** {@code joined} chats have their agent now. */
    void joined(int joined) {
        joined(joined, false);
    }

    /** As {@link #joined(int)}; {@code force} at the end of a phase prints a changed count whatever the time. */
    void joined(int joined, boolean force) {
        if (joined != lastJoined && (force || due())) {
            lastPrinted = System.nanoTime();
            lastJoined = joined;
            out.printf("  %s: %,d of %,d chats joined%n", name, joined, chats);
        }
    }

    /** {@code delivered} messages arrived so far. */
    void messages(long delivered) {
        messages(delivered, false);
    }

    /** As {@link #messages(long)}; {@code force} at the end of a phase prints a changed count whatever the time. */
    void messages(long delivered, boolean force) {
        if (delivered != lastMessages && (force || due())) {
            lastPrinted = System.nanoTime();
            lastMessages = delivered;
            out.printf("  %s: %,d of %,d messages%n", name, delivered, messages);
        }
    }

    private boolean due() {
        long now = System.nanoTime();
        if (lastPrinted != 0 && now - lastPrinted < EVERY_NANOS) {
            return false;
        }
        lastPrinted = now;
        return true;
    }
}

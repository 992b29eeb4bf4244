package io.deskbridge.benchmark;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The user's end of one chat: a browser on the web chat, or a raw web messaging guest on the simulator. */
interface Guest {
    /** Completes when the agent joined, as this end sees it. */
    CompletableFuture<Void> joined();

    /** Sends a user message with this text (its {@link LatencyProbe} is told when it leaves). */
    void sendUserText(String id, String text);

    /** Why this chat failed, if it did: the first thing that went wrong. */
    Optional<String> failure();

    /** Marks this chat failed (the first reason stays). */
    void fail(String reason);

    /** From opening the socket to the agent joined, in nanoseconds; 0 until joined. */
    long setupNanos();

    void close();
}

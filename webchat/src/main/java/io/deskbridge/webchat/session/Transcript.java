package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.webchat.protocol.ClientFrameParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The last messages of one chat, user and agent, in the order the server saw them; the oldest is dropped once the
 * transcript holds {@code capacity} messages or more bytes than its {@link TranscriptBudget} allows (the newest
 * message is always kept). Not thread-safe: a {@link WebSession} confines it to its executor.
 */
final class Transcript {
    private final int capacity;
    private final TranscriptBudget budget;
    private final TranscriptBudget.Account account;
    private final Deque<TranscriptEntry> entries = new ArrayDeque<>();
    private long bytes;

    Transcript(int capacity) {
        this(capacity, TranscriptBudget.defaults());
    }

    Transcript(int capacity, TranscriptBudget budget) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.budget = requireNonNull(budget, "budget is null");
        this.account = budget.open(this);
    }

    Transcript(int capacity, TranscriptBudget budget, List<TranscriptEntry> restored) {
        this(capacity, budget);
        restored.forEach(this::add);
    }

    void add(TranscriptEntry entry) {
        requireNonNull(entry, "entry is null");
        long size = sizeOf(entry);
        entries.addLast(entry);
        bytes += size;
        account.add(size);
        while (entries.size() > 1 && (entries.size() > capacity || bytes > budget.perTranscript() || budget.overTotal())) {
            long dropped = sizeOf(entries.removeFirst());
            bytes -= dropped;
            account.remove(dropped);
        }
    }

    /** The bytes this transcript holds, as {@link TranscriptBudget} counts them. */
    long bytes() {
        return bytes;
    }

    /** Gives this transcript's bytes back to the process's total: its chat was replaced or its session ended. */
    void release() {
        account.release();
    }

    static long sizeOf(TranscriptEntry entry) {
        return TranscriptBudget.ENTRY_OVERHEAD + ClientFrameParser.utf8Length(entry.text()) + ClientFrameParser.utf8Length(entry.id())
                + entry.agentId().map(ClientFrameParser::utf8Length).orElse(0L)
                + entry.agentName().map(ClientFrameParser::utf8Length).orElse(0L);
    }

    /** The user message with this id, if it is still in the transcript. */
    Optional<TranscriptEntry> findUserMessage(String id) {
        for (Iterator<TranscriptEntry> it = entries.descendingIterator(); it.hasNext(); ) {
            TranscriptEntry entry = it.next();
            if (entry.from() == TranscriptEntry.From.USER && entry.id().equals(id)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** Whether a message from the desk (agent, bot or system) with this id is still in the transcript. */
    boolean containsDeskMessage(String id) {
        for (TranscriptEntry entry : entries) {
            if (entry.from() != TranscriptEntry.From.USER && entry.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces the user message with the same id (its delivery state changed; its size did not). */
    void replaceUserMessage(TranscriptEntry updated) {
        List<TranscriptEntry> copy = new ArrayList<>(entries);
        for (int i = copy.size() - 1; i >= 0; i--) {
            TranscriptEntry entry = copy.get(i);
            if (entry.from() == TranscriptEntry.From.USER && entry.id().equals(updated.id())) {
                copy.set(i, updated);
                entries.clear();
                entries.addAll(copy);
                return;
            }
        }
    }

    List<TranscriptEntry> entries() {
        return List.copyOf(entries);
    }
}

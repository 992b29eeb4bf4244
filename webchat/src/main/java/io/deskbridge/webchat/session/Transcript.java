package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The last messages of one chat, user and agent, in the order the server saw them; the oldest is dropped once the
 * transcript holds {@code capacity} messages. Not thread-safe: a {@link WebSession} confines it to its executor.
 */
final class Transcript {
    private final int capacity;
    private final Deque<TranscriptEntry> entries = new ArrayDeque<>();

    Transcript(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    Transcript(int capacity, List<TranscriptEntry> restored) {
        this(capacity);
        restored.forEach(this::add);
    }

    void add(TranscriptEntry entry) {
        requireNonNull(entry, "entry is null");
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(entry);
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

    /** Replaces the user message with the same id (its delivery state changed). */
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

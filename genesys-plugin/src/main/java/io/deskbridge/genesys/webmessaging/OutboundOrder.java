package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Puts the outbound messages of one chat back into Genesys's order, which its socket does not always keep: by
 * {@code channel.time}, then by message id. Each message waits at most the reorder window after it arrived; when a
 * message's window is over, it is released together with every held message that comes before it in Genesys's order.
 * A message without a readable time keeps its place in arrival order. A zero window releases every message at once.
 *
 * <p>Not thread-safe: confined to the chat's serial executor.
 */
final class OutboundOrder {
    private record Held(StructuredMessage message, Instant vendorTime, String id, long arrival, Instant releaseAt) {}

    private static final Comparator<Held> VENDOR_ORDER = Comparator.comparing(Held::vendorTime)
            .thenComparing(Held::id)
            .thenComparingLong(Held::arrival);

    private final Duration window;
    private final TreeSet<Held> held = new TreeSet<>(VENDOR_ORDER);
    private Instant latestTime = Instant.EPOCH;
    private long arrivals;

    OutboundOrder(Duration window) {
        this.window = requireNonNull(window, "window is null");
        if (window.isNegative()) {
            throw new IllegalArgumentException("the reorder window is negative: " + window);
        }
    }

    /** Holds {@code message}, which arrived {@code now}; returns what is due now, in Genesys's order. */
    List<StructuredMessage> add(StructuredMessage message, Instant now) {
        requireNonNull(message, "message is null");
        requireNonNull(now, "now is null");
        Instant time = message.channel().flatMap(StructuredMessage.Channel::time).flatMap(OutboundOrder::instant).orElse(latestTime);
        if (time.isAfter(latestTime)) {
            latestTime = time;
        }
        String id = message.id().or(() -> message.channel().flatMap(StructuredMessage.Channel::messageId)).orElse("");
        held.add(new Held(message, time, id, arrivals++, now.plus(window)));
        return releaseDue(now);
    }

    /** The messages whose window is over at {@code now}, with every message before them, in Genesys's order. */
    List<StructuredMessage> releaseDue(Instant now) {
        Held last = null;
        for (Held h : held) {
            if (!h.releaseAt().isAfter(now)) {
                last = h;
            }
        }
        if (last == null) {
            return List.of();
        }
        List<StructuredMessage> due = new ArrayList<>();
        Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            due.add(h.message());
            it.remove();
            if (h == last) {
                break;
            }
        }
        return due;
    }

    /** When the next held message is due, if any is held. */
    Optional<Instant> nextRelease() {
        return held.stream().map(Held::releaseAt).min(Comparator.naturalOrder());
    }

    /** Every held message, in Genesys's order (the socket went away: nothing more will arrive on it). */
    List<StructuredMessage> releaseAll() {
        List<StructuredMessage> all = new ArrayList<>();
        held.forEach(h -> all.add(h.message()));
        held.clear();
        return all;
    }

    /** Forgets every held message (the chat ended). */
    void clear() {
        held.clear();
    }

    int size() {
        return held.size();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.DeliveredIds;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.PersistedState;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event stream and history of one conversation, for {@link VendorChat}: events reach the vendor mapping once
 * each, in order, across drops (rules 8, 10); a drop of an open chat is {@code Disconnected(true)}; once the stream
 * is back the history since the last message read (retried with {@link #HISTORY_RETRY} until it works) comes first,
 * then {@code Disconnected(false)} and the events that waited; the persisted state (rule 13), what
 * {@link ChatVendor#save} says plus the last message read, is reported whenever it changes. Used on the chat's lane.
 */
final class ChatStream<C, E> {
    private static final Logger LOG = LoggerFactory.getLogger(ChatStream.class);

    /** How long to wait before reading the history again when it failed: the chat cannot go on without it. */
    static final Backoff HISTORY_RETRY = Backoff.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final String chatId;
    private final ChatLane lane;
    private final CallbackGate callback;
    private final AgentEvents agent;
    private final ChatVendor<C, E> vendor;
    private final BooleanSupplier open;
    private final CatchUpBuffer<E> events;
    private final Backoff.Attempts historyRetries = HISTORY_RETRY.attempts();
    private Optional<C> conversation = Optional.empty();
    private Optional<String> lastMessageId = Optional.empty();
    private PersistedState lastPersisted = PersistedState.empty();
    private boolean disconnected;
    private long catchUpRound;
    private Optional<ChatLane.Timer> historyRetry = Optional.empty();

    /** @param open whether the chat is open (not still starting), for reporting a drop */
    ChatStream(String chatId, ChatLane lane, CallbackGate callback, AgentEvents agent, ChatVendor<C, E> vendor, BooleanSupplier open) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.lane = requireNonNull(lane, "lane is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.agent = requireNonNull(agent, "agent is null");
        this.vendor = requireNonNull(vendor, "vendor is null");
        this.open = requireNonNull(open, "open is null");
        this.events = new CatchUpBuffer<>(vendor::messageId, new DeliveredIds(), this::handle);
    }

    /** The stream is {@code conversation}'s, whose last message read is {@code lastMessageId}. */
    void attach(C opening, Optional<String> lastRead) {
        conversation = Optional.of(requireNonNull(opening, "opening is null"));
        lastMessageId = requireNonNull(lastRead, "lastRead is null");
    }

    /** The id of the last message read, from which the history is read. */
    Optional<String> lastMessageId() {
        return lastMessageId;
    }

    /** Live events wait until {@link #caughtUp} (a resumed chat reads its history first). */
    void hold() {
        events.hold();
    }

    /** The sink for the vendor's stream, onto the lane. */
    ChatVendor.Events<E> events() {
        return new ChatVendor.Events<>() {
            @Override
            public void event(E event) {
                requireNonNull(event, "event is null");
                lane.execute(() -> {
                    if (!callback.isClosed()) {
                        events.offer(event); // held while a catch-up reads the history
                    }
                });
            }

            @Override
            public void lost(String reason) {
                lane.execute(() -> streamLost(reason));
            }

            @Override
            public void restored() {
                lane.execute(() -> {
                    if (!callback.isClosed()) {
                        catchUp(++catchUpRound);
                    }
                });
            }
        };
    }

    /** The chat is over: nothing held, no retry. */
    void close() {
        events.clear();
        historyRetry.ifPresent(ChatLane.Timer::cancel);
    }

    private void handle(E event) {
        if (callback.isClosed()) {
            return;
        }
        Optional<String> messageId = vendor.messageId(event);
        messageId.ifPresent(id -> lastMessageId = Optional.of(id));
        vendor.handle(event, agent);
        if (messageId.isPresent()) {
            persist(); // a resumed chat reads what came after this message
        }
    }

    /** Rule 10: the stream dropped; the vendor's client reconnects by itself. */
    private void streamLost(String reason) {
        if (callback.isClosed()) {
            return;
        }
        LOG.warn("chat={} lost the vendor's event stream: {}", chatId, reason);
        events.hold();
        if (!disconnected && open.getAsBoolean()) {
            agent.stopTyping();
            disconnected = true;
            callback.setErrorStatus(new ErrorInfo.Disconnected(true));
        }
    }

    /** Rule 10: the stream is back; the history fills the gap, then the live events that waited follow. */
    private void catchUp(long round) {
        events.hold();
        conversation.ifPresent(c -> lane.whenComplete(VendorChat.attempt(() -> vendor.snapshot(c, lastMessageId)), (now, failure) -> {
            if (callback.isClosed() || round != catchUpRound) {
                return; // over, or a newer catch-up runs
            }
            if (failure == null) {
                caughtUp(now);
                return;
            }
            Duration wait = historyRetries.next().orElseThrow(); // unbounded: the chat needs its history
            LOG.warn("chat={} could not read the vendor's history, retrying in {} ms: {}", chatId, wait.toMillis(), failure.getMessage());
            historyRetry = Optional.of(lane.schedule(wait, () -> {
                if (!callback.isClosed() && round == catchUpRound) {
                    catchUp(round);
                }
            }));
        }));
    }

    /**
     * Where the conversation is and what was missed: the agent there now joins or the one that was there left, the
     * missed events and then the live ones that waited are handled, and an ended conversation ends the chat.
     */
    void caughtUp(ChatVendor.Snapshot<E> now) {
        catchUpRound++;
        historyRetries.reset();
        // An agent there now joins before the messages missed (theirs among them); one who left did so after theirs.
        boolean agentThere = now.agent().isPresent();
        if (agentThere) {
            agent.agentNow(now.agent(), now.ended());
        }
        if (disconnected) {
            disconnected = false;
            callback.setErrorStatus(new ErrorInfo.Disconnected(false));
        }
        LOG.info("chat={} caught up with the vendor ({} events missed)", chatId, now.missed().size());
        events.caughtUp(now.missed(), () -> {
            if (!agentThere) {
                agent.agentNow(now.agent(), now.ended());
            }
        });
        if (now.ended() && !callback.isClosed()) {
            agent.ended();
        }
    }

    /** Rule 13: tells the application what a new desk needs to resume this chat, when it changed. */
    void persist() {
        if (callback.isClosed() || conversation.isEmpty()) {
            return;
        }
        PersistedState next = vendor.save(conversation.get());
        if (lastMessageId.isPresent()) {
            next = next.with(VendorChat.LAST_MESSAGE_ID, lastMessageId.get());
        }
        if (!next.equals(lastPersisted)) {
            lastPersisted = next;
            callback.updatePersistedState(next);
        }
    }
}

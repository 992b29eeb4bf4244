package io.deskbridge.testkit.reference;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.SerialExecutor;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.ReceivedFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory contact center: chats with an event log, agents played by the test through
 * {@link ReferenceAgentDriver}, and connections that push each chat's events to subscribers in order, like a vendor
 * socket, through the shared scheduler.
 */
final class FakeContactCenter {

    /** What happened in a vendor chat. */
    enum Kind { QUEUE, JOINED, TYPING, MESSAGE, READ, TRANSFER, LEFT, ENDED }

    /** One entry of a chat's event log; {@code seq} counts from 1. */
    record Event(long seq, Kind kind, Optional<AgentProfile> agent, Optional<String> messageId, Optional<String> text,
            OptionalInt position, Optional<Duration> estimatedWait) {
        Event {
            requireNonNull(kind, "kind is null");
            requireNonNull(agent, "agent is null");
            requireNonNull(messageId, "messageId is null");
            requireNonNull(text, "text is null");
            requireNonNull(position, "position is null");
            requireNonNull(estimatedWait, "estimatedWait is null");
        }
    }

    /** A desk's subscription to one chat. Calls arrive one at a time, in order. */
    interface Listener {
        void onEvent(Event event);

        void onConnectionLost();

        void onConnectionBack();
    }

    /** The vendor refused a request. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final Executor io;
    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Chat> opened = new LinkedBlockingQueue<>();
    private final AtomicInteger chatCounter = new AtomicInteger();
    private volatile boolean agentsOnline = true;
    private volatile boolean rejectNext;

    FakeContactCenter(Executor io) {
        this.io = requireNonNull(io, "io is null");
    }

    boolean agentsOnline() {
        return agentsOnline;
    }

    void setAgentsOnline(boolean online) {
        agentsOnline = online;
    }

    void rejectNextChat() {
        rejectNext = true;
    }

    /** Opens a chat; the summary, if any, is the user's first message. */
    Chat open(Optional<String> summary) throws Refused {
        if (rejectNext) {
            rejectNext = false;
            throw new Refused("the contact center refused the chat");
        }
        Chat chat = new Chat("vc-" + chatCounter.incrementAndGet());
        summary.ifPresent(chat::userSends);
        chats.put(chat.id, chat);
        opened.add(chat);
        return chat;
    }

    Optional<Chat> find(String chatId) {
        return Optional.ofNullable(chats.get(chatId));
    }

    /** The next chat a desk opened, waiting at most {@code timeout}. */
    Optional<Chat> nextOpened(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(opened.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** One chat at the vendor. Thread-safe. */
    final class Chat {
        private final String id;
        private final List<Event> log = new ArrayList<>();
        private final List<String> userMessages = new ArrayList<>();
        private final List<Subscription> subscriptions = new ArrayList<>();
        private Optional<AgentProfile> agent = Optional.empty();
        private boolean connected = true;
        private boolean ended;
        private boolean endedByUser;
        private boolean failNextUserMessage;
        private int userTyping;
        private int userReads;
        private Optional<String> userName = Optional.empty();
        private Optional<String> userLocale = Optional.empty();
        private final List<ReceivedFile> userFiles = new ArrayList<>();

        private Chat(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        // ---- the agent's side ----

        synchronized void append(Kind kind, Optional<AgentProfile> who, Optional<String> text, OptionalInt position, Optional<Duration> wait) {
            if (ended) {
                throw new IllegalStateException("vendor chat " + id + " has ended");
            }
            long seq = log.size() + 1;
            Optional<String> messageId = kind == Kind.MESSAGE ? Optional.of("msg-" + id + "-" + seq) : Optional.empty();
            Event event = new Event(seq, kind, who, messageId, text, position, wait);
            log.add(event);
            if (kind == Kind.JOINED) {
                agent = who;
            } else if (kind == Kind.LEFT) {
                agent = Optional.empty();
            } else if (kind == Kind.ENDED) {
                ended = true;
            }
            if (connected) {
                for (Subscription subscription : subscriptions) {
                    subscription.push(event);
                }
            }
        }

        synchronized Optional<AgentProfile> agent() {
            return agent;
        }

        synchronized String lastMessageId() {
            return log.get(log.size() - 1).messageId().orElseThrow();
        }

        synchronized void dropConnection() {
            connected = false;
            subscriptions.forEach(Subscription::lost);
        }

        synchronized void restoreConnection() {
            connected = true;
            subscriptions.forEach(Subscription::back);
        }

        synchronized void failNextUserMessage() {
            failNextUserMessage = true;
        }

        synchronized List<String> userMessages() {
            return List.copyOf(userMessages);
        }

        synchronized Optional<String> userName() {
            return userName;
        }

        synchronized Optional<String> userLocale() {
            return userLocale;
        }

        synchronized List<ReceivedFile> userFiles() {
            return List.copyOf(userFiles);
        }

        synchronized int userTypingCount() {
            return userTyping;
        }

        synchronized int userReadCount() {
            return userReads;
        }

        synchronized boolean endedByUser() {
            return endedByUser;
        }

        synchronized boolean isEnded() {
            return ended;
        }

        // ---- the desk's side ----

        /**
         * Subscribes {@code listener} and replays every event after {@code afterSeq}.
         *
         * @return a handle to cancel the subscription
         */
        synchronized Runnable subscribe(Listener listener, long afterSeq) {
            Subscription subscription = new Subscription(listener);
            subscriptions.add(subscription);
            if (connected) {
                log.stream().filter(e -> e.seq() > afterSeq).forEach(subscription::push);
            }
            return () -> unsubscribe(subscription);
        }

        private synchronized void unsubscribe(Subscription subscription) {
            subscriptions.remove(subscription);
        }

        /** Events after {@code afterSeq}, for a desk catching up after its connection came back. */
        synchronized List<Event> eventsAfter(long afterSeq) {
            return log.stream().filter(e -> e.seq() > afterSeq).toList();
        }

        synchronized void userSends(String text) {
            userMessages.add(text);
        }

        /** The user's name and locale, as the desk passes them on. */
        synchronized void updateUser(Optional<String> name, Optional<String> locale) {
            name.ifPresent(n -> userName = Optional.of(n));
            locale.ifPresent(l -> userLocale = Optional.of(l));
        }

        /** A user message with files; see {@link #postUserMessage(String)}. */
        synchronized void postUserMessage(String text, List<ReceivedFile> files) throws Refused {
            postUserMessage(text);
            userFiles.addAll(files);
        }

        /** A user message from a desk; refused once after {@link #failNextUserMessage()}, and when not connected. */
        synchronized void postUserMessage(String text) throws Refused {
            if (ended) {
                throw new Refused("the chat has ended");
            }
            if (!connected) {
                throw new Refused("the connection is down");
            }
            if (failNextUserMessage) {
                failNextUserMessage = false;
                throw new Refused("the contact center refused the message");
            }
            userMessages.add(text);
        }

        synchronized void userTyped() {
            userTyping++;
        }

        synchronized void userRead() {
            userReads++;
        }

        synchronized void endByUser() {
            if (!ended) {
                ended = true;
                endedByUser = true;
            }
        }
    }

    /** One connection's ordered push channel. */
    private final class Subscription {
        private final Listener listener;
        private final SerialExecutor channel = new SerialExecutor(io);

        Subscription(Listener listener) {
            this.listener = listener;
        }

        void push(Event event) {
            channel.execute(() -> listener.onEvent(event));
        }

        void lost() {
            channel.execute(listener::onConnectionLost);
        }

        void back() {
            channel.execute(listener::onConnectionBack);
        }
    }
}

package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small contact center inside the JVM: the "vendor" of the example desk, so that {@link ExampleServiceDesk} is
 * written exactly like a vendor integration. The <b>user side</b> is what a desk calls ({@link #openChat},
 * {@link #connect} to an event stream that can drop and be resumed from a sequence number, {@link #postUserMessage},
 * idempotent per client message id, and the user's typing, receipts, name and end); the <b>agent side</b> is what the
 * {@link SimulatedAgent} and test drivers call ({@link #agentJoins}, {@link #agentSends}, {@link #transfer}…, and
 * {@link #addConsoleListener}); <b>faults</b> are {@link #refuseNextChat()}, {@link #failNextUserMessage},
 * {@link #dropConnection}, {@link #restoreConnection} and {@link #setAgentsOnline}. Its types are
 * {@link ContactCenterTypes}; one chat's state is a {@link ContactCenterChat}.
 *
 * <p><b>Threads.</b> Like a remote vendor, it answers later, never inside the caller's call: every {@link Listener}
 * and {@link ConsoleListener} call and every completion of a returned stage happens on the chat's own lane, in the
 * order the contact center saw things happen. What a call changes is recorded before it returns, so a test can look
 * at once. All methods are thread-safe.
 */
@Singleton
public final class ExampleContactCenter implements ContactCenterTypes {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleContactCenter.class);

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ExampleSettings settings;
    private final AtomicLong chatCounter = new AtomicLong();
    private final Map<String, ContactCenterChat> chats = new ConcurrentHashMap<>();
    private final Queue<String> chatOrder = new ConcurrentLinkedQueue<>();
    /** Chats that are over, oldest end first: forgotten {@link ExampleSettings#chatRetention()} after their end. */
    private final Queue<Ended> ended = new ConcurrentLinkedQueue<>();
    private final List<ConsoleListener> consoles = new CopyOnWriteArrayList<>();
    private volatile boolean agentsOnline = true;
    private volatile boolean refuseNextChat;

    @Inject
    public ExampleContactCenter(ScheduledExecutorService scheduler, Clock clock, ExampleSettings settings) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    // ------------------------------------------------------------------ user side (what a desk calls)

    /** Whether agents are logged in to take new chats. */
    public boolean agentsOnline() {
        return agentsOnline;
    }

    /**
     * Opens a chat and connects {@code listener} to its event stream. The listener then hears
     * {@link Listener#onOpened} with the chat's id, or {@link Listener#onClosed} with {@link CloseReason#REFUSED} if
     * the contact center refuses the chat (no agent online, or {@link #refuseNextChat()}).
     */
    public void openChat(ChatRequest request, Listener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        String refusal = null;
        synchronized (this) {
            if (refuseNextChat) {
                refuseNextChat = false;
                refusal = "The contact center is not taking new chats right now.";
            } else if (!agentsOnline) {
                refusal = "No agent is online.";
            }
        }
        if (refusal != null) {
            String detail = refusal;
            LOG.info("refused a new chat: {}", detail);
            scheduler.execute(() -> listener.onClosed(CloseReason.REFUSED, detail));
            return;
        }
        forgetOldChats();
        ContactCenterChat chat = new ContactCenterChat(scheduler, "chat-" + chatCounter.incrementAndGet(), request.userName());
        synchronized (chat) {
            request.firstMessage().ifPresent(chat.userTexts::add);
            chat.listener = listener;
            chats.put(chat.id, chat);
            chatOrder.add(chat.id);
            Opened opened = new Opened(chat.id, List.of(), Optional.empty(), false, false);
            chat.lane.execute(() -> listener.onOpened(opened));
            chat.lane.execute(() -> consoles.forEach(c -> c.chatOpened(chat.id)));
        }
        LOG.info("conversation={} opened at the example contact center", chat.id);
    }

    /**
     * Connects {@code listener} to the event stream of an existing chat, from after event {@code afterSequence}: the
     * listener hears {@link Listener#onOpened} with the durable events it missed, then every new event. A connection
     * the chat already had is closed with {@link CloseReason#SUPERSEDED}. Fails through {@link Listener#onClosed}
     * when the chat is unknown, ended by the user, or its connection is down ({@link #dropConnection}).
     */
    public void connect(String chatId, long afterSequence, Listener listener) {
        requireNonNull(chatId, "chatId is null");
        requireNonNull(listener, "listener is null");
        ContactCenterChat chat = chats.get(chatId);
        if (chat == null) {
            scheduler.execute(() -> listener.onClosed(CloseReason.UNKNOWN_CHAT, "No chat " + chatId + " at the contact center."));
            return;
        }
        synchronized (chat) {
            if (chat.endedByUser) {
                chat.lane.execute(() -> listener.onClosed(CloseReason.ENDED, "The user ended chat " + chatId + "."));
                return;
            }
            if (!chat.reachable) {
                chat.lane.execute(() -> listener.onClosed(CloseReason.UNAVAILABLE, "Chat " + chatId + " cannot be reached right now."));
                return;
            }
            Listener previous = chat.listener;
            chat.listener = listener;
            Opened opened = chat.openedAfter(afterSequence);
            List<ContactCenterEvent> missed = opened.missed();
            if (previous != null && previous != listener) {
                chat.lane.execute(() -> previous.onClosed(CloseReason.SUPERSEDED, "Another connection took over chat " + chatId + "."));
            }
            chat.lane.execute(() -> listener.onOpened(opened));
            LOG.info("conversation={} connection opened after event {} ({} missed)", chatId, afterSequence, missed.size());
        }
    }

    /** Closes {@code listener}'s connection to the chat, if it is still the chat's connection. No callback follows. */
    public void disconnect(String chatId, Listener listener) {
        ContactCenterChat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat != null) {
            synchronized (chat) {
                if (chat.listener == listener) {
                    chat.listener = null;
                }
            }
        }
    }

    /**
     * Posts a user message. Idempotent per {@code clientMessageId}: a message already received is not posted again,
     * and the stage completes with the id it got the first time.
     *
     * @return the contact center's id of the message, or a failure with {@link RequestRefused}
     */
    public CompletionStage<String> postUserMessage(String chatId, String clientMessageId, String text) {
        return postUserMessage(chatId, clientMessageId, text, List.of());
    }

    /**
     * Posts a user message with files. The contact center refuses (with {@link RequestRefused.Reason#REJECTED}) a
     * text longer than {@link ExampleSettings#maxMessageLength()}, and a file of a type it does not accept or larger
     * than {@link ExampleSettings#maxFileSize()} (see {@link #acceptsFile}).
     *
     * @return the contact center's id of the message, or a failure with {@link RequestRefused}
     */
    public CompletionStage<String> postUserMessage(String chatId, String clientMessageId, String text, List<Attachment> files) {
        requireNonNull(clientMessageId, "clientMessageId is null");
        requireNonNull(text, "text is null");
        List<Attachment> attachments = List.copyOf(requireNonNull(files, "files is null"));
        ContactCenterChat chat;
        try {
            chat = openChatNamed(chatId);
        } catch (RequestRefused e) {
            return failLater(e);
        }
        return chat.receive(clientMessageId, text, attachments, settings.maxMessageLength(),
                file -> acceptsFile(file.fileName(), file.contentType(), file.size()), consoles);
    }

    /**
     * Whether the contact center takes a file of this type and size: empty if it does, else why not, in words for
     * the user. A desk asks before it uploads, as desks ask real vendors for their upload rules.
     */
    public Optional<String> acceptsFile(String fileName, String contentType, long sizeBytes) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(contentType, "contentType is null");
        if (!settings.acceptsFileType(contentType)) {
            return Optional.of(fileName + " is a " + contentType + " file; the service desk accepts " + String.join(", ", settings.fileTypes()) + ".");
        }
        if (sizeBytes > settings.maxFileSize()) {
            return Optional.of(fileName + " is larger than " + settings.maxFileSize() + " bytes.");
        }
        return Optional.empty();
    }

    /** The user started or stopped typing. */
    public CompletionStage<Void> userTyping(String chatId, boolean typing) {
        return userSignal(chatId, chat -> chat.userTypingCount++);
    }

    /** The user read the agent's messages. */
    public CompletionStage<Void> userRead(String chatId) {
        return userSignal(chatId, chat -> chat.userReadCount++);
    }

    /** The user's name, as agents see it, changed. */
    public CompletionStage<Void> updateUserName(String chatId, String name) {
        requireNonNull(name, "name is null");
        return userSignal(chatId, chat -> chat.userName = Optional.of(name));
    }

    /** The user ends the chat. Ending a chat that is already over completes normally. */
    public CompletionStage<Void> endChatByUser(String chatId) {
        ContactCenterChat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat == null) {
            return failLater(new RequestRefused(RequestRefused.Reason.UNKNOWN_CHAT, "No chat " + chatId + " at the contact center."));
        }
        synchronized (chat) {
            if (!chat.isOver()) {
                chat.endedByUser = true;
                chat.listener = null;
                ended.add(new Ended(chat.id, clock.instant()));
                chat.lane.execute(() -> consoles.forEach(c -> c.chatEndedByUser(chat.id)));
                LOG.info("conversation={} ended by the user", chat.id);
            }
            return chat.completeLater(null);
        }
    }

    // ------------------------------------------------------------------ agent side (simulated agent, tests)

    /** Adds a listener of the agents' console. */
    public void addConsoleListener(ConsoleListener listener) {
        consoles.add(requireNonNull(listener, "listener is null"));
    }

    /** The ids of the chats opened so far, oldest first (chats over for longer than the retention are forgotten). */
    public List<String> chats() {
        return List.copyOf(chatOrder);
    }

    /** Sets the queue status a waiting chat's desk hears. */
    public void setQueueStatus(String chatId, OptionalInt position, Optional<Duration> estimatedWait) {
        requireNonNull(position, "position is null");
        requireNonNull(estimatedWait, "estimatedWait is null");
        post(chatId, seq -> new ContactCenterEvent.QueueStatus(seq, position, estimatedWait));
    }

    /** {@code agent} joins the chat: accepts it from the queue, or takes it over after a transfer. */
    public void agentJoins(String chatId, Agent agent) {
        requireNonNull(agent, "agent is null");
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            chat.agent = Optional.of(agent);
            chat.append(seq -> new ContactCenterEvent.AgentJoined(seq, agent));
        }
    }

    /** The agent in the chat starts or stops typing. */
    public void agentTyping(String chatId, boolean typing) {
        post(chatId, seq -> new ContactCenterEvent.AgentTyping(seq, typing));
    }

    /**
     * The agent in the chat sends a message; with no agent in the chat, the contact center sends it as a notice.
     *
     * @return the contact center's id of the message
     */
    public String agentSends(String chatId, String text) {
        requireNonNull(text, "text is null");
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            String messageId = chat.id + "-a" + (++chat.agentMessageCount);
            Optional<String> agentId = chat.agent.map(Agent::id);
            Instant now = clock.instant();
            chat.append(seq -> new ContactCenterEvent.Message(seq, messageId, agentId, text, now));
            return messageId;
        }
    }

    /** The agent read the user's messages. */
    public void agentReads(String chatId) {
        post(chatId, ContactCenterEvent.AgentRead::new);
    }

    /**
     * The agent in the chat hands it to another agent, {@code to} when known. The other agent joins with
     * {@link #agentJoins}; the first one usually {@linkplain #agentLeaves leaves} in between.
     */
    public void transfer(String chatId, Optional<Agent> to) {
        requireNonNull(to, "to is null");
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            if (chat.agent.isEmpty()) {
                throw new IllegalStateException("No agent is in chat " + chatId + " to transfer it");
            }
            chat.append(seq -> new ContactCenterEvent.TransferStarted(seq, to));
        }
    }

    /** The agent leaves the chat without ending it. */
    public void agentLeaves(String chatId) {
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            String agentId = chat.agent.map(Agent::id)
                    .orElseThrow(() -> new IllegalStateException("No agent is in chat " + chatId + " to leave it"));
            chat.agent = Optional.empty();
            chat.append(seq -> new ContactCenterEvent.AgentLeft(seq, agentId));
        }
    }

    /** The agent ends the chat. */
    public void agentEnds(String chatId) {
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            chat.append(ContactCenterEvent.ChatEnded::new);
            chat.endedByAgent = true;
            ended.add(new Ended(chat.id, clock.instant()));
            LOG.info("conversation={} ended by the agent", chat.id);
        }
    }

    /** The agent in the chat, if any. */
    public Optional<Agent> agentIn(String chatId) {
        return read(chatId, chat -> chat.agent);
    }

    /** The texts the user sent in the chat, in order: the first message of the chat request first, if any. */
    public List<String> userMessages(String chatId) {
        return read(chatId, chat -> List.copyOf(chat.userTexts));
    }

    /** The files the user sent in the chat, in order. */
    public List<Attachment> userFiles(String chatId) {
        return read(chatId, chat -> List.copyOf(chat.userFiles));
    }

    /** The user's name as the agent sees it, if the desk gave one. */
    public Optional<String> userName(String chatId) {
        return read(chatId, chat -> chat.userName);
    }

    /** How many typing notifications the user's desk sent. */
    public int userTypingCount(String chatId) {
        return read(chatId, chat -> chat.userTypingCount);
    }

    /** How many read receipts the user's desk sent. */
    public int userReadCount(String chatId) {
        return read(chatId, chat -> chat.userReadCount);
    }

    /** Whether the user ended the chat. */
    public boolean endedByUser(String chatId) {
        return read(chatId, chat -> chat.endedByUser);
    }

    /** Whether the chat is over (ended by the user or the agent). */
    public boolean isOver(String chatId) {
        return read(chatId, ContactCenterChat::isOver);
    }

    /** Whether a desk is connected to the chat's event stream now. */
    public boolean isConnected(String chatId) {
        return read(chatId, chat -> chat.listener != null);
    }

    // ------------------------------------------------------------------ faults
    /** Whether agents are online; with none, {@link #openChat} refuses new chats. Online at start. */
    public void setAgentsOnline(boolean online) {
        agentsOnline = online;
    }

    /** The next {@link #openChat} is refused, as during an outage. */
    public synchronized void refuseNextChat() {
        refuseNextChat = true;
    }

    /** The next new user message of the chat is refused with {@link RequestRefused.Reason#UNAVAILABLE}. */
    public void failNextUserMessage(String chatId) {
        read(chatId, chat -> chat.failNextUserMessage = true);
    }

    /**
     * The chat's event stream drops: its connection closes with {@link CloseReason#DROPPED} and {@link #connect}
     * fails with {@link CloseReason#UNAVAILABLE} until {@link #restoreConnection}. The chat goes on: durable events
     * are kept for the desk to fetch when it reconnects; transient ones are lost. Requests (messages, typing, end)
     * still work, as a vendor's REST API does when its event socket is down.
     */
    public void dropConnection(String chatId) {
        ContactCenterChat chat = chat(chatId);
        synchronized (chat) {
            chat.reachable = false;
            Listener dropped = chat.listener;
            chat.listener = null;
            if (dropped != null) {
                chat.lane.execute(() -> dropped.onClosed(CloseReason.DROPPED, "The connection to chat " + chatId + " was lost."));
            }
            LOG.info("conversation={} connection dropped", chatId);
        }
    }

    /** Connections to the chat are accepted again; the desk finds out when it next tries to connect. */
    public void restoreConnection(String chatId) {
        read(chatId, chat -> chat.reachable = true);
        LOG.info("conversation={} connection restored", chatId);
    }

    // ------------------------------------------------------------------ internals
    private record Ended(String chatId, Instant at) {}

    /** Forgets the chats that ended longer ago than the retention, so a long-running process does not grow. */
    private void forgetOldChats() {
        Instant horizon = clock.instant().minus(settings.chatRetention());
        for (Ended oldest = ended.peek(); oldest != null && !oldest.at().isAfter(horizon); oldest = ended.peek()) {
            if (ended.remove(oldest)) {
                chats.remove(oldest.chatId());
                chatOrder.remove(oldest.chatId());
                LOG.debug("conversation={} forgotten", oldest.chatId());
            }
        }
    }

    /** Reads from one chat under its lock. */
    private <T> T read(String chatId, Function<ContactCenterChat, T> view) {
        ContactCenterChat chat = chat(chatId);
        synchronized (chat) {
            return view.apply(chat);
        }
    }

    private ContactCenterChat chat(String chatId) {
        ContactCenterChat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat == null) {
            throw new IllegalArgumentException("No chat " + chatId + " at the example contact center (it never existed, or "
                    + "it ended more than " + settings.chatRetention() + " ago)");
        }
        return chat;
    }

    /** A chat agents can act in: it exists and is not over. */
    private ContactCenterChat liveChat(String chatId) {
        if (read(chatId, ContactCenterChat::isOver)) {
            throw new IllegalStateException("Chat " + chatId + " is over");
        }
        return chat(chatId);
    }

    /** A chat a user request can go to, or a refusal saying why not. */
    private ContactCenterChat openChatNamed(String chatId) {
        ContactCenterChat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat == null) {
            throw new RequestRefused(RequestRefused.Reason.UNKNOWN_CHAT, "No chat " + chatId + " at the contact center.");
        }
        synchronized (chat) {
            if (chat.isOver()) {
                throw new RequestRefused(RequestRefused.Reason.CHAT_ENDED, "Chat " + chatId + " is over.");
            }
        }
        return chat;
    }

    private CompletionStage<Void> userSignal(String chatId, java.util.function.Consumer<ContactCenterChat> change) {
        ContactCenterChat chat;
        try {
            chat = openChatNamed(chatId);
        } catch (RequestRefused e) {
            return failLater(e);
        }
        synchronized (chat) {
            change.accept(chat);
            return chat.completeLater(null);
        }
    }

    private void post(String chatId, LongFunction<ContactCenterEvent> event) {
        ContactCenterChat chat = liveChat(chatId);
        synchronized (chat) {
            chat.append(event);
        }
    }




    private <T> CompletionStage<T> failLater(RequestRefused failure) {
        CompletableFuture<T> future = new CompletableFuture<>();
        scheduler.execute(() -> future.completeExceptionally(failure));
        return future;
    }
}

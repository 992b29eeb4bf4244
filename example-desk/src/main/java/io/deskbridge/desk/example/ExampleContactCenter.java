package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.SerialExecutor;
import io.deskbridge.spi.UserMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * A small contact center inside the JVM: the "vendor" of the example desk. It plays the part a real contact-center
 * product plays for a real desk, so that {@link ExampleServiceDesk} is written exactly like a vendor integration:
 *
 * <ul>
 *   <li>the <b>user side</b>, which a desk calls: {@link #openChat}, {@link #connect} (an event stream that can drop
 *       and be resumed from a sequence number), {@link #postUserMessage} (idempotent per client message id, with
 *       files checked against {@link #acceptsFile}),
 *       {@link #userTyping}, {@link #userRead}, {@link #updateUserName}, {@link #endChatByUser},
 *       {@link #agentsOnline};</li>
 *   <li>the <b>agent side</b>, which the {@link SimulatedAgent} and test drivers call: {@link #setQueueStatus},
 *       {@link #agentJoins}, {@link #agentTyping}, {@link #agentSends}, {@link #agentReads}, {@link #transfer},
 *       {@link #agentLeaves}, {@link #agentEnds}, and {@link #addConsoleListener} to hear about chats;</li>
 *   <li><b>faults</b>: {@link #refuseNextChat()}, {@link #failNextUserMessage}, {@link #dropConnection},
 *       {@link #restoreConnection}, {@link #setAgentsOnline}.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Like a remote vendor, the contact center answers later, never inside the caller's call: every
 * {@link Listener} and {@link ConsoleListener} call and every completion of a returned stage happens on the chat's
 * own lane, a {@link SerialExecutor} over the shared scheduler, in the order the contact center saw things happen.
 * What a call changes (a chat opened, a message received) is recorded before the call returns, so a test can look
 * at it at once. All methods are thread-safe.
 */
@Singleton
public final class ExampleContactCenter {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleContactCenter.class);

    /**
     * An agent of the contact center.
     *
     * @param id the contact center's stable id of the agent
     * @param name the name users see
     * @param avatar a picture of the agent
     */
    public record Agent(String id, String name, Optional<URI> avatar) {
        public Agent {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(avatar, "avatar is null");
        }
    }

    /**
     * What a desk sends to open a chat.
     *
     * @param firstMessage the user's first message for the agent (the bot's hand-over summary)
     * @param userName the name the agent sees
     * @param attributes routing hints and data for the agent
     */
    public record ChatRequest(Optional<String> firstMessage, Optional<String> userName, Map<String, String> attributes) {
        public ChatRequest {
            requireNonNull(firstMessage, "firstMessage is null");
            requireNonNull(userName, "userName is null");
            attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
        }
    }

    /**
     * A file the user sent with a message.
     *
     * @param fileName the name of the user's file
     * @param contentType its media type
     * @param content its bytes
     */
    public record Attachment(String fileName, String contentType, byte[] content) {
        public Attachment {
            requireNonNull(fileName, "fileName is null");
            requireNonNull(contentType, "contentType is null");
            content = requireNonNull(content, "content is null").clone();
        }

        /** A copy of the bytes. */
        @Override
        public byte[] content() {
            return content.clone();
        }

        /** The size in bytes. */
        public int size() {
            return content.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Attachment a && a.fileName.equals(fileName) && a.contentType.equals(contentType)
                    && java.util.Arrays.equals(a.content, content);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(fileName, contentType, java.util.Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Attachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
        }
    }

    /**
     * A connection to a chat's event stream is open.
     *
     * @param chatId the contact center's id of the chat
     * @param missed the durable events after the sequence number the desk connected from, in order
     * @param agent the agent in the chat as of that sequence number (before the missed events)
     * @param agentJoined whether any agent had joined as of that sequence number
     * @param ended whether the agent ended the chat (its {@link ContactCenterEvent.ChatEnded} is in the history)
     */
    public record Opened(String chatId, List<ContactCenterEvent> missed, Optional<Agent> agent, boolean agentJoined, boolean ended) {
        public Opened {
            requireNonNull(chatId, "chatId is null");
            missed = List.copyOf(requireNonNull(missed, "missed is null"));
            requireNonNull(agent, "agent is null");
        }
    }

    /** Why a connection to a chat closed, or could not open. */
    public enum CloseReason {
        /** {@link #openChat}: the contact center refused the new chat (no agents, or an outage). */
        REFUSED,
        /** The connection was lost; the chat goes on and can be connected to again later. */
        DROPPED,
        /** {@link #connect}: the contact center does not accept connections to this chat right now; try again later. */
        UNAVAILABLE,
        /** Another connection to the same chat replaced this one (a new desk instance resumed the chat). */
        SUPERSEDED,
        /** {@link #connect}: the contact center knows no chat with this id. */
        UNKNOWN_CHAT,
        /** {@link #connect}: the user ended the chat. */
        ENDED
    }

    /**
     * A desk's connection to one chat. The contact center calls it on the chat's lane, one call at a time: first
     * {@link #onOpened} or {@link #onClosed}; after {@code onOpened}, {@link #onEvent} for each event until
     * {@link #onClosed} or until the desk {@linkplain #disconnect disconnects}.
     */
    public interface Listener {
        void onOpened(Opened opened);

        void onEvent(ContactCenterEvent event);

        void onClosed(CloseReason reason, String detail);
    }

    /** The agents' console: what agents (the simulated agent, a test) hear about chats. Called on the chat's lane. */
    public interface ConsoleListener {
        /** A user opened a chat; it waits in the queue. */
        default void chatOpened(String chatId) {}

        /** A user sent a message (the first message of a chat is reported by {@link #chatOpened} only). */
        default void userMessage(String chatId, String text) {}

        /** A user sent files, with the message just reported through {@link #userMessage} if it had text. */
        default void userFiles(String chatId, List<Attachment> files) {}

        /** The user ended the chat. */
        default void chatEndedByUser(String chatId) {}
    }

    /** A request of the user side the contact center refused. */
    public static final class RequestRefused extends RuntimeException {
        /** Why a request was refused. */
        public enum Reason {
            /** The contact center could not serve the request now; a retry may work. */
            UNAVAILABLE,
            /** The request is not acceptable (too long, for example); a retry will not work. */
            REJECTED,
            /** The chat does not exist. */
            UNKNOWN_CHAT,
            /** The chat is over. */
            CHAT_ENDED
        }

        private final Reason reason;

        public RequestRefused(Reason reason, String message) {
            super(message);
            this.reason = requireNonNull(reason, "reason is null");
        }

        public Reason reason() {
            return reason;
        }
    }

    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ExampleSettings settings;
    private final AtomicLong chatCounter = new AtomicLong();
    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
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
        Chat chat = new Chat("chat-" + chatCounter.incrementAndGet(), request.userName());
        synchronized (chat) {
            request.firstMessage().ifPresent(chat.userTexts::add);
            chat.listener = listener;
            chats.put(chat.id, chat);
            chatOrder.add(chat.id);
            Opened opened = new Opened(chat.id, List.of(), Optional.empty(), false, false);
            chat.lane.execute(() -> listener.onOpened(opened));
            chat.lane.execute(() -> consoles.forEach(c -> c.chatOpened(chat.id)));
        }
        LOG.info("chat={} opened at the example contact center", chat.id);
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
        Chat chat = chats.get(chatId);
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
            Optional<Agent> agent = Optional.empty();
            boolean joined = false;
            List<ContactCenterEvent> missed = new ArrayList<>();
            for (ContactCenterEvent event : chat.history) {
                if (event.sequence() > afterSequence) {
                    missed.add(event);
                } else if (event instanceof ContactCenterEvent.AgentJoined j) {
                    agent = Optional.of(j.agent());
                    joined = true;
                } else if (event instanceof ContactCenterEvent.AgentLeft) {
                    agent = Optional.empty();
                }
            }
            Opened opened = new Opened(chatId, missed, agent, joined, chat.endedByAgent);
            if (previous != null && previous != listener) {
                chat.lane.execute(() -> previous.onClosed(CloseReason.SUPERSEDED, "Another connection took over chat " + chatId + "."));
            }
            chat.lane.execute(() -> listener.onOpened(opened));
            LOG.info("chat={} connection opened after event {} ({} missed)", chatId, afterSequence, missed.size());
        }
    }

    /** Closes {@code listener}'s connection to the chat, if it is still the chat's connection. No callback follows. */
    public void disconnect(String chatId, Listener listener) {
        Chat chat = chats.get(requireNonNull(chatId, "chatId is null"));
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
        Chat chat;
        try {
            chat = openChatNamed(chatId);
        } catch (RequestRefused e) {
            return failLater(e);
        }
        synchronized (chat) {
            String known = chat.userMessageIds.get(clientMessageId);
            if (known != null) {
                return completeLater(chat, known);
            }
            if (chat.failNextUserMessage) {
                chat.failNextUserMessage = false;
                return failLater(chat, new RequestRefused(RequestRefused.Reason.UNAVAILABLE,
                        "The contact center could not take the message; try again."));
            }
            if (UserMessage.length(text) > settings.maxMessageLength()) {
                return failLater(chat, new RequestRefused(RequestRefused.Reason.REJECTED,
                        "The message is longer than " + settings.maxMessageLength() + " characters."));
            }
            for (Attachment file : attachments) {
                Optional<String> refusal = acceptsFile(file.fileName(), file.contentType(), file.size());
                if (refusal.isPresent()) {
                    return failLater(chat, new RequestRefused(RequestRefused.Reason.REJECTED, refusal.get()));
                }
            }
            String id = chat.id + "-u" + (chat.userMessageIds.size() + 1);
            chat.userMessageIds.put(clientMessageId, id);
            if (!text.isBlank()) {
                chat.userTexts.add(text);
                chat.lane.execute(() -> consoles.forEach(c -> c.userMessage(chat.id, text)));
            }
            chat.userFiles.addAll(attachments);
            if (!attachments.isEmpty()) {
                chat.lane.execute(() -> consoles.forEach(c -> c.userFiles(chat.id, attachments)));
            }
            LOG.debug("chat={} user message {} received as {} with {} files", chat.id, clientMessageId, id, attachments.size());
            return completeLater(chat, id);
        }
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
        Chat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat == null) {
            return failLater(new RequestRefused(RequestRefused.Reason.UNKNOWN_CHAT, "No chat " + chatId + " at the contact center."));
        }
        synchronized (chat) {
            if (!chat.isOver()) {
                chat.endedByUser = true;
                chat.listener = null;
                ended.add(new Ended(chat.id, clock.instant()));
                chat.lane.execute(() -> consoles.forEach(c -> c.chatEndedByUser(chat.id)));
                LOG.info("chat={} ended by the user", chat.id);
            }
            return completeLater(chat, null);
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
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            chat.agent = Optional.of(agent);
            append(chat, seq -> new ContactCenterEvent.AgentJoined(seq, agent));
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
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            String messageId = chat.id + "-a" + (++chat.agentMessageCount);
            Optional<String> agentId = chat.agent.map(Agent::id);
            Instant now = clock.instant();
            append(chat, seq -> new ContactCenterEvent.Message(seq, messageId, agentId, text, now));
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
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            if (chat.agent.isEmpty()) {
                throw new IllegalStateException("No agent is in chat " + chatId + " to transfer it");
            }
            append(chat, seq -> new ContactCenterEvent.TransferStarted(seq, to));
        }
    }

    /** The agent leaves the chat without ending it. */
    public void agentLeaves(String chatId) {
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            String agentId = chat.agent.map(Agent::id)
                    .orElseThrow(() -> new IllegalStateException("No agent is in chat " + chatId + " to leave it"));
            chat.agent = Optional.empty();
            append(chat, seq -> new ContactCenterEvent.AgentLeft(seq, agentId));
        }
    }

    /** The agent ends the chat. */
    public void agentEnds(String chatId) {
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            append(chat, ContactCenterEvent.ChatEnded::new);
            chat.endedByAgent = true;
            ended.add(new Ended(chat.id, clock.instant()));
            LOG.info("chat={} ended by the agent", chat.id);
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
        return read(chatId, Chat::isOver);
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
        Chat chat = chat(chatId);
        synchronized (chat) {
            chat.failNextUserMessage = true;
        }
    }

    /**
     * The chat's event stream drops: its connection closes with {@link CloseReason#DROPPED} and {@link #connect}
     * fails with {@link CloseReason#UNAVAILABLE} until {@link #restoreConnection}. The chat goes on: durable events
     * are kept for the desk to fetch when it reconnects; transient ones are lost. Requests (messages, typing, end)
     * still work, as a vendor's REST API does when its event socket is down.
     */
    public void dropConnection(String chatId) {
        Chat chat = chat(chatId);
        synchronized (chat) {
            chat.reachable = false;
            Listener dropped = chat.listener;
            chat.listener = null;
            if (dropped != null) {
                chat.lane.execute(() -> dropped.onClosed(CloseReason.DROPPED, "The connection to chat " + chatId + " was lost."));
            }
            LOG.info("chat={} connection dropped", chatId);
        }
    }

    /** Connections to the chat are accepted again; the desk finds out when it next tries to connect. */
    public void restoreConnection(String chatId) {
        Chat chat = chat(chatId);
        synchronized (chat) {
            chat.reachable = true;
            LOG.info("chat={} connection restored", chatId);
        }
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
                LOG.debug("chat={} forgotten", oldest.chatId());
            }
        }
    }

    /** Reads from one chat under its lock. */
    private <T> T read(String chatId, Function<Chat, T> view) {
        Chat chat = chat(chatId);
        synchronized (chat) {
            return view.apply(chat);
        }
    }

    private Chat chat(String chatId) {
        Chat chat = chats.get(requireNonNull(chatId, "chatId is null"));
        if (chat == null) {
            throw new IllegalArgumentException("No chat " + chatId + " at the example contact center (it never existed, or "
                    + "it ended more than " + settings.chatRetention() + " ago)");
        }
        return chat;
    }

    /** A chat agents can act in: it exists and is not over. */
    private Chat liveChat(String chatId) {
        Chat chat = chat(chatId);
        synchronized (chat) {
            if (chat.isOver()) {
                throw new IllegalStateException("Chat " + chatId + " is over");
            }
        }
        return chat;
    }

    /** A chat a user request can go to, or a refusal saying why not. */
    private Chat openChatNamed(String chatId) {
        Chat chat = chats.get(requireNonNull(chatId, "chatId is null"));
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

    private CompletionStage<Void> userSignal(String chatId, java.util.function.Consumer<Chat> change) {
        Chat chat;
        try {
            chat = openChatNamed(chatId);
        } catch (RequestRefused e) {
            return failLater(e);
        }
        synchronized (chat) {
            change.accept(chat);
            return completeLater(chat, null);
        }
    }

    private void post(String chatId, LongFunction<ContactCenterEvent> event) {
        Chat chat = liveChat(chatId);
        synchronized (chat) {
            append(chat, event);
        }
    }

    /** Numbers the event, keeps it if durable, and sends it to the chat's connection if there is one. Holds the chat's lock. */
    private static void append(Chat chat, LongFunction<ContactCenterEvent> factory) {
        if (chat.isOver()) {
            throw new IllegalStateException("Chat " + chat.id + " is over");
        }
        ContactCenterEvent event = factory.apply(chat.nextSequence++);
        if (event.durable()) {
            chat.history.add(event);
        }
        Listener listener = chat.listener;
        if (listener != null) {
            chat.lane.execute(() -> listener.onEvent(event));
        }
    }

    private static <T> CompletionStage<T> completeLater(Chat chat, T value) {
        CompletableFuture<T> future = new CompletableFuture<>();
        chat.lane.execute(() -> future.complete(value));
        return future;
    }

    private static <T> CompletionStage<T> failLater(Chat chat, RequestRefused failure) {
        CompletableFuture<T> future = new CompletableFuture<>();
        chat.lane.execute(() -> future.completeExceptionally(failure));
        return future;
    }

    private <T> CompletionStage<T> failLater(RequestRefused failure) {
        CompletableFuture<T> future = new CompletableFuture<>();
        scheduler.execute(() -> future.completeExceptionally(failure));
        return future;
    }

    /** One chat. Every field but the final ones is guarded by the chat's monitor. */
    private final class Chat {
        final String id;
        final SerialExecutor lane = new SerialExecutor(scheduler);
        final List<ContactCenterEvent> history = new ArrayList<>();
        final Map<String, String> userMessageIds = new HashMap<>();
        final List<String> userTexts = new ArrayList<>();
        final List<Attachment> userFiles = new ArrayList<>();
        long nextSequence = 1;
        Listener listener;
        boolean reachable = true;
        boolean endedByUser;
        boolean endedByAgent;
        boolean failNextUserMessage;
        Optional<Agent> agent = Optional.empty();
        Optional<String> userName;
        int agentMessageCount;
        int userTypingCount;
        int userReadCount;

        Chat(String id, Optional<String> userName) {
            this.id = id;
            this.userName = userName;
        }

        boolean isOver() {
            return endedByUser || endedByAgent;
        }
    }
}

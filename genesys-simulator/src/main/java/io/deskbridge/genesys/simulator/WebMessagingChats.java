package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web messaging side of the organization, as the agent console and the queue counts see it: each guest session
 * of the embedded {@link WebMessagingSimulator} becomes a chat with a conversation id of this simulator, the default
 * queue, and an agent from the roster.
 *
 * <p>Web messaging has no routing events for the guest: an agent accepting a chat is a {@code Presence Join} from
 * that agent; a transfer offers the chat to another agent, whose join the guest sees when that agent accepts (the
 * desk then reports the transfer); an agent leaving without ending sends nothing and puts the chat back in the queue.
 * A console "notice" goes out as a bot message ({@code originatingEntity: Bot}). These are simulator choices:
 * Genesys does not show a guest how its agents hand a conversation on.
 *
 * <p>Thread-safe; actions on one chat are serialized by this object's lock, and the session does its own locking.
 */
final class WebMessagingChats {
    /** How long an agent typing indicator lasts ({@code Typing On} duration), as Genesys's default. */
    static final long TYPING_DURATION_MILLIS = 5_000;

    private final GenesysSimulator simulator;
    private final SimulatedQueue queue;
    private final Map<SimulatedWebMessagingSession, Chat> chats = new LinkedHashMap<>();

    /** Where a web messaging chat is, in the words of the console. */
    enum Status {
        WAITING("waiting"),
        ALERTING("alerting"),
        CONNECTED("connected"),
        ENDED("ended"),
        ENDED_BY_GUEST("ended by the guest");

        final String text;

        Status(String text) {
            this.text = text;
        }
    }

    /** One web messaging chat. */
    final class Chat {
        private final String id;
        private final SimulatedWebMessagingSession session;
        private Optional<GenesysAgent> agent = Optional.empty();
        private Optional<GenesysAgent> offeredTo = Optional.empty();
        private boolean agentLeft;
        private int typingSeen;
        private Optional<Instant> guestTypedAt = Optional.empty();

        private Chat(String id, SimulatedWebMessagingSession session) {
            this.id = id;
            this.session = session;
        }

        String id() {
            return id;
        }

        SimulatedWebMessagingSession session() {
            return session;
        }

        SimulatedQueue queue() {
            return queue;
        }

        /** The guest's name: {@code displayName} of the first message's custom attributes, else "Guest". */
        String guestName() {
            for (JsonNode message : session.userMessages()) {
                JsonNode name = message.path("channel").path("metadata").path("customAttributes").path("displayName");
                if (name.isTextual() && !name.asText().isBlank()) {
                    return name.asText();
                }
            }
            return "Guest";
        }

        Status status() {
            synchronized (WebMessagingChats.this) {
                if (session.endedByUser()) {
                    return Status.ENDED_BY_GUEST;
                }
                if (session.endedByAgent()) {
                    return Status.ENDED;
                }
                if (offeredTo.isPresent()) {
                    return Status.ALERTING;
                }
                return currentAgentName().isPresent() ? Status.CONNECTED : Status.WAITING;
            }
        }

        /** The connected agent: the roster agent who accepted in the console, or the nickname a script joined with. */
        Optional<String> currentAgentName() {
            synchronized (WebMessagingChats.this) {
                if (session.agentName().isEmpty()) {
                    agent = Optional.empty(); // the guest started a new conversation
                }
                if (agentLeft) {
                    return Optional.empty();
                }
                return agent.map(GenesysAgent::displayName).or(session::agentName);
            }
        }

        Optional<String> currentAgentId() {
            synchronized (WebMessagingChats.this) {
                return agentLeft ? Optional.empty() : agent.map(GenesysAgent::id);
            }
        }

        Optional<GenesysAgent> offeredTo() {
            synchronized (WebMessagingChats.this) {
                return offeredTo;
            }
        }

        /** When the guest last sent a typing event, as far as the console noticed. */
        Optional<Instant> guestTypedAt() {
            synchronized (WebMessagingChats.this) {
                int count = session.userTypingCount();
                if (count != typingSeen) {
                    typingSeen = count;
                    guestTypedAt = Optional.of(simulator.now());
                }
                return guestTypedAt;
            }
        }

        void accept(GenesysAgent who) {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                if (currentAgentId().filter(who.id()::equals).isPresent()) {
                    throw new IllegalStateException(who.displayName() + " is already in this chat");
                }
                if (offeredTo.isPresent() && !offeredTo.get().id().equals(who.id())) {
                    throw new IllegalStateException("the chat is offered to " + offeredTo.get().displayName());
                }
                if (offeredTo.isEmpty() && currentAgentName().isPresent()) {
                    throw new IllegalStateException(currentAgentName().get() + " has this chat; transfer it instead");
                }
                session.agentJoins(who.displayName(), who.avatarUrl().map(URI::toString));
                agent = Optional.of(who);
                offeredTo = Optional.empty();
                agentLeft = false;
            }
        }

        void transferTo(GenesysAgent who) {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                String from = requireAgent();
                if (currentAgentId().filter(who.id()::equals).isPresent()) {
                    throw new IllegalStateException(from + " has this chat already; choose another agent");
                }
                offeredTo = Optional.of(who);
                agentLeft = true;
            }
        }

        void leave() {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                requireAgent();
                agentLeft = true;
            }
        }

        String send(String text) {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                requireAgent();
                return session.agentSends(text);
            }
        }

        String sendAsBot(String text) {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                return session.botSends(text);
            }
        }

        void typing() {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                requireAgent();
                session.agentTypes(TYPING_DURATION_MILLIS);
            }
        }

        void read() {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                requireAgent();
                session.agentReads();
            }
        }

        void end() {
            synchronized (WebMessagingChats.this) {
                requireOpen();
                session.agentEnds();
                offeredTo = Optional.empty();
            }
        }

        private void requireOpen() {
            Status status = status();
            if (status == Status.ENDED || status == Status.ENDED_BY_GUEST) {
                throw new IllegalStateException("the chat has " + status.text);
            }
        }

        private String requireAgent() {
            return currentAgentName().orElseThrow(() -> new IllegalStateException("accept the chat first"));
        }
    }

    WebMessagingChats(GenesysSimulator simulator, WebMessagingSimulator server, SimulatedQueue queue) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.queue = requireNonNull(queue, "queue is null");
        requireNonNull(server, "server is null").addSessionListener(this::add);
    }

    private synchronized void add(SimulatedWebMessagingSession session) {
        chats.computeIfAbsent(session, s -> new Chat(simulator.nextId(Ids.Kind.CONVERSATION), s));
    }

    /** Every chat, oldest first. */
    synchronized List<Chat> chats() {
        return new ArrayList<>(chats.values());
    }

    Optional<Chat> chat(String id) {
        return chats().stream().filter(chat -> chat.id().equals(id)).findFirst();
    }

    /** How many chats wait for an agent (offered ones included), for the queue's {@code oWaiting}. */
    int waiting() {
        return (int) chats().stream().map(Chat::status)
                .filter(status -> status == Status.WAITING || status == Status.ALERTING).count();
    }

    /** How many chats have an agent, for the queue's {@code oInteracting}. */
    int interacting() {
        return (int) chats().stream().filter(chat -> chat.status() == Status.CONNECTED).count();
    }
}

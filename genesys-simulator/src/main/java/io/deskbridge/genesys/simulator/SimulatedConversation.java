package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest chat conversation as the simulated contact center holds it, and the test's hand on it: agents join,
 * type, send, transfer, leave and end; faults hit its event stream. Thread-safe; every scripting method returns once
 * its events were handed to the open event stream sockets (and stored, for messages, so that {@code GET .../messages}
 * lists them even while the stream is down).
 *
 * <h2>Event sequences (protocol reference §B.5)</h2>
 * <ul>
 *   <li>When the guest first attaches the event stream, routing starts: guest {@code CONNECTED} and its
 *       {@code member-join}; the workflow member joins ({@code CONNECTED}, {@code member-join}) and leaves
 *       ({@code DISCONNECTED}, {@code member-leave}) as it hands the chat to the queue; the ACD member joins.
 *   <li>{@link #agentJoins}: agent {@code ALERTING} (unless a transfer already offered the chat to that agent),
 *       {@code CONNECTED}, {@code member-join}; then the ACD member leaves.
 *   <li>{@link #transferTo}: the new agent {@code ALERTING}, then the current agent {@code DISCONNECTED} and its
 *       {@code member-leave}, while the guest stays {@code CONNECTED}.
 *   <li>{@link #agentLeaves}: the agent {@code DISCONNECTED} and {@code member-leave}; the guest stays.
 *   <li>{@link #agentEndsChat}: every remaining member {@code DISCONNECTED} (agents, then the guest last), and the
 *       stream closes with 1000 after the simulator's stream close delay.
 *   <li>The guest's {@code DELETE} of its member: guest {@code DISCONNECTED} and {@code member-leave}, then the
 *       same close.
 * </ul>
 * Where the reference marks the fine order UNCONFIRMED, the order above is the simulator's choice: the workflow and
 * ACD members leaving, the new agent's {@code ALERTING} before the old agent's {@code DISCONNECTED} in a transfer,
 * and the guest's {@code DISCONNECTED} after the agent's when the agent ends.
 *
 * <p>The state lives in parts guarded by this object's lock: {@link ConversationMembers} (the member state machine),
 * {@link ConversationMessages} (the message log), {@link ConversationEvents} (the event stream's sockets and
 * frames) and {@link ConversationGuest} (what the guest does through the guest chat API).
 */
public final class SimulatedConversation {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedConversation.class);

    /** The longest message body the guest may send, in characters (the swagger's limit). */
    public static final int MAX_BODY_LENGTH = 4000;

    private final GenesysSimulator simulator;
    private final String id;
    private final GuestChatDeployment deployment;
    private final SimulatedQueue queue;
    private final JsonNode createRequest;
    private final Optional<JsonNode> signedData;
    private final String guestMemberId;
    private final String jwt;
    private final URI eventStreamUri;

    // The conversation's state, guarded by this object's lock: the parts, and the estimated wait a test set.
    private final ConversationEvents events;
    private final ConversationMessages messages;
    private final ConversationMembers members;
    private final ConversationGuest guest;
    private Optional<Duration> estimatedWait = Optional.empty();

    SimulatedConversation(GenesysSimulator simulator, String id, GuestChatDeployment deployment, SimulatedQueue queue,
            JsonNode createRequest, Optional<JsonNode> signedData, String guestMemberId, String jwt,
            Instant jwtExpiresAt, URI eventStreamUri) {
        this.simulator = simulator;
        this.id = id;
        this.deployment = deployment;
        this.queue = queue;
        this.createRequest = createRequest.deepCopy();
        this.signedData = signedData.map(JsonNode::deepCopy);
        this.guestMemberId = guestMemberId;
        this.jwt = jwt;
        this.eventStreamUri = eventStreamUri;
        this.events = new ConversationEvents(simulator, id);
        this.messages = new ConversationMessages(simulator, id, events);
        this.members = new ConversationMembers(simulator, id, queue, events, messages, ConversationMember.guest(
                guestMemberId, createRequest.path("memberInfo"), signedData.isPresent(), simulator.now()));
        this.guest = new ConversationGuest(simulator, id, guestMemberId, jwtExpiresAt, members, messages, events);
    }

    // ---------------------------------------------------------------------------------------------------------
    // What a test reads

    /** The conversation id. */
    public String id() {
        return id;
    }

    /** The guest's member id ({@code member.id} of the create answer). */
    public String guestMemberId() {
        return guestMemberId;
    }

    /** The guest JWT the create call returned. */
    public String jwt() {
        return jwt;
    }

    /** The event stream URI the create call returned. */
    public URI eventStreamUri() {
        return eventStreamUri;
    }

    /** The deployment the chat was created on. */
    public GuestChatDeployment deployment() {
        return deployment;
    }

    /** The queue the chat was routed to. */
    public SimulatedQueue queue() {
        return queue;
    }

    /** The create-conversation request body as the simulator received it (a copy). */
    public JsonNode createRequest() {
        return createRequest.deepCopy();
    }

    /** The user data of the {@code memberAuthToken} the chat was created with, for authenticated chats (a copy). */
    public Optional<JsonNode> signedData() {
        return signedData.map(JsonNode::deepCopy);
    }

    /** The guest's display name ({@code memberInfo.displayName}). */
    public String guestDisplayName() {
        return createRequest.path("memberInfo").path("displayName").asText();
    }

    /** The guest's custom fields ({@code memberInfo.customFields}). */
    public Map<String, String> guestCustomFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        createRequest.path("memberInfo").path("customFields").properties()
                .forEach(field -> fields.put(field.getKey(), field.getValue().asText()));
        return Collections.unmodifiableMap(fields);
    }

    /** Whether the guest attached the event stream at least once (routing started). */
    public synchronized boolean isRouted() {
        return members.routed();
    }

    /**
     * Waits until the guest attached the event stream and routing started; agents can join only then.
     *
     * @return whether routing started within {@code timeout}
     */
    public boolean awaitRouted(Duration timeout) {
        return members.awaitRouted(timeout);
    }

    /** Whether an event stream socket of this conversation is open now. */
    public boolean isStreamAttached() {
        return events.isAttached();
    }

    /**
     * Waits until an event stream socket of this conversation is open on the simulator's side. A client's
     * handshake completes a moment before the server registers the socket, and events sent in between reach no
     * socket (as on a real server); a test that reconnects waits here before scripting events it expects on the
     * stream.
     *
     * @return whether a socket was open within {@code timeout}
     */
    public synchronized boolean awaitStreamAttached(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isStreamAttached()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether the conversation ended (the guest is {@code DISCONNECTED}). */
    public synchronized boolean isEnded() {
        return members.ended();
    }

    /** Whether the guest ended the chat ({@code DELETE} of its member). */
    public synchronized boolean endedByGuest() {
        return members.endedByGuest();
    }

    /** The texts the guest sent, in order (refused messages are not here). */
    public synchronized List<String> guestMessages() {
        return guest.texts();
    }

    /** How many typing notifications the guest posted. */
    public synchronized int guestTypingCount() {
        return guest.typingCount();
    }

    /** Every message of the conversation in order: text, notices and member announcements. */
    public synchronized List<SimulatedMessage> messages() {
        return messages.all();
    }

    /** The members, in the order they joined. */
    public synchronized List<SimulatedMember> members() {
        return members.snapshot();
    }

    /** The agent connected to the chat now, if any. */
    public synchronized Optional<SimulatedMember> currentAgent() {
        return members.currentAgent();
    }

    /** The estimated wait reported for this conversation ({@code ?conversationId=}); the queue's when not set. */
    public synchronized Optional<Duration> estimatedWait() {
        return estimatedWait.isPresent() ? estimatedWait : queue.estimatedWait();
    }

    /** Sets the estimated wait reported for this conversation; empty falls back to the queue's. */
    public synchronized void setEstimatedWait(Optional<Duration> wait) {
        estimatedWait = requireNonNull(wait, "wait is null");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The agent side

    /** The agent accepts the chat: see {@link #agentJoins(GenesysAgent)}. */
    public void agentJoins(String agentId, String displayName) {
        agentJoins(new GenesysAgent(agentId, displayName));
    }

    /** The agent accepts the chat: see {@link #agentJoins(GenesysAgent)}. */
    public void agentJoins(String agentId, String displayName, URI avatarUrl) {
        agentJoins(new GenesysAgent(agentId, displayName, avatarUrl));
    }

    /**
     * The agent accepts the chat (or, after {@link #transferTo}, the new agent joins): {@code ALERTING} unless the
     * agent was already offered the chat, then {@code CONNECTED} and {@code member-join}; the ACD member leaves.
     *
     * @throws IllegalStateException if routing has not started, the chat ended, or the agent is already connected
     */
    public synchronized void agentJoins(GenesysAgent agent) {
        requireNonNull(agent, "agent is null");
        members.requireActive("an agent to join");
        members.join(agent);
        LOG.info("conversation {}: agent {} joined", id, agent.id());
    }

    /** The current agent types: a {@code typing-indicator} from the agent (Genesys has no "stopped typing"). */
    public synchronized void agentTypes() {
        members.requireActive("the agent to type");
        events.typing(members.requireCurrentAgent("type"));
    }

    /**
     * The current agent sends a {@code standard} message.
     *
     * @return the message id, which the guest sees as {@code eventBody.id}
     */
    public synchronized String agentSends(String text) {
        requireNonNull(text, "text is null");
        members.requireActive("the agent to send");
        return messages.add(members.requireCurrentAgent("send a message"), text, "standard").id();
    }

    /**
     * The current agent transfers the chat to {@code nextAgent}: the new agent is offered the chat ({@code
     * ALERTING}), then the current agent is {@code DISCONNECTED} and sends {@code member-leave}; the guest stays
     * {@code CONNECTED}. The new agent joins with {@link #agentJoins(GenesysAgent)}.
     */
    public synchronized void transferTo(GenesysAgent nextAgent) {
        requireNonNull(nextAgent, "nextAgent is null");
        members.requireActive("a transfer");
        ConversationMember previous = members.transfer(nextAgent);
        LOG.info("conversation {}: agent {} transferred the chat to {}", id, previous.id, nextAgent.id());
    }

    /** The current agent leaves without ending the chat: {@code DISCONNECTED} and {@code member-leave}. */
    public synchronized void agentLeaves() {
        members.requireActive("the agent to leave");
        ConversationMember previous = members.agentLeaves();
        LOG.info("conversation {}: agent {} left", id, previous.id);
    }

    /**
     * The agent ends the chat: every agent, workflow or ACD member still in the chat is {@code DISCONNECTED} (with
     * {@code member-leave} for those that were connected), then the guest; the stream closes with 1000 after the
     * stream close delay. Allowed with no agent connected (a supervisor ending a waiting chat).
     */
    public void agentEndsChat() {
        synchronized (this) {
            members.requireActive("the agent to end the chat");
            members.endByAgent();
            LOG.info("conversation {}: ended by the agent", id);
        }
        simulator.scheduleStreamClose(this);
    }

    /**
     * A {@code notice} message (a system-like note), from the current agent, or from the queue's ACD member while
     * no agent is connected (simulator choice).
     *
     * @return the message id
     */
    public synchronized String sendNotice(String text) {
        requireNonNull(text, "text is null");
        members.requireActive("a notice");
        return messages.add(members.noticeSender(), text, "notice").id();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Faults

    /**
     * Drops every event stream socket of this conversation abnormally and refuses new ones until {@link
     * #restoreStream()}: no close frame, the connection is reset, so the guest's client reports an I/O error (the JDK
     * client: {@code onError} with an {@code IOException}). The conversation goes on: messages sent meanwhile are
     * stored and listed by {@code GET .../messages}; member changes and typing meanwhile are lost, as on a real drop.
     */
    public void dropStream() {
        int dropped = endStreamSockets(simulator.eventStreamServer()::dropAbnormally);
        LOG.info("conversation {}: event stream dropped ({} sockets), reconnects refused", id, dropped);
    }

    /**
     * Closes every event stream socket of this conversation as a stopped server would: the TCP connection shut down
     * in order, with no close frame (the end the JDK WebSocket client can miss when it arrives right behind a frame),
     * and refuses new ones until {@link #restoreStream()}. The conversation goes on, as with {@link #dropStream()}.
     */
    public void closeStreamWithoutCloseFrame() {
        int closed = endStreamSockets(simulator.eventStreamServer()::closeWithoutCloseFrame);
        LOG.info("conversation {}: event stream closed without a close frame ({} sockets), reconnects refused", id, closed);
    }

    /** Refuses new stream sockets and ends the open ones with {@code end}, outside the lock; returns how many. */
    private int endStreamSockets(Consumer<WebSocket> end) {
        List<WebSocket> ended;
        synchronized (this) {
            ended = events.refuse();
        }
        ended.forEach(end);
        return ended.size();
    }

    /** Accepts event stream connections again after {@link #dropStream()} or {@link #closeStreamWithoutCloseFrame()}. */
    public synchronized void restoreStream() {
        events.accept();
        LOG.info("conversation {}: event stream reconnects accepted again", id);
    }

    /** Whether event stream connections are refused now. */
    public synchronized boolean isStreamRefused() {
        return events.refused();
    }

    /** The guest's next message post is refused with {@code 400 chat.error.bad.request} (not retryable). */
    public void failNextGuestMessage() {
        failNextGuestMessage(400, "chat.error.bad.request", "The message could not be accepted.");
    }

    /** The guest's next message post is refused with this status and error code. */
    public synchronized void failNextGuestMessage(int status, String code, String message) {
        guest.failNextMessage(ApiError.of(status, requireNonNull(code, "code is null"),
                requireNonNull(message, "message is null")));
    }

    /**
     * The guest JWT expires now: REST calls with it answer {@code 401 credentials.expired} and the event stream
     * refuses it.
     */
    public synchronized void expireGuestToken() {
        guest.expireToken();
    }

    /** Sends a frame that is not JSON on the event stream. */
    public void sendMalformedFrame() {
        events.malformed();
    }

    /**
     * Sends a well-formed event of a kind no client knows: topic {@code v2.conversations.chats.{id}.attributes},
     * type {@code attribute-change}.
     */
    public void sendUnknownEvent() {
        events.unknownEvent();
    }

    /** Sends this text as one frame on the event stream, as is. */
    public void sendRawFrame(String frame) {
        events.send(requireNonNull(frame, "frame is null"));
    }

    /** Sends a heartbeat now, besides the periodic ones. */
    public void sendHeartbeat() {
        events.heartbeat();
    }

    @Override
    public String toString() {
        return "SimulatedConversation[" + id + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // The guest side (the REST API and the event stream server call these)

    synchronized Optional<Instant> lastGuestTyping() {
        return guest.lastTyping();
    }

    synchronized void checkGuestTokenValid() {
        guest.checkTokenValid();
    }

    synchronized boolean acceptsStream() {
        return !events.refused() && guest.tokenValid();
    }

    void streamOpened(WebSocket socket) {
        boolean closeNow = false;
        boolean refuse = false;
        synchronized (this) {
            if (events.refused()) {
                refuse = true;
            } else {
                events.attach(socket);
                notifyAll();
                if (members.ended()) {
                    closeNow = true;
                } else if (!members.routed()) {
                    members.startRouting();
                    LOG.info("conversation {}: event stream attached, routed to queue {}", id, queue.name());
                }
            }
        }
        if (refuse) {
            simulator.eventStreamServer().dropAbnormally(socket);
        } else if (closeNow) {
            socket.close(CloseFrame.NORMAL, "conversation ended");
        }
    }

    void streamClosed(WebSocket socket) {
        events.detach(socket);
    }

    void closeStreams() {
        events.closeAll();
    }

    synchronized ObjectNode postGuestMessage(String memberId, Optional<String> body, Optional<String> bodyType) {
        return guest.postMessage(memberId, body, bodyType);
    }

    synchronized ObjectNode guestTyping(String memberId) {
        return guest.typing(memberId);
    }

    void guestLeaves(String memberId) {
        synchronized (this) {
            guest.leave(memberId);
            LOG.info("conversation {}: ended by the guest", id);
        }
        simulator.scheduleStreamClose(this);
    }

    synchronized ObjectNode memberJson(String memberId) {
        return members.memberJson(memberId);
    }

    synchronized ObjectNode membersPage(int pageSize, int pageNumber, boolean excludeDisconnected) {
        return members.page(pageSize, pageNumber, excludeDisconnected);
    }

    synchronized ObjectNode messageJson(String messageId) {
        return messages.messageJson(messageId);
    }

    /** A page of messages for {@code GET .../messages}: see {@link ConversationMessages#page}. */
    synchronized ObjectNode messagesPage(Optional<String> after, Optional<String> before, boolean descending,
            int maxResults) {
        return messages.page(after, before, descending, maxResults);
    }
}

package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
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
 */
public final class SimulatedConversation {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedConversation.class);

    /** The longest message body the guest may send, in characters (the swagger's limit). */
    public static final int MAX_BODY_LENGTH = 4000;

    private final GenesysSimulator simulator;
    private final Wire wire;
    private final String id;
    private final GuestChatDeployment deployment;
    private final SimulatedQueue queue;
    private final JsonNode createRequest;
    private final Optional<JsonNode> signedData;
    private final String guestMemberId;
    private final String jwt;
    private final Instant jwtExpiresAt;
    private final URI eventStreamUri;
    private final String messagesTopic;
    private final String membersTopic;

    private final Set<WebSocket> sockets = new CopyOnWriteArraySet<>();
    private final CountDownLatch routedLatch = new CountDownLatch(1);

    // guarded by this
    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    private final List<SimulatedMessage> messages = new ArrayList<>();
    private final Map<String, Integer> messagePositions = new HashMap<>();
    private final List<String> guestTexts = new ArrayList<>();
    private int guestTypingCount;
    private Optional<Instant> lastGuestTyping = Optional.empty();
    private boolean routed;
    private boolean ended;
    private boolean endedByGuest;
    private boolean streamRefused;
    private boolean guestTokenExpired;
    private ApiError nextGuestMessageFailure;
    private SimulatedQueue.Phase phase = SimulatedQueue.Phase.NOT_ROUTED;
    private Optional<Duration> estimatedWait = Optional.empty();
    private String currentAgentId;
    private String acdMemberId;

    SimulatedConversation(GenesysSimulator simulator, String id, GuestChatDeployment deployment, SimulatedQueue queue,
            JsonNode createRequest, Optional<JsonNode> signedData, String guestMemberId, String jwt,
            Instant jwtExpiresAt, URI eventStreamUri) {
        this.simulator = simulator;
        this.wire = simulator.wire();
        this.id = id;
        this.deployment = deployment;
        this.queue = queue;
        this.createRequest = createRequest.deepCopy();
        this.signedData = signedData.map(JsonNode::deepCopy);
        this.guestMemberId = guestMemberId;
        this.jwt = jwt;
        this.jwtExpiresAt = jwtExpiresAt;
        this.eventStreamUri = eventStreamUri;
        this.messagesTopic = "v2.conversations.chats." + id + ".messages";
        this.membersTopic = "v2.conversations.chats." + id + ".members";
        JsonNode memberInfo = createRequest.path("memberInfo");
        Member guest = new Member(guestMemberId, SimulatedMemberRole.CUSTOMER, text(memberInfo, "displayName"),
                text(memberInfo, "avatarImageUrl").flatMap(SimulatedConversation::uri), SimulatedMemberState.CONNECTED,
                simulator.now());
        guest.guestInfo = memberInfo.deepCopy();
        guest.authenticated = signedData.isPresent();
        members.put(guestMemberId, guest);
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
        return routed;
    }

    /**
     * Waits until the guest attached the event stream and routing started; agents can join only then.
     *
     * @return whether routing started within {@code timeout}
     */
    public boolean awaitRouted(Duration timeout) {
        try {
            return routedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether an event stream socket of this conversation is open now. */
    public boolean isStreamAttached() {
        return sockets.stream().anyMatch(WebSocket::isOpen);
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
        return ended;
    }

    /** Whether the guest ended the chat ({@code DELETE} of its member). */
    public synchronized boolean endedByGuest() {
        return endedByGuest;
    }

    /** The texts the guest sent, in order (refused messages are not here). */
    public synchronized List<String> guestMessages() {
        return List.copyOf(guestTexts);
    }

    /** How many typing notifications the guest posted. */
    public synchronized int guestTypingCount() {
        return guestTypingCount;
    }

    /** Every message of the conversation in order: text, notices and member announcements. */
    public synchronized List<SimulatedMessage> messages() {
        return List.copyOf(messages);
    }

    /** The members, in the order they joined. */
    public synchronized List<SimulatedMember> members() {
        List<SimulatedMember> snapshot = new ArrayList<>();
        members.values().forEach(member -> snapshot.add(member.snapshot()));
        return snapshot;
    }

    /** The agent connected to the chat now, if any. */
    public synchronized Optional<SimulatedMember> currentAgent() {
        return Optional.ofNullable(currentAgentId).map(memberId -> members.get(memberId).snapshot());
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
        requireActive("an agent to join");
        Member member = members.get(agent.id());
        if (member != null && member.role != SimulatedMemberRole.AGENT) {
            throw new IllegalArgumentException("agent id " + agent.id() + " is the id of the " + member.role
                    + " member of conversation " + id);
        }
        if (member != null && member.state == SimulatedMemberState.CONNECTED) {
            throw new IllegalStateException("agent " + agent.id() + " is already connected to conversation " + id);
        }
        if (member == null || member.state == SimulatedMemberState.DISCONNECTED) {
            member = offer(agent);
        }
        member.state = SimulatedMemberState.CONNECTED;
        member.joinDate = simulator.now();
        emitMemberChange(member);
        addMessage(member, "", "member-join");
        currentAgentId = member.id;
        Member acd = acdMemberId == null ? null : members.get(acdMemberId);
        if (acd != null && acd.state == SimulatedMemberState.CONNECTED) {
            leave(acd);
        }
        moveTo(SimulatedQueue.Phase.INTERACTING);
        LOG.info("conversation {}: agent {} joined", id, agent.id());
    }

    /** The current agent types: a {@code typing-indicator} from the agent (Genesys has no "stopped typing"). */
    public synchronized void agentTypes() {
        requireActive("the agent to type");
        Member agent = requireCurrentAgent("type");
        emitTyping(agent);
    }

    /**
     * The current agent sends a {@code standard} message.
     *
     * @return the message id, which the guest sees as {@code eventBody.id}
     */
    public synchronized String agentSends(String text) {
        requireNonNull(text, "text is null");
        requireActive("the agent to send");
        Member agent = requireCurrentAgent("send a message");
        return addMessage(agent, text, "standard").id();
    }

    /**
     * The current agent transfers the chat to {@code nextAgent}: the new agent is offered the chat ({@code
     * ALERTING}), then the current agent is {@code DISCONNECTED} and sends {@code member-leave}; the guest stays
     * {@code CONNECTED}. The new agent joins with {@link #agentJoins(GenesysAgent)}.
     */
    public synchronized void transferTo(GenesysAgent nextAgent) {
        requireNonNull(nextAgent, "nextAgent is null");
        requireActive("a transfer");
        Member current = requireCurrentAgent("transfer");
        if (current.id.equals(nextAgent.id())) {
            throw new IllegalArgumentException("agent " + nextAgent.id() + " cannot transfer the chat to itself");
        }
        Member existing = members.get(nextAgent.id());
        if (existing != null && existing.state != SimulatedMemberState.DISCONNECTED) {
            throw new IllegalStateException("agent " + nextAgent.id() + " is already " + existing.state
                    + " in conversation " + id);
        }
        offer(nextAgent);
        leave(current);
        currentAgentId = connectedAgent().orElse(null);
        moveTo(currentAgentId == null ? SimulatedQueue.Phase.WAITING : SimulatedQueue.Phase.INTERACTING);
        LOG.info("conversation {}: agent {} transferred the chat to {}", id, current.id, nextAgent.id());
    }

    /** The current agent leaves without ending the chat: {@code DISCONNECTED} and {@code member-leave}. */
    public synchronized void agentLeaves() {
        requireActive("the agent to leave");
        Member current = requireCurrentAgent("leave");
        leave(current);
        currentAgentId = connectedAgent().orElse(null);
        moveTo(currentAgentId == null ? SimulatedQueue.Phase.WAITING : SimulatedQueue.Phase.INTERACTING);
        LOG.info("conversation {}: agent {} left", id, current.id);
    }

    /**
     * The agent ends the chat: every agent, workflow or ACD member still in the chat is {@code DISCONNECTED} (with
     * {@code member-leave} for those that were connected), then the guest; the stream closes with 1000 after the
     * stream close delay. Allowed with no agent connected (a supervisor ending a waiting chat).
     */
    public void agentEndsChat() {
        synchronized (this) {
            requireActive("the agent to end the chat");
            for (Member member : new ArrayList<>(members.values())) {
                if (member.role == SimulatedMemberRole.CUSTOMER || member.state == SimulatedMemberState.DISCONNECTED) {
                    continue;
                }
                if (member.state == SimulatedMemberState.ALERTING) {
                    member.state = SimulatedMemberState.DISCONNECTED;
                    member.leaveDate = Optional.of(simulator.now());
                    emitMemberChange(member);
                } else {
                    leave(member);
                }
            }
            currentAgentId = null;
            leave(members.get(guestMemberId));
            end(false);
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
        requireActive("a notice");
        Member sender = currentAgentId != null ? members.get(currentAgentId)
                : members.get(acdMemberId == null ? guestMemberId : acdMemberId);
        return addMessage(sender, text, "notice").id();
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
            streamRefused = true;
            ended = List.copyOf(sockets);
            sockets.clear();
        }
        ended.forEach(end);
        return ended.size();
    }

    /** Accepts event stream connections again after {@link #dropStream()} or {@link #closeStreamWithoutCloseFrame()}. */
    public synchronized void restoreStream() {
        streamRefused = false;
        LOG.info("conversation {}: event stream reconnects accepted again", id);
    }

    /** Whether event stream connections are refused now. */
    public synchronized boolean isStreamRefused() {
        return streamRefused;
    }

    /** The guest's next message post is refused with {@code 400 chat.error.bad.request} (not retryable). */
    public void failNextGuestMessage() {
        failNextGuestMessage(400, "chat.error.bad.request", "The message could not be accepted.");
    }

    /** The guest's next message post is refused with this status and error code. */
    public synchronized void failNextGuestMessage(int status, String code, String message) {
        nextGuestMessageFailure = ApiError.of(status, requireNonNull(code, "code is null"),
                requireNonNull(message, "message is null"));
    }

    /**
     * The guest JWT expires now: REST calls with it answer {@code 401 credentials.expired} and the event stream
     * refuses it.
     */
    public synchronized void expireGuestToken() {
        guestTokenExpired = true;
    }

    /** Sends a frame that is not JSON on the event stream. */
    public void sendMalformedFrame() {
        emit("{\"topicName\":\"" + messagesTopic + "\",\"version\":\"2\",\"eventBody\":{\"id\":");
    }

    /**
     * Sends a well-formed event of a kind no client knows: topic {@code v2.conversations.chats.{id}.attributes},
     * type {@code attribute-change}.
     */
    public void sendUnknownEvent() {
        ObjectNode body = wire.object();
        body.set("conversation", wire.conversationRef(id, false));
        body.putObject("attributes").put("simulated", "true");
        body.put("timestamp", Wire.timestamp(simulator.now()));
        emit(wire.event("v2.conversations.chats." + id + ".attributes", "attribute-change", body,
                simulator.nextId(Ids.Kind.CORRELATION)));
    }

    /** Sends this text as one frame on the event stream, as is. */
    public void sendRawFrame(String frame) {
        emit(requireNonNull(frame, "frame is null"));
    }

    /** Sends a heartbeat now, besides the periodic ones. */
    public void sendHeartbeat() {
        emit(wire.heartbeat());
    }

    @Override
    public String toString() {
        return "SimulatedConversation[" + id + "]";
    }

    // ---------------------------------------------------------------------------------------------------------
    // The guest side (the REST API and the event stream server call these)

    synchronized Optional<Instant> lastGuestTyping() {
        return lastGuestTyping;
    }

    synchronized void checkGuestTokenValid() {
        if (guestTokenExpired || !simulator.now().isBefore(jwtExpiresAt)) {
            throw ApiError.of(401, "credentials.expired", "The guest token has expired.");
        }
    }

    synchronized boolean acceptsStream() {
        if (streamRefused) {
            return false;
        }
        return !guestTokenExpired && simulator.now().isBefore(jwtExpiresAt);
    }

    void streamOpened(WebSocket socket) {
        boolean closeNow = false;
        boolean refuse = false;
        synchronized (this) {
            if (streamRefused) {
                refuse = true;
            } else {
                sockets.add(socket);
                notifyAll();
                if (ended) {
                    closeNow = true;
                } else if (!routed) {
                    startRouting();
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
        sockets.remove(socket);
    }

    void closeStreams() {
        for (WebSocket socket : List.copyOf(sockets)) {
            socket.close(CloseFrame.NORMAL, "conversation ended");
        }
    }

    Set<WebSocket> sockets() {
        return sockets;
    }

    synchronized ObjectNode postGuestMessage(String memberId, Optional<String> body, Optional<String> bodyType) {
        requireGuest(memberId);
        requireGuestActive();
        if (nextGuestMessageFailure != null) {
            ApiError failure = nextGuestMessageFailure;
            nextGuestMessageFailure = null;
            throw failure;
        }
        if (body.isEmpty()) {
            throw ApiError.onField(400, "chat.error.notnull.createconversationmessagerequest.body",
                    "The message body may not be null.", "body");
        }
        if (body.get().length() > MAX_BODY_LENGTH) {
            throw ApiError.withParams(400, "constraint.validation",
                    "body: size must be between 0 and {max}; it has {length} characters",
                    Map.of("max", Integer.toString(MAX_BODY_LENGTH), "length",
                            Integer.toString(body.get().length())));
        }
        String type = bodyType.orElse("standard");
        if (!type.equals("standard") && !type.equals("notice")) {
            throw ApiError.onField(400, "invalid.value",
                    "bodyType '" + type + "' is not one a guest may send (standard, notice).", "bodyType");
        }
        SimulatedMessage message = addMessage(members.get(guestMemberId), body.get(), type);
        guestTexts.add(body.get());
        return wire.message(id, message, true);
    }

    synchronized ObjectNode guestTyping(String memberId) {
        requireGuest(memberId);
        requireGuestActive();
        guestTypingCount++;
        lastGuestTyping = Optional.of(simulator.now());
        Member guest = members.get(guestMemberId);
        String eventId = emitTyping(guest);
        return wire.typing(id, eventId, guestMemberId, simulator.now(), true);
    }

    void guestLeaves(String memberId) {
        synchronized (this) {
            requireGuest(memberId);
            requireGuestActive();
            leave(members.get(guestMemberId));
            currentAgentId = null;
            end(true);
            LOG.info("conversation {}: ended by the guest", id);
        }
        simulator.scheduleStreamClose(this);
    }

    synchronized ObjectNode memberJson(String memberId) {
        Member member = members.get(memberId);
        if (member == null) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Member " + memberId + " was not found in conversation " + id + ".");
        }
        return member.toJson(wire);
    }

    synchronized ObjectNode membersPage(int pageSize, int pageNumber, boolean excludeDisconnected) {
        List<Member> listed = new ArrayList<>();
        for (Member member : members.values()) {
            if (!excludeDisconnected || member.state != SimulatedMemberState.DISCONNECTED) {
                listed.add(member);
            }
        }
        int total = listed.size();
        int pageCount = Math.max(1, (total + pageSize - 1) / pageSize);
        int from = Math.min(total, (pageNumber - 1) * pageSize);
        int to = Math.min(total, from + pageSize);
        ObjectNode page = wire.object();
        ArrayNode entities = page.putArray("entities");
        listed.subList(from, to).forEach(member -> entities.add(member.toJson(wire)));
        page.put("pageSize", pageSize).put("pageNumber", pageNumber).put("total", total).put("pageCount", pageCount);
        String base = Wire.GUEST_PATH + "/" + id + "/members?pageSize=" + pageSize
                + (excludeDisconnected ? "&excludeDisconnectedMembers=true" : "") + "&pageNumber=";
        page.put("firstUri", base + 1);
        page.put("selfUri", base + pageNumber);
        page.put("lastUri", base + pageCount);
        if (pageNumber > 1) {
            page.put("previousUri", base + (pageNumber - 1));
        }
        if (pageNumber < pageCount) {
            page.put("nextUri", base + (pageNumber + 1));
        }
        return page;
    }

    synchronized ObjectNode messageJson(String messageId) {
        Integer position = messagePositions.get(messageId);
        if (position == null) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Message " + messageId + " was not found in conversation " + id + ".");
        }
        return wire.message(id, messages.get(position), true);
    }

    /**
     * A page of messages: those after {@code after} and before {@code before} (both exclusive), in the sort order,
     * at most {@code maxResults}; {@code next} is the URI of the following page, absent on the last one (simulator
     * choice: the reference leaves open whether it holds a URI or an id; {@code previousPage} is never set).
     */
    synchronized ObjectNode messagesPage(Optional<String> after, Optional<String> before, boolean descending,
            int maxResults) {
        int from = after.map(messageId -> position(messageId, "after") + 1).orElse(0);
        int to = before.map(messageId -> position(messageId, "before")).orElse(messages.size());
        List<SimulatedMessage> range = new ArrayList<>(messages.subList(from, Math.max(from, to)));
        if (descending) {
            Collections.reverse(range);
        }
        boolean more = range.size() > maxResults;
        List<SimulatedMessage> listed = range.subList(0, Math.min(maxResults, range.size()));
        ObjectNode page = wire.object();
        page.put("pageSize", maxResults);
        ArrayNode entities = page.putArray("entities");
        listed.forEach(message -> entities.add(wire.message(id, message, true)));
        String base = Wire.GUEST_PATH + "/" + id + "/messages?maxResults=" + maxResults
                + (descending ? "&sortOrder=descending" : "");
        if (more) {
            String last = listed.get(listed.size() - 1).id();
            page.put("next", base + (descending ? "&before=" : "&after=") + last);
        }
        StringBuilder self = new StringBuilder(base);
        after.ifPresent(a -> self.append("&after=").append(a));
        before.ifPresent(b -> self.append("&before=").append(b));
        page.put("selfUri", self.toString());
        return page;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals (callers hold the lock)

    private int position(String messageId, String parameter) {
        Integer position = messagePositions.get(messageId);
        if (position == null) {
            throw ApiError.onField(404, "chat.error.not.found",
                    "Message " + messageId + " (" + parameter + ") was not found in conversation " + id + ".",
                    parameter);
        }
        return position;
    }

    private void startRouting() {
        routed = true;
        Member guest = members.get(guestMemberId);
        emitMemberChange(guest);
        addMessage(guest, "", "member-join");
        Member workflow = new Member(simulator.nextId(Ids.Kind.MEMBER), SimulatedMemberRole.WORKFLOW, Optional.empty(),
                Optional.empty(), SimulatedMemberState.CONNECTED, simulator.now());
        members.put(workflow.id, workflow);
        emitMemberChange(workflow);
        addMessage(workflow, "", "member-join");
        leave(workflow);
        Member acd = new Member(simulator.nextId(Ids.Kind.MEMBER), SimulatedMemberRole.ACD, Optional.empty(),
                Optional.empty(), SimulatedMemberState.CONNECTED, simulator.now());
        acdMemberId = acd.id;
        members.put(acd.id, acd);
        emitMemberChange(acd);
        addMessage(acd, "", "member-join");
        moveTo(SimulatedQueue.Phase.WAITING);
        routedLatch.countDown();
        LOG.info("conversation {}: event stream attached, routed to queue {}", id, queue.name());
    }

    private Member offer(GenesysAgent agent) {
        Member member = new Member(agent.id(), SimulatedMemberRole.AGENT, Optional.of(agent.displayName()),
                agent.avatarUrl(), SimulatedMemberState.ALERTING, simulator.now());
        members.remove(agent.id());
        members.put(agent.id(), member);
        emitMemberChange(member);
        return member;
    }

    private void leave(Member member) {
        member.state = SimulatedMemberState.DISCONNECTED;
        member.leaveDate = Optional.of(simulator.now());
        emitMemberChange(member);
        addMessage(member, "", "member-leave");
    }

    private void end(boolean byGuest) {
        ended = true;
        endedByGuest = byGuest;
        moveTo(SimulatedQueue.Phase.DONE);
    }

    private void moveTo(SimulatedQueue.Phase next) {
        if (phase != next && phase != SimulatedQueue.Phase.DONE) {
            queue.move(phase, next);
            phase = next;
        }
    }

    private Optional<String> connectedAgent() {
        String found = null;
        for (Member member : members.values()) {
            if (member.role == SimulatedMemberRole.AGENT && member.state == SimulatedMemberState.CONNECTED) {
                found = member.id;
            }
        }
        return Optional.ofNullable(found);
    }

    private void requireActive(String what) {
        if (ended) {
            throw new IllegalStateException("conversation " + id + " has ended; too late for " + what);
        }
        if (!routed) {
            throw new IllegalStateException("conversation " + id + " is not routed yet (the guest has not attached"
                    + " the event stream), too early for " + what + "; call awaitRouted first");
        }
    }

    private Member requireCurrentAgent(String action) {
        if (currentAgentId == null) {
            throw new IllegalStateException("no agent is connected to conversation " + id + " to " + action);
        }
        return members.get(currentAgentId);
    }

    private void requireGuest(String memberId) {
        if (!members.containsKey(memberId)) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Member " + memberId + " was not found in conversation " + id + ".");
        }
        if (!memberId.equals(guestMemberId)) {
            throw ApiError.of(403, "not.authorized", "The guest may act only as its own member " + guestMemberId + ".");
        }
    }

    private void requireGuestActive() {
        if (ended) {
            throw ApiError.of(400, "chat.error.conversation.state",
                    "The conversation is in a state which does not permit this action.");
        }
    }

    private SimulatedMessage addMessage(Member sender, String body, String bodyType) {
        SimulatedMessage message = new SimulatedMessage(simulator.nextId(Ids.Kind.MESSAGE), sender.id, sender.role,
                body, bodyType, simulator.now());
        messagePositions.put(message.id(), messages.size());
        messages.add(message);
        emit(wire.event(messagesTopic, "message", wire.message(id, message, false),
                simulator.nextId(Ids.Kind.CORRELATION)));
        return message;
    }

    private void emitMemberChange(Member member) {
        ObjectNode body = wire.object();
        body.set("conversation", wire.conversationRef(id, false));
        body.putObject("member").put("id", member.id).put("state", member.state.name());
        body.put("timestamp", Wire.timestamp(simulator.now()));
        emit(wire.event(membersTopic, "member-change", body, simulator.nextId(Ids.Kind.CORRELATION)));
    }

    private String emitTyping(Member sender) {
        String eventId = simulator.nextId(Ids.Kind.EVENT);
        emit(wire.event(messagesTopic, "typing-indicator",
                wire.typing(id, eventId, sender.id, simulator.now(), false), simulator.nextId(Ids.Kind.CORRELATION)));
        return eventId;
    }

    private void emit(String frame) {
        for (WebSocket socket : sockets) {
            if (socket.isOpen()) {
                try {
                    socket.send(frame);
                } catch (WebsocketNotConnectedException e) {
                    LOG.debug("conversation {}: a stream socket closed while sending", id);
                }
            }
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<URI> uri(String text) {
        try {
            return Optional.of(URI.create(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A member as the conversation holds it; guarded by the conversation's lock. */
    private static final class Member {
        final String id;
        final SimulatedMemberRole role;
        final Optional<String> displayName;
        final Optional<URI> avatarUrl;
        SimulatedMemberState state;
        Instant joinDate;
        Optional<Instant> leaveDate = Optional.empty();
        JsonNode guestInfo;
        boolean authenticated;

        Member(String id, SimulatedMemberRole role, Optional<String> displayName, Optional<URI> avatarUrl, SimulatedMemberState state,
                Instant joinDate) {
            this.id = id;
            this.role = role;
            this.displayName = displayName;
            this.avatarUrl = avatarUrl;
            this.state = state;
            this.joinDate = joinDate;
        }

        SimulatedMember snapshot() {
            return new SimulatedMember(id, role, displayName, avatarUrl, state, joinDate, leaveDate);
        }

        ObjectNode toJson(Wire wire) {
            ObjectNode node = wire.object().put("id", id);
            displayName.ifPresent(name -> node.put("displayName", name));
            if (guestInfo != null) {
                for (String field : List.of("firstName", "lastName", "email", "phoneNumber")) {
                    text(guestInfo, field).ifPresent(value -> node.put(field, value));
                }
            }
            avatarUrl.ifPresent(url -> node.put("avatarImageUrl", url.toString()));
            node.put("role", role.name());
            node.put("joinDate", Wire.timestamp(joinDate));
            leaveDate.ifPresent(date -> node.put("leaveDate", Wire.timestamp(date)));
            if (role == SimulatedMemberRole.CUSTOMER) {
                node.put("authenticatedGuest", authenticated);
                JsonNode customFields = guestInfo == null ? null : guestInfo.get("customFields");
                if (customFields != null && customFields.isObject()) {
                    node.set("customFields", customFields.deepCopy());
                }
            }
            node.put("state", state.name());
            return node;
        }
    }
}

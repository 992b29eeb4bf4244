package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;

/**
 * One guest session of the simulator, keyed by the guest's session token, and the scripting API of its
 * conversation: what agents and bots do ({@link #agentJoins}, {@link #agentSends}, {@link #agentTypes},
 * {@link #agentReads}, {@link #agentEnds}, {@link #botSends}), the session's life ({@link #expire}, {@link #logout},
 * {@link #openedElsewhere}, {@link #makeReadOnly}) and faults ({@link #dropConnection}, {@link #closeWithoutCloseFrame},
 * {@link #failNextMessage}, {@link #rateLimitNext}, {@link #ignoreEchoes}, {@link #holdNextOutbound},
 * {@link #loseNextOutbound}). Thread-safe: the scripting thread and the server's threads use it at once.
 *
 * <p>The session's messages are kept by {@link SessionMessages}, the scripted delivery faults applied by {@link
 * OutboundDelivery}, and guest messages rate limited by {@link SessionRateLimit}.
 */
public final class SimulatedWebMessagingSession {
    private final String token;
    private final WebMessagingSimulator simulator;
    private final ObjectMapper json;
    private final Clock clock;
    private final Set<WebSocket> connections = new CopyOnWriteArraySet<>();
    private final SessionMessages messages;
    private final OutboundDelivery delivery = new OutboundDelivery();
    private final SessionRateLimit rateLimit;
    private final List<UploadedFile> uploads = new CopyOnWriteArrayList<>();
    private volatile boolean readOnly;
    private volatile boolean expired;
    private volatile boolean endedByUser;
    private volatile boolean endedByAgent;
    private volatile boolean dropped;
    private volatile boolean dropOnNextHistoryRead;
    private volatile boolean ignoreEchoes;
    private volatile Optional<ObjectNode> agent = Optional.empty();
    private volatile Optional<int[]> failNext = Optional.empty();
    private volatile String failNextText = "Request failed.";
    private final Instant createdAt;

    SimulatedWebMessagingSession(String token, WebMessagingSimulator simulator, ObjectMapper json, Clock clock) {
        this.token = requireNonNull(token, "token is null");
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.json = requireNonNull(json, "json is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.createdAt = clock.instant();
        this.messages = new SessionMessages(clock);
        this.rateLimit = new SessionRateLimit(clock, () -> simulator.deployment().messagesPerSecond(), createdAt);
    }

    /**
     * A file the guest uploaded to a pre-signed URL of this session.
     *
     * @param attachmentId the id the guest's messages refer to it by
     * @param fileName the name the guest gave it
     * @param fileType its media type
     * @param content the bytes the simulator received
     */
    public record UploadedFile(String attachmentId, String fileName, String fileType, byte[] content) {
        public UploadedFile {
            requireNonNull(attachmentId, "attachmentId is null");
            requireNonNull(fileName, "fileName is null");
            requireNonNull(fileType, "fileType is null");
            content = requireNonNull(content, "content is null").clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /** The guest's session token. */
    public String token() {
        return token;
    }

    /** The files the guest uploaded, in order, whether or not a message referred to them yet. */
    public List<UploadedFile> uploadedFiles() {
        return List.copyOf(uploads);
    }

    void recordUpload(UploadedFile file) {
        uploads.add(requireNonNull(file, "file is null"));
    }

    // ---------------------------------------------------------------- scripting: agents and bots

    /**
     * A human agent accepts the conversation and greets the guest: a {@code Text} from the agent, with name and picture
     * in {@code channel.from} when the deployment humanizes agents. Genesys announces no human agent's join (no
     * outbound {@code Presence Join}: Genesys's messenger SDK reads a {@code Presence Join} as a conversation
     * autostart); the agent shows up as the sender of outbound messages. The greeting is "Hello, this is {nickname}.".
     */
    public void agentJoins(String nickname, Optional<String> image) {
        ObjectNode from = json.createObjectNode().put("nickname", nickname);
        image.ifPresent(i -> from.put("image", i));
        synchronized (this) {
            agent = Optional.of(from);
        }
        agentSends("Hello, this is " + nickname + ".");
    }

    /**
     * Another human agent takes the conversation without writing yet (a transfer): later outbound messages carry this
     * agent in {@code channel.from}; Genesys sends nothing else the guest could see.
     */
    public synchronized void agentTakesOver(String nickname, Optional<String> image) {
        ObjectNode from = json.createObjectNode().put("nickname", nickname);
        image.ifPresent(i -> from.put("image", i));
        agent = Optional.of(from);
    }

    /**
     * The agent transfers the conversation to another agent, {@code nickname}: Genesys tells the guest nothing, but from
     * now on the agent's messages carry the new agent in {@code channel.from}, which is how a guest sees the transfer.
     */
    public void transferTo(String nickname, Optional<String> image) {
        ObjectNode from = json.createObjectNode().put("nickname", requireNonNull(nickname, "nickname is null"));
        image.ifPresent(i -> from.put("image", i));
        agent = Optional.of(from);
    }

    /** The agent in the conversation sends {@code text}; returns the message id. */
    public String agentSends(String text) {
        ObjectNode message = outbound("Text", "Human");
        message.put("text", text);
        push(message, true);
        return message.get("id").asText();
    }

    /** The deployment's bot or flow sends {@code text} ({@code originatingEntity: Bot}); returns the message id. */
    public String botSends(String text) {
        ObjectNode message = outbound("Text", "Bot");
        message.put("text", text);
        ((ObjectNode) message.get("channel")).remove("from");
        push(message, true);
        return message.get("id").asText();
    }

    /** The agent types: a {@code Typing On} event with {@code durationMillis}. */
    public void agentTypes(long durationMillis) {
        ObjectNode event = outbound("Event", "Human");
        event.putArray("events").addObject().put("eventType", "Typing").putObject("typing").put("type", "On").put("duration", durationMillis);
        push(event, false);
    }

    /**
     * The agent read the guest's messages: a {@code Receipt} with status {@code Read}. As Genesys's receipts, it carries
     * the id of the message it refers to (the guest's last one), the id a {@code Delivered} receipt for it had.
     */
    public void agentReads() {
        receipt("Read");
    }

    /** The guest's last message reached the agent: a {@code Receipt} {@code Delivered} with that message's id. */
    public void agentReceives() {
        receipt("Delivered");
    }

    private void receipt(String status) {
        ObjectNode receipt = outbound("Receipt", "Human");
        receipt.put("status", status);
        messages.lastInboundId().ifPresent(id -> {
            receipt.put("id", id);
            ((ObjectNode) receipt.get("channel")).put("messageId", id);
        });
        push(receipt, false);
    }

    /**
     * The agent disconnects the conversation: a {@code Presence Disconnect} event ({@code metadata.readOnly} when the
     * deployment disconnects read-only, after which the session accepts no message until {@code startNew}).
     */
    public void agentEnds() {
        boolean makeReadOnly = simulator.deployment().readOnlyDisconnect();
        ObjectNode event = outbound("Event", "Human");
        event.putArray("events").addObject().put("eventType", "Presence").putObject("presence").put("type", "Disconnect");
        if (makeReadOnly) {
            ((ObjectNode) event.get("metadata")).put("readOnly", "true");
            readOnly = true;
        }
        endedByAgent = true;
        push(event, true);
    }

    // ---------------------------------------------------------------- scripting: faults

    /**
     * Drops every socket of the session abnormally, as a network failure does (the connection reset, no close frame),
     * and refuses new ones until {@link #restoreConnection()}.
     */
    public void dropConnection() {
        dropped = true;
        for (WebSocket connection : connections) {
            connections.remove(connection);
            simulator.dropAbnormally(connection, "simulated drop");
        }
    }

    /**
     * Ends every socket of the session as a crashed or restarted server does: the TCP connection closed in order (FIN)
     * without a WebSocket close frame. Refuses new sockets until {@link #restoreConnection()}, like
     * {@link #dropConnection()}.
     */
    public void closeWithoutCloseFrame() {
        dropped = true;
        for (WebSocket connection : connections) {
            connections.remove(connection);
            simulator.closeWithoutCloseFrame(connection, "simulated server stop");
        }
    }

    /**
     * The next history read of this session (the catch-up a client makes after a reconnect) first drops the session's
     * sockets abnormally, as a network failure right after the reconnect would, then answers; new sockets are accepted
     * at once.
     */
    public void dropDuringNextHistoryRead() {
        dropOnNextHistoryRead = true;
    }

    /** Whether this history read is to drop the sockets first (once). */
    boolean takeDropOnHistoryRead() {
        boolean drop = dropOnNextHistoryRead;
        dropOnNextHistoryRead = false;
        return drop;
    }

    /** Accepts sockets for the session again. */
    public void restoreConnection() {
        dropped = false;
    }

    /** The session expires: a {@code SessionExpiredEvent} on its sockets, then 4006 for any request. */
    public void expire() {
        expired = true;
        simulator.pushAll(this, frame("message", "SessionExpiredEvent", 200, json.createObjectNode(), null));
    }

    /**
     * The authenticated user was logged out (for example the deployment's authentication revoked the session): a
     * {@code LogoutEvent} on every socket of the session.
     */
    public void logout() {
        simulator.pushAll(this, frame("message", "LogoutEvent", 200, json.createObjectNode(), null));
    }

    /**
     * The conversation behind the session was disconnected read-only before (by an agent, or while no guest was
     * connected): {@code configureSession} answers {@code readOnly: true} and messages are refused until a
     * {@code configureSession} with {@code startNew: true}. The earlier conversation stays in the history.
     */
    public synchronized void makeReadOnly() {
        ObjectNode earlier = outbound("Text", "Human");
        earlier.put("text", "Thank you for contacting us.");
        messages.keepInHistory(earlier);
        ObjectNode disconnect = outbound("Event", "Human");
        disconnect.putArray("events").addObject().put("eventType", "Presence").putObject("presence").put("type", "Disconnect");
        ((ObjectNode) disconnect.get("metadata")).put("readOnly", "true");
        messages.keepInHistory(disconnect);
        readOnly = true;
    }

    /** The session is opened elsewhere: a {@code ConnectionClosedEvent} on its sockets, which then close. */
    public void openedElsewhere() {
        simulator.pushAll(this, frame("message", "ConnectionClosedEvent", 200, json.createObjectNode().put("reason", "sessionLimitReached"), null));
        for (WebSocket connection : connections) {
            connections.remove(connection);
            connection.close(CloseFrame.NORMAL, "connection closed");
        }
    }

    /** Sends {@code text} as it is on every socket of the session (malformed or unknown frames). */
    public void sendRawFrame(String text) {
        simulator.pushRaw(this, text);
    }

    /** Pushes a complete outbound message body as a {@code StructuredMessage} frame (kept in the history). */
    public void pushOutbound(ObjectNode message) {
        push(message, true);
    }

    /** The next guest text is refused with {@code code} (for example 4011 or 400) and {@code text}. */
    public void failNextMessage(int code, String text) {
        failNextText = requireNonNull(text, "text is null");
        failNext = Optional.of(new int[] {code});
    }

    /** The next guest {@code onMessage} gets {@code TooManyRequestsErrorMessage} with {@code retryAfter} seconds. */
    public void rateLimitNext(int retryAfterSeconds) {
        rateLimit.limitNext(retryAfterSeconds);
    }

    /** Health checks ({@code echo}) go unanswered, as on a half-open connection. */
    public void ignoreEchoes(boolean ignore) {
        ignoreEchoes = ignore;
    }

    /**
     * The next {@code count} outbound messages never reach the guest's sockets, as messages Genesys sent just before a
     * connection dropped; they are in the history.
     */
    public void loseNextOutbound(int count) {
        delivery.loseNext(count);
    }

    /** The next {@code count} outbound messages are held, then delivered in reverse order (out-of-order delivery). */
    public void holdNextOutbound(int count) {
        delivery.holdNext(count);
    }

    // ---------------------------------------------------------------- what the guest did

    /** The texts the guest sent, in order (the connect summary first). */
    public List<String> userTexts() {
        return messages.userTexts();
    }

    /** The guest's {@code onMessage} messages as received, in order (for asserting custom attributes and content). */
    public List<JsonNode> userMessages() {
        return messages.userMessages();
    }

    /** How many typing events the guest sent. */
    public int userTypingCount() {
        return messages.userTypingCount();
    }

    /** Whether the guest cleared or closed the session. */
    public boolean endedByUser() {
        return endedByUser;
    }

    /** Whether the agent disconnected the conversation ({@link #agentEnds}), until the guest starts a new one. */
    public boolean endedByAgent() {
        return endedByAgent;
    }

    /** The nickname of the agent who joined last ({@link #agentJoins}), until the guest starts a new conversation. */
    public Optional<String> agentName() {
        return agent.map(from -> from.path("nickname").asText());
    }

    /**
     * Every message of the session, oldest first: the guest's texts (as echoed, with id and time) and the agents' and
     * bots' messages and disconnects. Unlike the history endpoint it keeps what came before a clear or a new
     * conversation. Copies.
     */
    public List<JsonNode> transcript() {
        return messages.transcript();
    }

    /** Whether the conversation is read-only (the agent disconnected it). */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** How many sockets are open on the session. */
    public int openConnections() {
        return connections.size();
    }

    // ---------------------------------------------------------------- used by the simulator

    boolean isDropped() {
        return dropped;
    }

    boolean isExpired() {
        return expired || clock.instant().isAfter(createdAt.plus(simulator.deployment().sessionDuration()));
    }

    boolean ignoresEchoes() {
        return ignoreEchoes;
    }

    Instant expiresAt() {
        return createdAt.plus(simulator.deployment().sessionDuration());
    }

    void attach(WebSocket connection) {
        connections.add(connection);
    }

    void detach(WebSocket connection) {
        connections.remove(connection);
    }

    Set<WebSocket> connections() {
        return connections;
    }

    synchronized void startNew() {
        readOnly = false;
        endedByAgent = false;
        messages.clearConversation();
        agent = Optional.empty();
    }

    void markEndedByUser() {
        endedByUser = true;
    }

    synchronized void clear() {
        endedByUser = true;
        messages.clearConversation();
    }

    /** A failure code to answer the next guest text with, once. */
    Optional<int[]> takeFailure() {
        Optional<int[]> failure = failNext;
        failNext = Optional.empty();
        return failure;
    }

    String failureText() {
        return failNextText;
    }

    /** The retryAfter of a 4029 for this message, or 0 when it may pass (see {@link SessionRateLimit}). */
    int rateLimit() {
        return rateLimit.retryAfter();
    }

    /** Records a guest message and returns its stored form (with id, direction and time), for the echo. */
    ObjectNode recordInbound(JsonNode message) {
        return messages.recordInbound(message);
    }

    /** History newest first. */
    List<ObjectNode> historyNewestFirst() {
        return messages.historyNewestFirst();
    }

    private ObjectNode outbound(String type, String originatingEntity) {
        ObjectNode message = json.createObjectNode();
        String id = UUID.randomUUID().toString();
        message.put("id", id);
        message.put("type", type);
        message.put("direction", "Outbound");
        message.put("originatingEntity", originatingEntity);
        ObjectNode channel = message.putObject("channel");
        channel.put("time", messages.nextMessageTime().toString());
        channel.put("messageId", id);
        channel.put("type", "Private");
        if (originatingEntity.equals("Human")) {
            if (simulator.deployment().humanize()) {
                agent.ifPresent(a -> channel.set("from", a.deepCopy()));
            } else {
                channel.putObject("from");
            }
        }
        message.putObject("metadata").put("correlationId", UUID.randomUUID().toString());
        return message;
    }

    private void push(ObjectNode message, boolean keepInHistory) {
        List<ObjectNode> toSend;
        // One lock over keeping and releasing, so that the history and the delivery see messages in the same order.
        synchronized (this) {
            if (keepInHistory) {
                messages.keep(message);
            }
            toSend = delivery.release(message);
        }
        for (ObjectNode m : toSend) {
            simulator.pushAll(this, frame("message", "StructuredMessage", 200, m, null));
        }
    }

    ObjectNode frame(String type, String className, int code, JsonNode body, String tracingId) {
        ObjectNode frame = json.createObjectNode();
        frame.put("type", type);
        frame.put("class", className);
        frame.put("code", code);
        frame.set("body", body);
        if (tracingId != null) {
            frame.put("tracingId", tracingId);
        }
        return frame;
    }
}

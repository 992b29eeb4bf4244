package io.deskbridge.webchat.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A frame from the server to the browser: one JSON object with a {@code type}. Build frames with the static
 * factories, one per type of the protocol (see {@code docs/protocol.md}). Immutable once built.
 */
public final class ServerFrame {

    /** The protocol version the server speaks, sent in {@code welcome.protocolVersion}. */
    public static final int PROTOCOL_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode body;

    private ServerFrame(ObjectNode body) {
        this.body = body;
    }

    private static ObjectNode frame(String type) {
        ObjectNode node = NODES.objectNode();
        node.put("type", type);
        return node;
    }

    /** The frame's {@code type}. */
    public String type() {
        return body.get("type").asText();
    }

    /** The frame as JSON text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the frame as a tree (for tests and for composing {@code welcome.chat}). */
    public ObjectNode toTree() {
        return body.deepCopy();
    }

    @Override
    public String toString() {
        return type();
    }

    /**
     * The answer to {@code hello}.
     *
     * @param chat the state and transcript of the browser session's chat, if it has one
     */
    public static ServerFrame welcome(String resumeToken, String desk, Collection<Capability> capabilities, boolean resumed,
            Optional<ObjectNode> chat) {
        ObjectNode node = frame("welcome");
        node.put("protocolVersion", PROTOCOL_VERSION);
        node.put("resumeToken", requireNonNull(resumeToken, "resumeToken is null"));
        node.put("desk", desk);
        node.put("resumed", resumed);
        ArrayNode caps = node.putArray("capabilities");
        new TreeSet<>(capabilities.stream().map(c -> wireName(c.name())).toList()).forEach(caps::add);
        chat.ifPresent(c -> node.set("chat", c));
        return new ServerFrame(node);
    }

    public static ServerFrame agentsOnline(AgentsOnline status) {
        ObjectNode node = frame("agentsOnline");
        node.put("status", status.name());
        return new ServerFrame(node);
    }

    public static ServerFrame chatStarted(String chatId) {
        ObjectNode node = frame("chatStarted");
        node.put("chatId", chatId);
        return new ServerFrame(node);
    }

    public static ServerFrame availability(AgentAvailability availability) {
        ObjectNode node = frame("availability");
        availabilityFields(node, availability);
        return new ServerFrame(node);
    }

    /** The fields of an availability, also used in {@code welcome.chat.availability}. */
    public static ObjectNode availabilityFields(ObjectNode node, AgentAvailability availability) {
        availability.positionInQueue().ifPresent(p -> node.put("positionInQueue", p));
        availability.estimatedWait().ifPresent(w -> node.put("estimatedWaitSeconds", w.toSeconds()));
        availability.message().ifPresent(m -> node.put("message", m));
        return node;
    }

    public static ServerFrame agentJoined(AgentProfile agent) {
        ObjectNode node = frame("agentJoined");
        node.set("agent", agent(agent));
        return new ServerFrame(node);
    }

    /** An agent as {@code {id, nickname, avatarUrl?}}. */
    public static ObjectNode agent(AgentProfile agent) {
        ObjectNode node = NODES.objectNode();
        node.put("id", agent.id());
        node.put("nickname", agent.nickname());
        agent.avatarUrl().ifPresent(u -> node.put("avatarUrl", u.toString()));
        return node;
    }

    public static ServerFrame transferStarted(Optional<AgentProfile> agent) {
        ObjectNode node = frame("transferStarted");
        agent.ifPresent(a -> node.set("agent", agent(a)));
        return new ServerFrame(node);
    }

    public static ServerFrame agentLeft() {
        return new ServerFrame(frame("agentLeft"));
    }

    public static ServerFrame agentEnded() {
        return new ServerFrame(frame("agentEnded"));
    }

    public static ServerFrame agentTyping(boolean isTyping) {
        ObjectNode node = frame("agentTyping");
        node.put("isTyping", isTyping);
        return new ServerFrame(node);
    }

    public static ServerFrame agentRead() {
        return new ServerFrame(frame("agentRead"));
    }

    /**
     * A message for the user.
     *
     * @param agentName the name of the agent who wrote it, when the chat knows it
     */
    public static ServerFrame agentMessage(AgentMessage message, Optional<String> agentName) {
        ObjectNode node = frame("agentMessage");
        node.put("id", message.id());
        message.agentId().ifPresent(a -> node.put("agentId", a));
        agentName.ifPresent(n -> node.put("agentName", n));
        node.put("text", message.text());
        node.put("origin", message.origin().name().toLowerCase(Locale.ROOT));
        return new ServerFrame(node);
    }

    /** Tells the other tabs of a browser session about a message the user sent from one of them. */
    public static ServerFrame userMessage(String id, String text) {
        ObjectNode node = frame("userMessage");
        node.put("id", id);
        node.put("text", text);
        return new ServerFrame(node);
    }

    /** The delivery state of a user message: {@code sent} or {@code failed}. */
    public static ServerFrame messageStatus(String id, boolean sent, Optional<String> error) {
        ObjectNode node = frame("messageStatus");
        node.put("id", id);
        node.put("status", sent ? "sent" : "failed");
        error.ifPresent(e -> node.put("error", e));
        return new ServerFrame(node);
    }

    /** {@code error {errorType: "CONNECTING"}}: the chat could not be connected to an agent. */
    public static ServerFrame connectingError(Optional<String> messageToUser) {
        ObjectNode node = frame("error");
        node.put("errorType", "CONNECTING");
        messageToUser.ifPresent(m -> node.put("messageToUser", m));
        return new ServerFrame(node);
    }

    /** {@code error {errorType: "DISCONNECTED"}}: the desk lost ({@code true}) or regained its vendor connection. */
    public static ServerFrame disconnectedError(boolean isDisconnected) {
        ObjectNode node = frame("error");
        node.put("errorType", "DISCONNECTED");
        node.put("isDisconnected", isDisconnected);
        return new ServerFrame(node);
    }

    /** {@code error {errorType: "USER_MESSAGE"}}: a user message could not be delivered. */
    public static ServerFrame userMessageError(String messageId, String reason) {
        ObjectNode node = frame("error");
        node.put("errorType", "USER_MESSAGE");
        node.put("messageId", messageId);
        node.put("messageToUser", reason);
        return new ServerFrame(node);
    }

    /** {@code error {errorType: "BAD_REQUEST"}}: a refused client frame; the connection and the chat stay up. */
    public static ServerFrame badRequest(BadRequest code, String problem, Optional<String> messageId) {
        ObjectNode node = frame("error");
        node.put("errorType", "BAD_REQUEST");
        node.put("code", code.name());
        node.put("messageToUser", problem);
        messageId.ifPresent(m -> node.put("messageId", m));
        return new ServerFrame(node);
    }

    public static ServerFrame badRequest(ProtocolException problem) {
        return badRequest(problem.code(), problem.getMessage(), problem.messageId());
    }

    /**
     * The server accepted an {@code upload}: the page sends the file's bytes with an HTTP {@code PUT} to {@code url}
     * (relative to the server), at most {@code maxBytes}, before {@code expiresInSeconds} pass.
     */
    public static ServerFrame uploadReady(String fileId, String url, long maxBytes, long expiresInSeconds) {
        ObjectNode node = frame("uploadReady");
        node.put("fileId", fileId);
        node.put("url", url);
        node.put("maxBytes", maxBytes);
        node.put("expiresInSeconds", expiresInSeconds);
        return new ServerFrame(node);
    }

    /** The server refused an {@code upload} before any byte travelled; {@code messageToUser} says why. */
    public static ServerFrame uploadRefused(String fileId, UploadRefusal code, String messageToUser) {
        ObjectNode node = frame("uploadRefused");
        node.put("fileId", fileId);
        node.put("code", code.name());
        node.put("messageToUser", messageToUser);
        return new ServerFrame(node);
    }

    /**
     * What the desk said of a file sent with a message: {@code sent}, or {@code failed} with {@code error} in words
     * for the user.
     */
    public static ServerFrame fileStatus(String fileId, Optional<String> error) {
        ObjectNode node = frame("fileStatus");
        node.put("fileId", fileId);
        node.put("status", error.isPresent() ? "failed" : "sent");
        error.ifPresent(e -> node.put("error", e));
        return new ServerFrame(node);
    }

    /**
     * The chat is over.
     *
     * @param reason {@code user}, {@code agent}, {@code failed}, {@code expired} or {@code shutdown}
     */
    public static ServerFrame chatEnded(String reason) {
        ObjectNode node = frame("chatEnded");
        node.put("reason", reason);
        return new ServerFrame(node);
    }

    /** {@code AGENT_TYPING} as {@code agentTyping}: the wire name of an enum constant. */
    static String wireName(String constant) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }
}

package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.core.ChatSession;
import io.deskbridge.core.ChatStatus;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.webchat.protocol.ServerFrame;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chat of a {@link WebSession}: one {@link ChatSession} at the desk, from {@code startChat} to its end, and what a
 * page is shown of it: the bounded transcript, the agent and the names of the agents who wrote, the availability while
 * queued, whether the agent is typing, whether the desk's connection is down, and how the chat ended. It is what a
 * reloaded page's {@code welcome} redraws ({@link #snapshot()}) and what the store keeps ({@link #record()}).
 * Confined to the session's executor.
 */
final class SessionChat {
    private final String chatId;
    private final Transcript transcript;
    private final Map<String, String> agentNames = new HashMap<>();
    private ChatSession desk;
    private Optional<AgentAvailability> availability = Optional.empty();
    /** The agent a chat restored from the store had; the resumed desk does not announce it again. */
    private Optional<AgentProfile> restoredAgent = Optional.empty();
    private boolean agentTyping;
    private boolean disconnected;
    private boolean connectingReported;
    private boolean over;
    private String endReason = "";

    /** A new chat, or with {@code restoredAgent} one restored from the store whose agent had joined already. */
    SessionChat(String chatId, Transcript transcript, Optional<AgentProfile> restoredAgent) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.transcript = requireNonNull(transcript, "transcript is null");
        this.restoredAgent = requireNonNull(restoredAgent, "restoredAgent is null");
        restoredAgent.ifPresent(a -> agentNames.put(a.id(), a.nickname()));
    }

    /** Sets the chat at the desk, once, right after this chat is made: the desk's callback needs the chat first. */
    void openedAs(ChatSession chatSession) {
        if (desk != null) {
            throw new IllegalStateException("chat " + chatId + " is open at the desk already");
        }
        desk = requireNonNull(chatSession, "chatSession is null");
    }

    String chatId() {
        return chatId;
    }

    Transcript transcript() {
        return transcript;
    }

    /** Whether the chat was opened at the desk: only not when opening it failed. */
    boolean isOpenAtDesk() {
        return desk != null;
    }

    /** The chat at the desk, which every chat of a session has once made (see {@link #openedAs}). */
    ChatSession desk() {
        if (desk == null) {
            throw new IllegalStateException("chat " + chatId + " was never opened at the desk");
        }
        return desk;
    }

    boolean isOver() {
        return over;
    }

    String endReason() {
        return endReason;
    }

    /** Whether the desk is still connecting the chat (before {@code chatStarted}): it takes no messages yet. */
    boolean isConnecting() {
        ChatStatus status = desk().status();
        return status == ChatStatus.NEW || status == ChatStatus.STARTING;
    }

    /** The chat is over for the page, for {@code reason} ({@code chatEnded}'s reason). */
    void end(String reason) {
        over = true;
        endReason = requireNonNull(reason, "reason is null");
        agentTyping = false;
    }

    void availability(AgentAvailability update) {
        availability = Optional.of(update);
    }

    /**
     * An agent joined; false when it is the agent a restored chat had already (a resumed desk may announce it again,
     * as guest chat does), which is not news for the page.
     */
    boolean agentJoined(AgentProfile agent) {
        if (restoredAgent.map(AgentProfile::id).equals(Optional.of(agent.id()))) {
            restoredAgent = Optional.of(agent);
            return false;
        }
        availability = Optional.empty();
        restoredAgent = Optional.empty();
        agentNames.put(agent.id(), agent.nickname());
        return true;
    }

    void transferStarted(Optional<AgentProfile> newAgent) {
        agentTyping = false;
        newAgent.ifPresent(a -> agentNames.put(a.id(), a.nickname()));
    }

    void agentLeft() {
        agentTyping = false;
        restoredAgent = Optional.empty();
    }

    void agentTyping(boolean isTyping) {
        agentTyping = isTyping;
    }

    /** The name of the agent {@code agentId}, if one by that id joined or was announced by a transfer. */
    Optional<String> agentName(Optional<String> agentId) {
        return agentId.map(agentNames::get);
    }

    /** The desk reported that it could not connect the chat to an agent (the page was told). */
    void connectingFailed() {
        connectingReported = true;
    }

    /** Whether the page was already told that the chat could not be connected. */
    boolean connectingReported() {
        return connectingReported;
    }

    void disconnected(boolean isDisconnected) {
        disconnected = isDisconnected;
    }

    /** Records the delivery state of the user message {@code messageId}, if it is still in the transcript. */
    void delivery(String messageId, TranscriptEntry.Delivery delivery) {
        transcript.findUserMessage(messageId).ifPresent(e -> transcript.replaceUserMessage(e.withDelivery(delivery)));
    }

    Optional<AgentProfile> agent() {
        return desk().agent().or(() -> restoredAgent);
    }

    /** The chat as the store keeps it. */
    SessionRecord.ChatRecord record() {
        return new SessionRecord.ChatRecord(chatId, over, desk().persistedState(), agent(), transcript.entries());
    }

    /** The chat as {@code welcome} shows it to a page (see docs/protocol.md). */
    ObjectNode snapshot() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("chatId", chatId);
        node.put("status", over ? "ended" : statusName(desk().status()));
        if (over) {
            node.put("endReason", endReason);
        }
        agent().ifPresent(a -> node.set("agent", ServerFrame.agent(a)));
        availability.ifPresent(a -> node.set("availability", ServerFrame.availabilityFields(JsonNodeFactory.instance.objectNode(), a)));
        node.put("agentTyping", agentTyping);
        node.put("disconnected", disconnected);
        ArrayNode entries = node.putArray("transcript");
        for (TranscriptEntry entry : transcript.entries()) {
            ObjectNode e = entries.addObject();
            e.put("from", entry.from().name().toLowerCase(Locale.ROOT));
            e.put("id", entry.id());
            e.put("text", entry.text());
            entry.agentId().ifPresent(a -> e.put("agentId", a));
            entry.agentName().ifPresent(a -> e.put("agentName", a));
            entry.delivery().ifPresent(d -> e.put("status", d == TranscriptEntry.Delivery.SENDING ? "sending"
                    : d == TranscriptEntry.Delivery.SENT ? "sent" : "failed"));
            e.put("at", entry.at().toString());
        }
        return node;
    }

    private static String statusName(ChatStatus status) {
        return switch (status) {
            case NEW, STARTING -> "starting";
            case WAITING -> "waiting";
            case JOINED -> "joined";
            case TRANSFERRING -> "transferring";
            case AGENT_LEFT -> "agentLeft";
            case FAILED, ENDED_BY_AGENT, ENDED_BY_USER -> "ended";
        };
    }
}

package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.DeliveredIds;
import io.deskbridge.desk.support.AgentEvents;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.guestchat.wire.BodyType;
import io.deskbridge.genesys.guestchat.wire.MemberChangeEvent;
import io.deskbridge.genesys.guestchat.wire.MemberRole;
import io.deskbridge.genesys.guestchat.wire.MemberState;
import io.deskbridge.genesys.guestchat.wire.StreamFrame;
import io.deskbridge.genesys.guestchat.wire.TypingEvent;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import io.deskbridge.genesys.guestchat.wire.WebChatMessage;
import io.deskbridge.genesys.platform.GenesysApiException;
import io.deskbridge.genesys.platform.WireValues;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.ServiceDeskCallback;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the guest's side of a Genesys chat has seen, and how each event stream frame changes it: the rules of the
 * guest chat protocol turned into contract callbacks.
 *
 * <ul>
 *   <li>Heartbeats ({@code channel.metadata}) and unknown topics or types are ignored; a malformed frame is logged
 *       and skipped.</li>
 *   <li>The guest's own messages and typing come back on the stream and are ignored.</li>
 *   <li>{@code WORKFLOW} and {@code ACD} members are the flow and the queue: the chat is waiting. Their messages
 *       reach the user as bot messages, {@code notice} messages as system messages.</li>
 *   <li>An {@code AGENT} member that connects joins ({@code agentJoined} with the name and avatar of
 *       {@code GET member}, cached per member). Once an agent joined, another agent alerting or the agent
 *       disconnecting while the guest stays connected is a transfer: {@code beginTransferToAnotherAgent},
 *       {@code agentLeftChat}, then {@code agentJoined} for the new agent.</li>
 *   <li>The agent disconnecting with the guest gone, or the guest's own member disconnecting, ends the chat
 *       ({@code agentEndedChat}). Genesys may disconnect the guest a moment after the agent who ended the chat, so
 *       a guest still connected when the agent left is read again after the departure check delay (unless another
 *       agent is already being offered the chat) before the departure is reported as a transfer.</li>
 *   <li>An agent typing indicator lasts the typing timeout, or until that agent's next message, a transfer or the
 *       end: Genesys sends no "stopped typing".</li>
 *   <li>Every message id is handled once (the stream and the catch-up after a reconnect may both carry it).</li>
 * </ul>
 * What the contract asks of any desk (once per agent, a transfer begun once and only after a join, typing off before
 * the next message, the end last) is desk-support's {@link AgentEvents}; this class reads Genesys's member states
 * into it.
 *
 * Not thread-safe: every method runs on the chat's serial executor, and so do the continuations of member lookups.
 * Events are handled one after the other: the desk chains them, so the stage each handler returns must complete
 * before the next event is handled.
 */
final class GuestChatConversation {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatConversation.class);
    static final String DEFAULT_AGENT_NAME = "Agent";

    /** Members of the conversation, read with the guest's JWT. */
    interface MemberDirectory {
        /** The member, from the cache or {@code GET member}. */
        CompletableFuture<WebChatMember> member(String memberId);

        /** The member's current state, always from Genesys. */
        CompletableFuture<WebChatMember> refresh(String memberId);

        /** Caches a member read another way ({@code GET members}). */
        void remember(WebChatMember member);
    }

    /** What the desk does when the conversation changes. Called on the serial executor. */
    interface Effects {
        /** The flow or the queue took the chat while no agent is in it: the user waits. */
        void waiting();

        /** An agent joined. */
        void agentJoined(AgentProfile agent);

        /** The chat ended at Genesys (the agent or Genesys ended it); the callback already heard it. */
        void ended();

        /** The id of the last message seen in the conversation changed (for the catch-up after a drop). */
        void lastMessageIdChanged(String messageId);
    }

    private final String chatId;
    private final String guestMemberId;
    private final ServiceDeskCallback callback;
    private final MemberDirectory members;
    private final Effects effects;
    private final ObjectMapper json;
    private final ChatLane serial;
    private final AgentEvents agents;
    private final Duration departureCheckDelay;

    private Optional<String> alertingAgent = Optional.empty();
    private boolean ended;
    /** Agents who left: their late messages are still the agent's (Genesys delivers them after the member change). */
    private final Set<String> departedAgents = new HashSet<>();
    private final DeliveredIds seenMessageIds = new DeliveredIds();
    private Optional<String> lastMessageId;
    private Optional<ChatLane.Timer> departureCheck = Optional.empty();

    /**
     * @param departureCheckDelay how long to wait before reading the guest again when the agent left while the guest
     *     still read connected ({@code genesys.departureCheckDelay}); zero reports the transfer at once
     */
    GuestChatConversation(String chatId, String guestMemberId, Optional<String> lastMessageId, ServiceDeskCallback callback,
            MemberDirectory members, Effects effects, ObjectMapper json, ChatLane lane, Duration typingTimeout, Duration departureCheckDelay) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.guestMemberId = requireNonNull(guestMemberId, "guestMemberId is null");
        this.lastMessageId = requireNonNull(lastMessageId, "lastMessageId is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.members = requireNonNull(members, "members is null");
        this.effects = requireNonNull(effects, "effects is null");
        this.json = requireNonNull(json, "json is null");
        this.serial = requireNonNull(lane, "lane is null");
        this.agents = new AgentEvents(chatId, lane, callback, typingTimeout, effects::ended);
        this.departureCheckDelay = requireNonNull(departureCheckDelay, "departureCheckDelay is null");
        if (departureCheckDelay.isNegative()) {
            throw new IllegalArgumentException("departureCheckDelay is negative: " + departureCheckDelay);
        }
    }

    boolean isEnded() {
        return ended;
    }

    boolean anyAgentJoined() {
        return agents.anyAgentJoined();
    }

    Optional<String> currentAgent() {
        return agents.agent();
    }

    Optional<String> lastMessageId() {
        return lastMessageId;
    }

    /** The queue's news while the chat waits (the place in the queue, the expected wait): not told once an agent is in it. */
    void waiting(AgentAvailability availability) {
        if (!ended) {
            agents.waiting(availability);
        }
    }

        /** Stops the typing timer; the conversation handles nothing more. */
    void close() {
        ended = true;
        agents.release();
        departureCheck.ifPresent(ChatLane.Timer::cancel);
    }

    /** Handles one raw frame of the event stream. */
    CompletableFuture<Void> handleFrame(String text) {
        if (ended) {
            return done();
        }
        StreamFrame frame;
        try {
            frame = json.readValue(text, StreamFrame.class);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("chat={} skipped a malformed event stream frame ({} characters): {}", chatId, text.length(), firstLine(e));
            return done();
        }
        return handle(frame);
    }

    /** Handles one parsed frame of the event stream. */
    CompletableFuture<Void> handle(StreamFrame frame) {
        if (ended || frame.isHeartbeat()) {
            return done();
        }
        if (frame.eventBody().isEmpty()) {
            LOG.debug("chat={} skipped a frame without eventBody on {}", chatId, frame.topicName());
            return done();
        }
        String type = frame.type().orElse(frame.isMembersTopic() ? "member-change" : frame.isMessagesTopic() ? "message" : "");
        try {
            switch (type) {
                case "message":
                    return handleMessage(json.treeToValue(frame.eventBody().get(), WebChatMessage.class));
                case "typing-indicator":
                    handleTyping(json.treeToValue(frame.eventBody().get(), TypingEvent.class));
                    return done();
                case "member-change":
                    return handleMemberChange(json.treeToValue(frame.eventBody().get(), MemberChangeEvent.class));
                default:
                    LOG.debug("chat={} ignored an event of type '{}' on {}", chatId, type, frame.topicName());
                    return done();
            }
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("chat={} skipped a malformed '{}' event: {}", chatId, type, firstLine(e));
            return done();
        }
    }

    /** Handles a message, from the stream or from the catch-up after a reconnect. */
    CompletableFuture<Void> handleMessage(WebChatMessage message) {
        if (ended || seenMessageIds.contains(message.id())) {
            return done();
        }
        String sender = message.sender().id();
        if (sender.equals(guestMemberId)) {
            seen(message); // the guest's own message, echoed
            return done();
        }
        BodyType bodyType = message.bodyType();
        if (bodyType == BodyType.MEMBER_JOIN || bodyType == BodyType.MEDIA_REQUEST || bodyType == BodyType.UNKNOWN) {
            seen(message);
            return done();
        }
        if (bodyType == BodyType.MEMBER_LEAVE) {
            seen(message);
            if (isCurrentAgent(sender)) {
                return agentDisconnected(sender);
            }
            return done();
        }
        String body = message.body().orElse("");
        if (body.isBlank()) {
            seen(message);
            return done();
        }
        if (bodyType == BodyType.NOTICE) {
            seen(message);
            callback.sendMessageToUser(new AgentMessage(message.id(), Optional.empty(), body, MessageOrigin.SYSTEM,
                    message.timestamp().flatMap(WireValues::instant)));
            return done();
        }
        return roleOf(sender).thenAccept(role -> {
            if (ended || seenMessageIds.contains(message.id())) {
                return;
            }
            seen(message);
            if (isCurrentAgent(sender)) {
                agents.message(new AgentMessage(message.id(), Optional.of(sender), body, MessageOrigin.AGENT,
                        message.timestamp().flatMap(WireValues::instant)));
            } else if (role == MemberRole.AGENT || departedAgents.contains(sender)) {
                // Another agent's (one who left, or one not yet in the chat): that agent's typing is not on.
                callback.sendMessageToUser(new AgentMessage(message.id(), Optional.of(sender), body, MessageOrigin.AGENT,
                        message.timestamp().flatMap(WireValues::instant)));
            } else {
                callback.sendMessageToUser(new AgentMessage(message.id(), Optional.empty(), body, MessageOrigin.BOT,
                        message.timestamp().flatMap(WireValues::instant)));
            }
        });
    }

    private void handleTyping(TypingEvent typing) {
        if (ended || typing.sender().id().equals(guestMemberId)) {
            return; // the guest's own typing, echoed
        }
        if (isCurrentAgent(typing.sender().id())) {
            agents.typing(); // Genesys sends no "stopped typing": the indicator expires after the typing timeout
        }
    }

    private CompletableFuture<Void> handleMemberChange(MemberChangeEvent change) {
        String id = change.member().id();
        MemberState state = change.state();
        if (id.equals(guestMemberId)) {
            if (state == MemberState.DISCONNECTED) {
                endedAtGenesys("the guest member was disconnected");
            }
            return done();
        }
        return memberOrUnknown(id).thenCompose(member -> onMemberState(id, member, state));
    }

    private CompletableFuture<Void> onMemberState(String id, Optional<WebChatMember> member, MemberState state) {
        if (ended) {
            return done();
        }
        MemberRole role = member.map(WebChatMember::role).orElse(MemberRole.UNKNOWN);
        boolean knownAgent = isCurrentAgent(id) || alertingAgent.filter(id::equals).isPresent();
        boolean agent = role == MemberRole.AGENT
                || (role == MemberRole.UNKNOWN && (knownAgent || state == MemberState.ALERTING));
        if (!agent) {
            if ((role == MemberRole.WORKFLOW || role == MemberRole.ACD) && state == MemberState.CONNECTED && agents.agent().isEmpty()) {
                effects.waiting();
            }
            return done();
        }
        switch (state) {
            case ALERTING:
                agentAlerting(id, member);
                return done();
            case CONNECTED:
                agentConnected(id, member);
                return done();
            case DISCONNECTED:
                return agentDisconnected(id);
            default:
                return done();
        }
    }

    /** Another agent is offered the chat: once an agent joined, the first sign of a transfer. */
    private void agentAlerting(String id, Optional<WebChatMember> member) {
        if (isCurrentAgent(id)) {
            return;
        }
        alertingAgent = Optional.of(id);
        if (agents.anyAgentJoined() && !agents.transferring()) {
            LOG.info("chat={} transfer to another agent started", chatId);
            agents.transferOnce(Optional.of(profile(id, member)));
        }
    }

    private void agentConnected(String id, Optional<WebChatMember> member) {
        if (isCurrentAgent(id)) {
            return;
        }
        AgentProfile profile = profile(id, member);
        agents.agent().ifPresent(departedAgents::add);
        departedAgents.remove(id);
        alertingAgent = Optional.empty();
        agents.takenOverBy(profile);
        effects.agentJoined(profile);
    }

    private CompletableFuture<Void> agentDisconnected(String id) {
        if (alertingAgent.filter(id::equals).isPresent()) {
            alertingAgent = Optional.empty(); // the offer was not taken
            return done();
        }
        if (!isCurrentAgent(id)) {
            return done();
        }
        // A transfer or the end of the chat: it depends on whether the guest is still in the conversation.
        return members.refresh(guestMemberId).handleAsync((guest, failure) -> {
            if (ended || !isCurrentAgent(id)) {
                return null;
            }
            if (guestGone(guest, failure)) {
                endedAtGenesys("the agent ended the chat");
            } else if (alertingAgent.isPresent() || departureCheckDelay.isZero()) {
                agentLeft(id); // another agent is being offered the chat: a transfer
            } else {
                // Genesys may disconnect the guest a moment after the agent who ended the chat: look again before
                // telling the user about a transfer. The event chain goes on meanwhile (the guest's DISCONNECTED ends it).
                departureCheck.ifPresent(ChatLane.Timer::cancel);
                departureCheck = Optional.of(serial.schedule(departureCheckDelay, () -> confirmDeparture(id)));
            }
            return null;
        }, serial);
    }

    /** The agent left a while ago and the guest still read connected: the chat ended after all, or it is a transfer. */
    private void confirmDeparture(String id) {
        departureCheck = Optional.empty();
        if (ended || !isCurrentAgent(id)) {
            return; // the chat ended, or a new agent took over, in the meantime
        }
        members.refresh(guestMemberId).handleAsync((guest, failure) -> {
            if (ended || !isCurrentAgent(id)) {
                return null;
            }
            if (guestGone(guest, failure)) {
                endedAtGenesys("the agent ended the chat");
            } else {
                agentLeft(id);
            }
            return null;
        }, serial);
    }

    private boolean guestGone(WebChatMember guest, Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause == null) {
            return guest.state() == MemberState.DISCONNECTED;
        }
        // 4xx: the conversation no longer accepts the guest. Anything else: assume the guest is still there;
        // the guest's own DISCONNECTED event will end the chat if it is over.
        LOG.debug("chat={} could not read the guest's state after the agent left: {}", chatId, cause.getMessage());
        return cause instanceof GenesysApiException api && api.status() >= 400 && api.status() < 500;
    }

    /** The agent left while the guest stays: Genesys hands the chat on, so a transfer (once), then the departure. */
    private void agentLeft(String id) {
        departedAgents.add(id);
        LOG.info("chat={} agent {} left; the chat waits for another agent", chatId, id);
        agents.transferOnce(Optional.empty());
        agents.left(id);
    }

    /**
     * Brings the conversation up to date with the members Genesys lists (after the stream was lost, or when a
     * chat is resumed): the guest gone ends it, the agent gone is a departure, a connected agent joins.
     */
    CompletableFuture<Void> reconcile(List<WebChatMember> list) {
        if (ended) {
            return done();
        }
        list.forEach(members::remember);
        Optional<WebChatMember> guest = list.stream().filter(m -> m.id().equals(guestMemberId)).findFirst();
        if (guest.isPresent() && guest.get().state() == MemberState.DISCONNECTED) {
            endedAtGenesys("the chat ended while the event stream was down");
            return done();
        }
        if (agents.agent().isPresent()) {
            String id = agents.agent().get();
            boolean stillConnected = list.stream().anyMatch(m -> m.id().equals(id) && m.state() == MemberState.CONNECTED);
            if (!stillConnected) {
                agentLeft(id);
            }
        }
        list.stream()
                .filter(m -> !m.id().equals(guestMemberId) && m.role() == MemberRole.AGENT && m.state() == MemberState.CONNECTED)
                .filter(m -> !isCurrentAgent(m.id()))
                .reduce((first, second) -> second) // the latest one listed
                .ifPresent(m -> agentConnected(m.id(), Optional.of(m)));
        if (agents.agent().isEmpty()) {
            list.stream()
                    .filter(m -> m.role() == MemberRole.AGENT && m.state() == MemberState.ALERTING)
                    .findFirst()
                    .ifPresent(m -> agentAlerting(m.id(), Optional.of(m)));
        }
        return done();
    }

    private void endedAtGenesys(String why) {
        if (ended) {
            return;
        }
        LOG.info("chat={} ended at Genesys: {}", chatId, why);
        ended = true;
        agents.ended(); // agentEndedChat, then the desk lets go of the chat (Effects.ended)
    }

    /** Turns the agent typing indicator off, if it is on. */
    void stopTyping() {
        agents.stopTyping();
    }

    private boolean isCurrentAgent(String memberId) {
        return agents.agent().filter(memberId::equals).isPresent();
    }

    private void seen(WebChatMessage message) {
        seenMessageIds.firstDelivery(message.id());
        lastMessageId = Optional.of(message.id());
        effects.lastMessageIdChanged(message.id());
    }

    private CompletableFuture<MemberRole> roleOf(String memberId) {
        return memberOrUnknown(memberId).thenApply(m -> m.map(WebChatMember::role).orElse(MemberRole.UNKNOWN));
    }

    /** The member from the directory, or empty (logged) when Genesys cannot say; continues on the serial executor. */
    private CompletableFuture<Optional<WebChatMember>> memberOrUnknown(String memberId) {
        return members.member(memberId).handleAsync((member, failure) -> {
            if (failure != null) {
                LOG.warn("chat={} could not read member {}: {}", chatId, memberId, CompletionFailures.unwrap(failure).getMessage());
                return Optional.<WebChatMember>empty();
            }
            return Optional.of(member);
        }, serial);
    }

    private static AgentProfile profile(String id, Optional<WebChatMember> member) {
        String name = member.flatMap(WebChatMember::displayName).orElse(DEFAULT_AGENT_NAME);
        Optional<URI> avatar = member.flatMap(WebChatMember::avatarImageUrl).flatMap(WireValues::absoluteUri);
        return new AgentProfile(id, name, avatar);
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}

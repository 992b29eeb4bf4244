package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The member state machine of one guest chat conversation: routing (the guest's join, the workflow and ACD members),
 * agents offered, joining, transferring, leaving and ending, the guest leaving, and the queue phase that follows
 * from them (waiting, interacting, done). Each change is a {@code member-change} event, and a join or leave of a
 * connected member also an in-band {@code member-join} / {@code member-leave} message. {@link SimulatedConversation}
 * documents the sequences. Guarded by the conversation's lock, but for {@link #awaitRouted}.
 */
final class ConversationMembers {
    private final GenesysSimulator simulator;
    private final Wire wire;
    private final String conversationId;
    private final SimulatedQueue queue;
    private final ConversationEvents events;
    private final ConversationMessages messages;
    private final String guestMemberId;
    private final LinkedHashMap<String, ConversationMember> members = new LinkedHashMap<>();
    private final CountDownLatch routedLatch = new CountDownLatch(1);
    private boolean routed;
    private boolean ended;
    private boolean endedByGuest;
    private SimulatedQueue.Phase phase = SimulatedQueue.Phase.NOT_ROUTED;
    private String currentAgentId;
    private String acdMemberId;

    ConversationMembers(GenesysSimulator simulator, String conversationId, SimulatedQueue queue,
            ConversationEvents events, ConversationMessages messages, ConversationMember guest) {
        this.simulator = simulator;
        this.wire = simulator.wire();
        this.conversationId = conversationId;
        this.queue = queue;
        this.events = events;
        this.messages = messages;
        this.guestMemberId = guest.id;
        members.put(guest.id, guest);
    }

    // ---------------------------------------------------------------------------------------------------------
    // State

    boolean routed() {
        return routed;
    }

    /** Waits, without the conversation's lock, until routing started; whether it did within the timeout. */
    boolean awaitRouted(Duration timeout) {
        try {
            return routedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean ended() {
        return ended;
    }

    boolean endedByGuest() {
        return endedByGuest;
    }

    ConversationMember guest() {
        return members.get(guestMemberId);
    }

    /** The members, in the order they joined (snapshots). */
    List<SimulatedMember> snapshot() {
        List<SimulatedMember> snapshot = new ArrayList<>();
        members.values().forEach(member -> snapshot.add(member.snapshot()));
        return snapshot;
    }

    Optional<SimulatedMember> currentAgent() {
        return Optional.ofNullable(currentAgentId).map(memberId -> members.get(memberId).snapshot());
    }

    /** Who sends a notice: the current agent, else the ACD member, else the guest (before routing). */
    ConversationMember noticeSender() {
        return currentAgentId != null ? members.get(currentAgentId)
                : members.get(acdMemberId == null ? guestMemberId : acdMemberId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transitions

    /** The guest attached the stream: the guest joins, the workflow member joins and leaves, the ACD member joins. */
    void startRouting() {
        routed = true;
        ConversationMember guest = guest();
        events.memberChange(guest);
        messages.add(guest, "", "member-join");
        ConversationMember workflow = new ConversationMember(simulator.nextId(Ids.Kind.MEMBER),
                SimulatedMemberRole.WORKFLOW, Optional.empty(), Optional.empty(), SimulatedMemberState.CONNECTED,
                simulator.now());
        members.put(workflow.id, workflow);
        events.memberChange(workflow);
        messages.add(workflow, "", "member-join");
        leave(workflow);
        ConversationMember acd = new ConversationMember(simulator.nextId(Ids.Kind.MEMBER), SimulatedMemberRole.ACD,
                Optional.empty(), Optional.empty(), SimulatedMemberState.CONNECTED, simulator.now());
        acdMemberId = acd.id;
        members.put(acd.id, acd);
        events.memberChange(acd);
        messages.add(acd, "", "member-join");
        moveTo(SimulatedQueue.Phase.WAITING);
        routedLatch.countDown();
    }

    /** The agent joins: offered first unless a transfer already offered the chat; the ACD member leaves. */
    void join(GenesysAgent agent) {
        ConversationMember member = members.get(agent.id());
        if (member != null && member.role != SimulatedMemberRole.AGENT) {
            throw new IllegalArgumentException("agent id " + agent.id() + " is the id of the " + member.role
                    + " member of conversation " + conversationId);
        }
        if (member != null && member.state == SimulatedMemberState.CONNECTED) {
            throw new IllegalStateException("agent " + agent.id() + " is already connected to conversation "
                    + conversationId);
        }
        if (member == null || member.state == SimulatedMemberState.DISCONNECTED) {
            member = offer(agent);
        }
        member.state = SimulatedMemberState.CONNECTED;
        member.joinDate = simulator.now();
        events.memberChange(member);
        messages.add(member, "", "member-join");
        currentAgentId = member.id;
        ConversationMember acd = acdMemberId == null ? null : members.get(acdMemberId);
        if (acd != null && acd.state == SimulatedMemberState.CONNECTED) {
            leave(acd);
        }
        moveTo(SimulatedQueue.Phase.INTERACTING);
    }

    /** The new agent is offered the chat, then the current agent leaves; returns the agent that left. */
    ConversationMember transfer(GenesysAgent nextAgent) {
        ConversationMember current = requireCurrentAgent("transfer");
        if (current.id.equals(nextAgent.id())) {
            throw new IllegalArgumentException("agent " + nextAgent.id() + " cannot transfer the chat to itself");
        }
        ConversationMember existing = members.get(nextAgent.id());
        if (existing != null && existing.state != SimulatedMemberState.DISCONNECTED) {
            throw new IllegalStateException("agent " + nextAgent.id() + " is already " + existing.state
                    + " in conversation " + conversationId);
        }
        offer(nextAgent);
        leaveAsAgent(current);
        return current;
    }

    /** The current agent leaves without ending the chat; returns it. */
    ConversationMember agentLeaves() {
        ConversationMember current = requireCurrentAgent("leave");
        leaveAsAgent(current);
        return current;
    }

    /** Every member but the guest leaves (an offered agent without {@code member-leave}), then the guest. */
    void endByAgent() {
        for (ConversationMember member : new ArrayList<>(members.values())) {
            if (member.role == SimulatedMemberRole.CUSTOMER || member.state == SimulatedMemberState.DISCONNECTED) {
                continue;
            }
            if (member.state == SimulatedMemberState.ALERTING) {
                member.state = SimulatedMemberState.DISCONNECTED;
                member.leaveDate = Optional.of(simulator.now());
                events.memberChange(member);
            } else {
                leave(member);
            }
        }
        currentAgentId = null;
        leave(guest());
        end(false);
    }

    /** The guest leaves ({@code DELETE} of its member), which ends the conversation. */
    void guestLeaves() {
        leave(guest());
        currentAgentId = null;
        end(true);
    }

    private ConversationMember offer(GenesysAgent agent) {
        ConversationMember member = new ConversationMember(agent.id(), SimulatedMemberRole.AGENT,
                Optional.of(agent.displayName()), agent.avatarUrl(), SimulatedMemberState.ALERTING, simulator.now());
        members.remove(agent.id());
        members.put(agent.id(), member);
        events.memberChange(member);
        return member;
    }

    private void leave(ConversationMember member) {
        member.state = SimulatedMemberState.DISCONNECTED;
        member.leaveDate = Optional.of(simulator.now());
        events.memberChange(member);
        messages.add(member, "", "member-leave");
    }

    /** The agent leaves; another connected agent becomes current, else the chat waits in the queue again. */
    private void leaveAsAgent(ConversationMember agent) {
        leave(agent);
        currentAgentId = connectedAgent().orElse(null);
        moveTo(currentAgentId == null ? SimulatedQueue.Phase.WAITING : SimulatedQueue.Phase.INTERACTING);
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
        for (ConversationMember member : members.values()) {
            if (member.role == SimulatedMemberRole.AGENT && member.state == SimulatedMemberState.CONNECTED) {
                found = member.id;
            }
        }
        return Optional.ofNullable(found);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    /** For scripting: the conversation is routed and not ended. */
    void requireActive(String what) {
        if (ended) {
            throw new IllegalStateException("conversation " + conversationId + " has ended; too late for " + what);
        }
        if (!routed) {
            throw new IllegalStateException("conversation " + conversationId + " is not routed yet (the guest has"
                    + " not attached the event stream), too early for " + what + "; call awaitRouted first");
        }
    }

    ConversationMember requireCurrentAgent(String action) {
        if (currentAgentId == null) {
            throw new IllegalStateException("no agent is connected to conversation " + conversationId + " to "
                    + action);
        }
        return members.get(currentAgentId);
    }

    /** For the guest chat API: the member exists and is the guest whose token was used. */
    void requireGuest(String memberId) {
        if (!members.containsKey(memberId)) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Member " + memberId + " was not found in conversation " + conversationId + ".");
        }
        if (!memberId.equals(guestMemberId)) {
            throw ApiError.of(403, "not.authorized", "The guest may act only as its own member " + guestMemberId + ".");
        }
    }

    /** For the guest chat API: the conversation has not ended. */
    void requireGuestActive() {
        if (ended) {
            throw ApiError.of(400, "chat.error.conversation.state",
                    "The conversation is in a state which does not permit this action.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The guest chat API's views

    ObjectNode memberJson(String memberId) {
        ConversationMember member = members.get(memberId);
        if (member == null) {
            throw ApiError.of(404, "chat.error.not.found",
                    "Member " + memberId + " was not found in conversation " + conversationId + ".");
        }
        return member.toJson(wire);
    }

    ObjectNode page(int pageSize, int pageNumber, boolean excludeDisconnected) {
        List<ConversationMember> listed = new ArrayList<>();
        for (ConversationMember member : members.values()) {
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
        String base = Wire.GUEST_PATH + "/" + conversationId + "/members?pageSize=" + pageSize
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
}

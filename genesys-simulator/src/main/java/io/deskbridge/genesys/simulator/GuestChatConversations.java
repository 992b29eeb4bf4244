package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest chat conversations of the organization: created by the guest chat API, found by id or by the guest JWT
 * of an event stream handshake, and handed to tests in creation order ({@link GenesysSimulator#awaitConversation}).
 *
 * <p>Thread-safe.
 */
final class GuestChatConversations {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatConversations.class);

    private final GenesysSimulator simulator;
    private final TokenAuthority tokens;
    private final Map<String, SimulatedConversation> conversations = new ConcurrentHashMap<>();
    private final BlockingQueue<SimulatedConversation> unclaimed = new LinkedBlockingQueue<>();

    GuestChatConversations(GenesysSimulator simulator, TokenAuthority tokens) {
        this.simulator = simulator;
        this.tokens = tokens;
    }

    /** A new conversation with its guest member, guest JWT and event stream URI; routing starts on attach. */
    SimulatedConversation create(GuestChatDeployment deployment, SimulatedQueue queue, JsonNode request,
            Optional<JsonNode> signedData) {
        String conversationId = simulator.nextId(Ids.Kind.CONVERSATION);
        String guestMemberId = simulator.nextId(Ids.Kind.MEMBER);
        TokenAuthority.GuestToken token = tokens.issueGuestToken(conversationId, deployment.id(), guestMemberId);
        URI eventStreamUri = URI.create(simulator.eventStreamBaseUrl() + "/v1/token/" + token.jwt());
        SimulatedConversation conversation = new SimulatedConversation(simulator, conversationId, deployment, queue,
                request, signedData, guestMemberId, token.jwt(), token.expiresAt(), eventStreamUri);
        conversations.put(conversationId, conversation);
        unclaimed.add(conversation);
        LOG.info("conversation {} created on deployment {} for queue {}", conversationId, deployment.id(),
                queue.name());
        return conversation;
    }

    /** The conversation of a guest JWT this simulator signed (expired or not). */
    Optional<SimulatedConversation> forGuestToken(String token) {
        return tokens.guestConversationId(token).flatMap(this::conversation);
    }

    Optional<SimulatedConversation> conversation(String conversationId) {
        return Optional.ofNullable(conversations.get(conversationId));
    }

    /** Every conversation, ended ones included, by id (ids count up, so in creation order). */
    List<SimulatedConversation> conversations() {
        List<SimulatedConversation> all = new ArrayList<>(conversations.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }

    /** The next conversation not handed out yet, waiting at most {@code timeout}. */
    SimulatedConversation awaitUnclaimed(Duration timeout) {
        try {
            SimulatedConversation conversation = unclaimed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (conversation == null) {
                throw new IllegalStateException("no guest chat conversation was created within " + timeout);
            }
            return conversation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a conversation", e);
        }
    }
}

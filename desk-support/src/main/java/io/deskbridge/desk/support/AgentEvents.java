package io.deskbridge.desk.support;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of one chat as the application hears it: a desk says what the vendor reported (an agent joined,
 * typed, wrote, left, ended the chat) and this class makes the callbacks the rules ask for.
 * <ul>
 *   <li>{@code agentJoined} once per agent (rule 3): vendors repeat joins, after a reconnect for example.</li>
 *   <li>A transfer only after an agent joined (rule 4); a departure only of the agent in the chat (rule 5).</li>
 *   <li>The typing indicator turned off before the agent's next message, a transfer, a departure or the end, and
 *       after the typing timeout otherwise (rule 9, {@link AgentTypingIndicator}).</li>
 *   <li>The queue's news only while no agent is in the chat.</li>
 *   <li>After {@link #ended()}, the owner's end action runs (the desk lets go of the chat) and nothing more is said.</li>
 * </ul>
 * Used on the chat's lane only; the callback is the chat's {@link CallbackGate}.
 */
public final class AgentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEvents.class);

    private final String chatId;
    private final ServiceDeskCallback callback;
    private final AgentTypingIndicator typing;
    private final Runnable end;
    private Optional<String> agent = Optional.empty();
    private boolean anyAgentJoined;
    private boolean transferring;

    /**
     * @param chatId the chat's id, for the log
     * @param lane the chat's lane, where the typing expiry runs
     * @param callback the chat's {@link CallbackGate}
     * @param typingTimeout how long an agent typing indication lasts without news
     * @param end what the desk does once the agent ended the chat (close its stream, its timers), on the lane
     */
    public AgentEvents(String chatId, ChatLane lane, ServiceDeskCallback callback, Duration typingTimeout, Runnable end) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.typing = new AgentTypingIndicator(lane, callback, typingTimeout);
        this.end = requireNonNull(end, "end is null");
    }

    /** The id of the agent in the chat now, if one is. */
    public Optional<String> agent() {
        return agent;
    }

    /** Whether an agent joined the chat at some point (the wait is over). */
    public boolean anyAgentJoined() {
        return anyAgentJoined;
    }

    /** The user's place in the queue or expected wait changed: told only while no agent is in the chat. */
    public void waiting(AgentAvailability availability) {
        requireNonNull(availability, "availability is null");
        if (agent.isEmpty()) {
            callback.updateAgentAvailability(availability);
        }
    }

    /** An agent joined (steps 4 and 12): {@code agentJoined}, unless this agent is already the one in the chat (rule 3). */
    public void joined(AgentProfile profile) {
        requireNonNull(profile, "profile is null");
        if (agent.filter(profile.id()::equals).isPresent()) {
            return;
        }
        typing.stop();
        agent = Optional.of(profile.id());
        anyAgentJoined = true;
        transferring = false;
        LOG.info("chat={} agent {} joined", chatId, profile.id());
        callback.agentJoined(profile);
    }

    /** Agent {@code agentId} left; the chat goes on (rule 5). Nothing if it is not the agent in the chat. */
    public void left(String agentId) {
        requireNonNull(agentId, "agentId is null");
        if (agent.filter(agentId::equals).isPresent()) {
            typing.stop();
            agent = Optional.empty();
            callback.agentLeftChat();
        }
    }

    /** The agent in the chat left, for a vendor that does not say who; nothing if no agent is in the chat. */
    public void left() {
        agent.ifPresent(this::left);
    }

    /** The agent hands the chat on (rule 4): only once an agent joined; {@code agentJoined} follows for the next one. */
    public void transfer(Optional<AgentProfile> to) {
        requireNonNull(to, "to is null");
        if (anyAgentJoined) {
            typing.stop();
            transferring = true;
            callback.beginTransferToAnotherAgent(to);
        } else {
            LOG.warn("chat={} ignored a transfer before any agent joined", chatId);
        }
    }

    /** Whether a transfer began and no agent joined since. */
    public boolean transferring() {
        return transferring;
    }

    /**
     * The chat is being handed on, for a vendor that shows one transfer several ways (the next agent offered the chat,
     * the agent in the chat leaving while the user stays): {@code beginTransferToAnotherAgent} once, at the first sign,
     * until an agent joins; like {@link #transfer} only once an agent joined.
     */
    public void transferOnce(Optional<AgentProfile> to) {
        requireNonNull(to, "to is null");
        if (!transferring) {
            transfer(to);
        }
    }

    /**
     * Another agent took the chat over (a transfer the vendor shows only as the next agent connecting): the transfer
     * begins (once), the agent in the chat leaves, then {@code profile} joins (rules 3 to 5). The first agent simply joins.
     */
    public void takenOverBy(AgentProfile profile) {
        requireNonNull(profile, "profile is null");
        if (agent.filter(profile.id()::equals).isPresent()) {
            return;
        }
        if (anyAgentJoined) {
            transferOnce(Optional.of(profile));
            left();
        }
        joined(profile);
    }

    /**
     * A resumed chat: what an earlier desk already told the application (the agent in the chat, whether one ever
     * joined), so that none of it is told again. No callback.
     */
    public void toldBefore(Optional<String> agentInChat, boolean anyJoined) {
        this.agent = requireNonNull(agentInChat, "agentInChat is null");
        this.anyAgentJoined = anyJoined || agentInChat.isPresent();
    }

    /**
     * What the vendor says after a reconnect about who is in the chat: the agent there now joins (once), and the agent
     * the application last heard of left, unless the chat is over.
     */
    public void agentNow(Optional<AgentProfile> now, boolean chatEnded) {
        requireNonNull(now, "now is null");
        if (now.isPresent()) {
            joined(now.get());
        } else if (!chatEnded) {
            agent.ifPresent(this::left);
        }
    }

    /** The agent is typing (step 10): the indicator turns on and expires after the typing timeout. */
    public void typing() {
        typing.typing();
    }

    /** The agent is typing, for {@code duration} as the vendor says. */
    public void typing(Duration duration) {
        typing.typing(duration);
    }

    /** The agent read the user's messages (step 11). */
    public void read() {
        callback.agentReadMessages();
    }

    /** A message to the user (step 6): the typing indicator goes off first (rule 9). De-duplicating is the caller's job. */
    public void message(AgentMessage message) {
        requireNonNull(message, "message is null");
        typing.stop();
        callback.sendMessageToUser(message);
    }

    /** The agent or the vendor ended the chat (step 7): the last callback (rule 6), then the end action. */
    public void ended() {
        typing.stop();
        LOG.info("chat={} ended by the agent", chatId);
        callback.agentEndedChat();
        end.run();
    }

    /** Turns the typing indicator off, if it is on (the connection dropped, say). */
    public void stopTyping() {
        typing.stop();
    }

    /** Forgets the typing indicator without a callback: the chat is over for the application. */
    public void release() {
        typing.release();
    }
}

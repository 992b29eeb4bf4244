package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.DriverHookMissing;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The conformance kit's hand on the Genesys side of web messaging chats: the {@link WebMessagingSimulator}.
 *
 * <p>Web messaging identifies an agent to the guest only by the name and picture in {@code channel.from}, so an
 * agent's profile id is its nickname. Two kit hooks have no web messaging counterpart and are left missing: Genesys
 * sends no event when an agent starts a transfer or leaves without ending (the desk reports a transfer when the next
 * agent shows up, which this module's own tests cover).
 */
final class WebMessagingAgentDriver implements AgentDriver {
    private final WebMessagingSimulator simulator;
    private final Duration typingDuration;

    WebMessagingAgentDriver(WebMessagingSimulator simulator, Duration typingDuration) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.typingDuration = requireNonNull(typingDuration, "typingDuration is null");
    }

    @Override
    public void rejectNextChat() {
        simulator.rejectNextSession(403);
    }

    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        return new Chat(simulator.awaitSession(timeout));
    }

    @Override
    public void close() {
        simulator.close();
    }

    private final class Chat implements AgentSideChat {
        private final SimulatedWebMessagingSession session;

        Chat(SimulatedWebMessagingSession session) {
            this.session = session;
        }

        @Override
        public String id() {
            return session.token();
        }

        @Override
        public void agentJoins(AgentProfile agent) {
            session.agentJoins(agent.nickname(), agent.avatarUrl().map(URI::toString));
        }

        @Override
        public void agentTypes() {
            session.agentTypes(typingDuration.toMillis());
        }

        @Override
        public String agentSends(String text) {
            return session.agentSends(text);
        }

        @Override
        public void agentReads() {
            session.agentReads();
        }

        @Override
        public void transferTo(AgentProfile nextAgent) {
            throw new DriverHookMissing("AgentSideChat.transferTo");
        }

        @Override
        public void agentLeaves() {
            throw new DriverHookMissing("AgentSideChat.agentLeaves");
        }

        @Override
        public void agentEndsChat() {
            session.agentEnds();
        }

        @Override
        public void dropConnection() {
            session.dropConnection();
        }

        @Override
        public void restoreConnection() {
            session.restoreConnection();
        }

        @Override
        public void failNextUserMessage() {
            session.failNextMessage(400, "Request failed.");
        }

        @Override
        public List<String> userMessages() {
            return session.userTexts();
        }

        @Override
        public int userTypingCount() {
            return session.userTypingCount();
        }

        @Override
        public boolean endedByUser() {
            return session.endedByUser();
        }
    }
}

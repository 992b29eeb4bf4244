package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.ReceivedFile;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;

/**
 * The conformance kit's hand on the example desk's vendor side: every hook acts on the runtime's
 * {@link ExampleContactCenter}, as the simulated agent does.
 */
final class ExampleAgentDriver implements AgentDriver {
    private ExampleContactCenter center;
    private final Set<String> handedOut = new HashSet<>();

    @Override
    public void attach(Deskbridge runtime) {
        center = runtime.getInstance(ExampleContactCenter.class);
    }

    /** The contact center of the attached runtime. */
    ExampleContactCenter center() {
        if (center == null) {
            throw new IllegalStateException("the driver is not attached to a runtime yet");
        }
        return center;
    }

    @Override
    public void setAgentsOnline(boolean online) {
        center().setAgentsOnline(online);
    }

    @Override
    public void rejectNextChat() {
        center().refuseNextChat();
    }

    /** The example contact center shows an agent the user's name but records no language. */
    @Override
    public boolean vendorKeepsLocale() {
        return false;
    }

    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        // The contact center records a chat during openChat, on the caller's thread: no virtual time needs to pass.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String chat : center().chats()) {
                if (handedOut.add(chat)) {
                    return new Chat(chat);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new chat reached the example contact center within " + timeout.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /** One chat at the contact center. */
    private final class Chat implements AgentSideChat {
        private final String id;

        Chat(String id) {
            this.id = requireNonNull(id, "id is null");
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
            center().setQueueStatus(id, positionInQueue, estimatedWait);
        }

        @Override
        public void agentJoins(AgentProfile agent) {
            center().agentJoins(id, agent(agent));
        }

        @Override
        public void agentTypes() {
            center().agentTyping(id, true);
        }

        @Override
        public String agentSends(String text) {
            return center().agentSends(id, text);
        }

        @Override
        public void agentReads() {
            center().agentReads(id);
        }

        @Override
        public void transferTo(AgentProfile nextAgent) {
            center().transfer(id, Optional.of(agent(nextAgent)));
        }

        @Override
        public void agentLeaves() {
            center().agentLeaves(id);
        }

        @Override
        public void agentEndsChat() {
            center().agentEnds(id);
        }

        @Override
        public void dropConnection() {
            center().dropConnection(id);
        }

        @Override
        public void restoreConnection() {
            center().restoreConnection(id);
        }

        @Override
        public void failNextUserMessage() {
            center().failNextUserMessage(id);
        }

        @Override
        public List<String> userMessages() {
            return center().userMessages(id);
        }

        @Override
        public int userTypingCount() {
            return center().userTypingCount(id);
        }

        @Override
        public int userReadCount() {
            return center().userReadCount(id);
        }

        @Override
        public Optional<String> userName() {
            return center().userName(id);
        }

        @Override
        public List<ReceivedFile> userFiles() {
            return center().userFiles(id).stream()
                    .map(file -> new ReceivedFile(file.fileName(), file.contentType(), file.content())).toList();
        }

        @Override
        public boolean endedByUser() {
            return center().endedByUser(id);
        }

        private ExampleContactCenter.Agent agent(AgentProfile profile) {
            return new ExampleContactCenter.Agent(profile.id(), profile.nickname(), profile.avatarUrl());
        }
    }
}

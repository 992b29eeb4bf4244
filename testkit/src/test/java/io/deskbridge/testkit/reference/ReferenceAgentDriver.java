package io.deskbridge.testkit.reference;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.DriverHookMissing;
import io.deskbridge.testkit.ReceivedFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Plays the agents of the {@link FakeContactCenter} for the kit. {@code missingHooks} names hooks (as
 * {@code "AgentSideChat.transferTo"}) it pretends not to implement, to test how the kit skips.
 */
public final class ReferenceAgentDriver implements AgentDriver {

    private final Set<String> missingHooks;
    private FakeContactCenter vendor;

    public ReferenceAgentDriver() {
        this(Set.of());
    }

    public ReferenceAgentDriver(Set<String> missingHooks) {
        this.missingHooks = Set.copyOf(missingHooks);
    }

    @Override
    public void attach(Deskbridge runtime) {
        vendor = runtime.getInstance(FakeContactCenter.class);
    }

    private void hook(String name) {
        if (missingHooks.contains(name)) {
            throw new DriverHookMissing(name);
        }
    }

    @Override
    public void setAgentsOnline(boolean online) {
        hook("AgentDriver.setAgentsOnline");
        vendor.setAgentsOnline(online);
    }

    @Override
    public void rejectNextChat() {
        hook("AgentDriver.rejectNextChat");
        vendor.rejectNextChat();
    }

    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        try {
            FakeContactCenter.Chat chat = vendor.nextOpened(timeout)
                    .orElseThrow(() -> new AssertionError("no chat reached the contact center within " + timeout.toMillis() + " ms"));
            return new Side(chat);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a chat", e);
        }
    }

    /** One vendor chat, as its agents act on it. */
    private final class Side implements AgentSideChat {
        private final FakeContactCenter.Chat chat;

        Side(FakeContactCenter.Chat chat) {
            this.chat = requireNonNull(chat, "chat is null");
        }

        @Override
        public String id() {
            return chat.id();
        }

        @Override
        public void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
            hook("AgentSideChat.setQueueStatus");
            chat.append(FakeContactCenter.Kind.QUEUE, Optional.empty(), Optional.empty(), positionInQueue, estimatedWait);
        }

        @Override
        public void agentJoins(AgentProfile agent) {
            chat.append(FakeContactCenter.Kind.JOINED, Optional.of(agent), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public void agentTypes() {
            chat.append(FakeContactCenter.Kind.TYPING, chat.agent(), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public String agentSends(String text) {
            synchronized (chat) {
                chat.append(FakeContactCenter.Kind.MESSAGE, chat.agent(), Optional.of(text), OptionalInt.empty(), Optional.empty());
                return chat.lastMessageId();
            }
        }

        @Override
        public void agentReads() {
            hook("AgentSideChat.agentReads");
            chat.append(FakeContactCenter.Kind.READ, chat.agent(), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public void transferTo(AgentProfile nextAgent) {
            hook("AgentSideChat.transferTo");
            chat.append(FakeContactCenter.Kind.TRANSFER, Optional.of(nextAgent), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public void agentLeaves() {
            hook("AgentSideChat.agentLeaves");
            chat.append(FakeContactCenter.Kind.LEFT, chat.agent(), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public void agentEndsChat() {
            chat.append(FakeContactCenter.Kind.ENDED, chat.agent(), Optional.empty(), OptionalInt.empty(), Optional.empty());
        }

        @Override
        public void dropConnection() {
            hook("AgentSideChat.dropConnection");
            chat.dropConnection();
        }

        @Override
        public void restoreConnection() {
            hook("AgentSideChat.restoreConnection");
            chat.restoreConnection();
        }

        @Override
        public void failNextUserMessage() {
            hook("AgentSideChat.failNextUserMessage");
            chat.failNextUserMessage();
        }

        @Override
        public List<String> userMessages() {
            return chat.userMessages();
        }

        @Override
        public int userTypingCount() {
            hook("AgentSideChat.userTypingCount");
            return chat.userTypingCount();
        }

        @Override
        public int userReadCount() {
            hook("AgentSideChat.userReadCount");
            return chat.userReadCount();
        }

        @Override
        public Optional<String> userName() {
            hook("AgentSideChat.userName");
            return chat.userName();
        }

        @Override
        public Optional<String> userLocale() {
            hook("AgentSideChat.userLocale");
            return chat.userLocale();
        }

        @Override
        public List<ReceivedFile> userFiles() {
            hook("AgentSideChat.userFiles");
            return chat.userFiles();
        }

        @Override
        public boolean endedByUser() {
            return chat.endedByUser();
        }
    }
}

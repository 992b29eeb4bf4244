package io.deskbridge.desk.template;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.desk.template.fake.FakeConversation;
import io.deskbridge.desk.template.fake.FakeTemplateVendor;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.ReceivedFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The conformance kit's hand on the template vendor: every hook of {@link AgentDriver} and {@link AgentSideChat},
 * played on the {@link FakeTemplateVendor} of the runtime under test.
 */
final class FakeTemplateVendorDriver implements AgentDriver {
    private FakeTemplateVendor vendor;

    @Override
    public void attach(Deskbridge runtime) {
        vendor = runtime.getInstance(FakeTemplateVendor.class);
    }

    @Override
    public void setAgentsOnline(boolean online) {
        vendor().setAgentsOnline(online ? 1 : 0);
    }

    @Override
    public void rejectNextChat() {
        vendor().rejectNextConversation();
    }

    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        FakeConversation conversation = vendor().awaitConversation(timeout)
                .orElseThrow(() -> new AssertionError("no conversation was opened at the template vendor within " + timeout.toMillis() + " ms"));
        return new AgentSide(conversation);
    }

    private FakeTemplateVendor vendor() {
        if (vendor == null) {
            throw new IllegalStateException("the driver is not attached to a runtime");
        }
        return vendor;
    }

    /** One conversation, as the agents see it. */
    private static final class AgentSide implements AgentSideChat {
        private final FakeConversation conversation;

        AgentSide(FakeConversation conversation) {
            this.conversation = requireNonNull(conversation, "conversation is null");
        }

        @Override
        public String id() {
            return conversation.id();
        }

        @Override
        public void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
            conversation.setQueueStatus(positionInQueue, estimatedWait);
        }

        @Override
        public void agentJoins(AgentProfile agent) {
            conversation.agentJoins(agent.id(), agent.nickname(), agent.avatarUrl());
        }

        @Override
        public void agentTypes() {
            conversation.agentTypes();
        }

        @Override
        public String agentSends(String text) {
            return conversation.agentSends(text);
        }

        @Override
        public void agentReads() {
            conversation.agentReads();
        }

        @Override
        public void transferTo(AgentProfile nextAgent) {
            conversation.transferTo(nextAgent.id(), nextAgent.nickname(), nextAgent.avatarUrl());
        }

        @Override
        public void agentLeaves() {
            conversation.agentLeaves();
        }

        @Override
        public void agentEndsChat() {
            conversation.agentEnds();
        }

        @Override
        public void dropConnection() {
            conversation.dropConnection();
        }

        @Override
        public void restoreConnection() {
            conversation.restoreConnection();
        }

        @Override
        public void failNextUserMessage() {
            conversation.failNextCustomerMessage();
        }

        @Override
        public List<String> userMessages() {
            return conversation.customerMessages();
        }

        @Override
        public int userTypingCount() {
            return conversation.customerTypingCount();
        }

        @Override
        public int userReadCount() {
            return conversation.customerReadCount();
        }

        @Override
        public Optional<String> userName() {
            return conversation.customerDetails().displayName();
        }

        @Override
        public Optional<String> userLocale() {
            return conversation.customerDetails().locale();
        }

        /** The template vendor keeps a file's name and bytes, not its media type. */
        @Override
        public List<ReceivedFile> userFiles() {
            List<String> names = conversation.customerAttachments();
            List<byte[]> contents = conversation.customerAttachmentContents();
            return IntStream.range(0, Math.min(names.size(), contents.size()))
                    .mapToObj(i -> new ReceivedFile(names.get(i), "", contents.get(i))).toList();
        }

        @Override
        public boolean endedByUser() {
            return conversation.endedByCustomer();
        }
    }
}

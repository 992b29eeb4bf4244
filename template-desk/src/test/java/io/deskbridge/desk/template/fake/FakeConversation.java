package io.deskbridge.desk.template.fake;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.SerialExecutor;
import io.deskbridge.desk.template.vendor.CustomerDetails;
import io.deskbridge.desk.template.vendor.OpenConversation;
import io.deskbridge.desk.template.vendor.TemplateVendorException;
import io.deskbridge.desk.template.vendor.VendorConnection;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorConversationStatus;
import io.deskbridge.desk.template.vendor.VendorEvent;
import io.deskbridge.desk.template.vendor.VendorEventListener;
import io.deskbridge.desk.template.vendor.VendorMessage;
import io.deskbridge.desk.template.vendor.VendorParticipant;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

/**
 * One conversation at the {@link FakeTemplateVendor}, with the agent-side actions a test performs. Each action
 * returns once the vendor performed it; the desk sees the resulting event later, on the vendor's "I/O" thread.
 * Thread-safe.
 */
public final class FakeConversation {

    private final VendorConversation handle;
    private final OpenConversation request;
    private final Clock clock;
    private final Executor io;
    private final VendorParticipant customer;

    // Guarded by this.
    private final List<VendorMessage> history = new ArrayList<>();
    private final Map<String, VendorMessage> postedByClientId = new HashMap<>();
    private final List<String> attachments = new ArrayList<>();
    private final List<byte[]> attachmentContents = new ArrayList<>();
    private CustomerDetails customerDetails;
    private Optional<VendorParticipant> agent = Optional.empty();
    private final List<Stream> streams = new ArrayList<>();
    private boolean dropped;
    private boolean ended;
    private boolean endedByCustomer;
    private boolean failNextCustomerMessage;
    private int customerTypingCount;
    private int customerReadCount;
    private long nextMessage;

    FakeConversation(VendorConversation handle, OpenConversation request, Clock clock, Executor io) {
        this.handle = requireNonNull(handle, "handle is null");
        this.request = requireNonNull(request, "request is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.io = requireNonNull(io, "io is null");
        this.customer = new VendorParticipant("customer-" + handle.id(), VendorParticipant.Role.CUSTOMER,
                request.customer().displayName().orElse("Customer"), Optional.empty());
        this.customerDetails = request.customer();
    }

    /** The vendor's id of the conversation. */
    public String id() {
        return handle.id();
    }

    /** What the desk asked for when it opened the conversation (queue, customer, verified id, attributes). */
    public OpenConversation request() {
        return request;
    }

    // ---- Agent-side actions.

    /** Updates the queue position and estimated wait the customer is told about. */
    public synchronized void setQueueStatus(OptionalInt position, Optional<Duration> estimatedWait) {
        emit(new VendorEvent.QueueUpdated(position, estimatedWait));
    }

    /** An agent accepts the conversation, or joins it after a transfer. */
    public synchronized void agentJoins(String agentId, String name, Optional<URI> avatarUrl) {
        requireOpen();
        VendorParticipant joining = new VendorParticipant(agentId, VendorParticipant.Role.AGENT, name, avatarUrl);
        agent = Optional.of(joining);
        emit(new VendorEvent.ParticipantJoined(joining));
    }

    /** The agent in the conversation is typing (an indication that lapses; there is no "stopped"). */
    public synchronized void agentTypes() {
        emit(new VendorEvent.Typing(requireAgent()));
    }

    /** The agent posts a message; returns the vendor's id of it. */
    public synchronized String agentSends(String text) {
        requireNonNull(text, "text is null");
        return post(requireAgent(), text).id();
    }

    /** A bot on the vendor's side posts a message; returns the vendor's id of it. */
    public synchronized String botSends(String text) {
        requireNonNull(text, "text is null");
        return post(new VendorParticipant("bot", VendorParticipant.Role.BOT, "Bot", Optional.empty()), text).id();
    }

    /** The agent read the customer's messages. */
    public synchronized void agentReads() {
        emit(new VendorEvent.Read(requireAgent()));
    }

    /**
     * The agent transfers the conversation to another agent, who is known but has not joined; the transferring agent
     * leaves, as at most vendors. Call {@link #agentJoins} for the new agent.
     */
    public synchronized void transferTo(String agentId, String name, Optional<URI> avatarUrl) {
        VendorParticipant leaving = requireAgent();
        emit(new VendorEvent.TransferStarted(Optional.of(new VendorParticipant(agentId, VendorParticipant.Role.AGENT, name, avatarUrl))));
        agent = Optional.empty();
        emit(new VendorEvent.ParticipantLeft(leaving));
    }

    /** The agent leaves without ending the conversation. */
    public synchronized void agentLeaves() {
        VendorParticipant leaving = requireAgent();
        agent = Optional.empty();
        emit(new VendorEvent.ParticipantLeft(leaving));
    }

    /** The agent ends the conversation. */
    public synchronized void agentEnds() {
        requireOpen();
        ended = true;
        agent = Optional.empty();
        emit(new VendorEvent.ConversationEnded());
        streams.clear();
    }

    /**
     * The event stream drops: the client reports {@link VendorEvent.ConnectionLost} and every event until
     * {@link #restoreConnection()} is lost (messages stay in the history); reconnecting fails meanwhile.
     */
    public synchronized void dropConnection() {
        if (dropped) {
            return;
        }
        streams.forEach(stream -> stream.deliver(new VendorEvent.ConnectionLost("the vendor closed the stream")));
        dropped = true;
    }

    /** The vendor accepts the stream again: a client that was reconnecting reports {@link VendorEvent.ConnectionRestored}. */
    public synchronized void restoreConnection() {
        if (!dropped) {
            return;
        }
        dropped = false;
        streams.forEach(stream -> stream.deliver(new VendorEvent.ConnectionRestored()));
    }

    /** The vendor refuses the customer's next message (HTTP 400). */
    public synchronized void failNextCustomerMessage() {
        failNextCustomerMessage = true;
    }

    /** The texts the customer posted, in order (each once, however often the desk retried). */
    public synchronized List<String> customerMessages() {
        return history.stream().filter(m -> m.sender().role() == VendorParticipant.Role.CUSTOMER).map(VendorMessage::text).toList();
    }

    /** The names of the files the customer uploaded, in order. */
    public synchronized List<String> customerAttachments() {
        return List.copyOf(attachments);
    }

    /** The bytes of the files the customer uploaded, in the order of {@link #customerAttachments()}. */
    public synchronized List<byte[]> customerAttachmentContents() {
        return attachmentContents.stream().map(byte[]::clone).toList();
    }

    /** What the agent sees of the customer now. */
    public synchronized CustomerDetails customerDetails() {
        return customerDetails;
    }

    /** How many typing indications the customer sent. */
    public synchronized int customerTypingCount() {
        return customerTypingCount;
    }

    /** How many read receipts the customer sent. */
    public synchronized int customerReadCount() {
        return customerReadCount;
    }

    /** Whether the customer's side ended the conversation. */
    public synchronized boolean endedByCustomer() {
        return endedByCustomer;
    }

    /** Whether the conversation ended, by either side. */
    public synchronized boolean ended() {
        return ended;
    }

    /** How many clients have the conversation's event stream open (0 while the connection is dropped). */
    public synchronized int connections() {
        return dropped ? 0 : streams.size();
    }

    // ---- Customer-side calls, from FakeTemplateVendor.

    synchronized VendorConnection connect(VendorEventListener listener) {
        if (ended) {
            throw new TemplateVendorException(410, "conversation " + id() + " has ended");
        }
        if (dropped) {
            throw new TemplateVendorException(0, "connection refused");
        }
        Stream opened = new Stream(listener);
        streams.add(opened);
        return () -> {
            synchronized (FakeConversation.this) {
                streams.remove(opened);
            }
        };
    }

    synchronized VendorMessage customerSends(String clientMessageId, String text, List<String> attachmentIds) {
        VendorMessage posted = postedByClientId.get(clientMessageId);
        if (posted != null) {
            return posted;
        }
        if (ended) {
            throw new TemplateVendorException(409, "conversation " + id() + " has ended");
        }
        if (failNextCustomerMessage) {
            failNextCustomerMessage = false;
            throw new TemplateVendorException(400, "the vendor refused the message");
        }
        for (String attachmentId : attachmentIds) {
            if (!attachments.contains(attachmentId)) {
                throw new TemplateVendorException(400, "unknown attachment " + attachmentId);
            }
        }
        posted = post(customer, text);
        postedByClientId.put(clientMessageId, posted);
        return posted;
    }

    synchronized String customerUploads(String fileName, byte[] content) {
        requireOpen();
        attachments.add(fileName);
        attachmentContents.add(content.clone());
        return fileName;
    }

    synchronized void customerTypes() {
        requireOpen();
        customerTypingCount++;
        emit(new VendorEvent.Typing(customer));
    }

    synchronized void customerReads() {
        requireOpen();
        customerReadCount++;
        emit(new VendorEvent.Read(customer));
    }

    synchronized void customerUpdated(CustomerDetails details) {
        requireOpen();
        customerDetails = details;
    }

    synchronized void customerEnds() {
        if (!ended) {
            ended = true;
            endedByCustomer = true;
            agent = Optional.empty();
        }
        streams.clear();
    }

    synchronized VendorConversationStatus status() {
        return new VendorConversationStatus(ended, agent);
    }

    synchronized List<VendorMessage> messagesAfter(Optional<String> afterMessageId) {
        int from = 0;
        if (afterMessageId.isPresent()) {
            from = -1;
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).id().equals(afterMessageId.get())) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                throw new TemplateVendorException(400, "no message " + afterMessageId.get() + " in conversation " + id());
            }
        }
        return List.copyOf(history.subList(from, history.size()));
    }

    VendorConversation handle() {
        return handle;
    }

    private VendorMessage post(VendorParticipant sender, String text) {
        requireOpen();
        VendorMessage message = new VendorMessage(id() + "-m" + (++nextMessage), sender, text, clock.instant());
        history.add(message);
        emit(new VendorEvent.MessagePosted(message));
        return message;
    }

    private void emit(VendorEvent event) {
        if (!dropped) {
            streams.forEach(stream -> stream.deliver(event));
        }
    }

    private void requireOpen() {
        if (ended) {
            throw new TemplateVendorException(409, "conversation " + id() + " has ended");
        }
    }

    private VendorParticipant requireAgent() {
        requireOpen();
        return agent.orElseThrow(() -> new IllegalStateException("no agent is in conversation " + id()));
    }

    /** One open event stream: delivers in order, one at a time, off the caller's thread. */
    private final class Stream {
        private final VendorEventListener listener;
        private final SerialExecutor serial;

        Stream(VendorEventListener listener) {
            this.listener = listener;
            this.serial = new SerialExecutor(io);
        }

        void deliver(VendorEvent event) {
            serial.execute(() -> listener.onEvent(event));
        }
    }
}

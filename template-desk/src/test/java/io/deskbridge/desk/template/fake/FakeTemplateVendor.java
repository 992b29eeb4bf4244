package io.deskbridge.desk.template.fake;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.deskbridge.desk.template.vendor.CustomerDetails;
import io.deskbridge.desk.template.vendor.OpenConversation;
import io.deskbridge.desk.template.vendor.TemplateVendorClient;
import io.deskbridge.desk.template.vendor.TemplateVendorException;
import io.deskbridge.desk.template.vendor.VendorConnection;
import io.deskbridge.desk.template.vendor.VendorConversation;
import io.deskbridge.desk.template.vendor.VendorConversationStatus;
import io.deskbridge.desk.template.vendor.VendorEventListener;
import io.deskbridge.desk.template.vendor.VendorMessage;
import io.deskbridge.spi.FileUpload;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The template vendor, in memory: the customer side ({@link TemplateVendorClient}, which the desk calls) and the
 * agent side ({@link #awaitConversation(Duration)} and {@link FakeConversation}, which tests call to act as agents).
 * One instance serves every chat of a process. Thread-safe; calls complete on the shared worker pool, as a real
 * client's calls complete on its I/O threads.
 */
@Singleton
public final class FakeTemplateVendor implements TemplateVendorClient {

    private final Clock clock;
    private final ExecutorService io;
    private final Map<String, FakeConversation> conversations = new ConcurrentHashMap<>();
    private final BlockingQueue<FakeConversation> opened = new LinkedBlockingQueue<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicInteger agentsOnline = new AtomicInteger(1);
    private final AtomicBoolean rejectNextConversation = new AtomicBoolean();

    @Inject
    public FakeTemplateVendor(Clock clock, ExecutorService io) {
        this.clock = requireNonNull(clock, "clock is null");
        this.io = requireNonNull(io, "io is null");
    }

    // ---- The agent side: what a test (or a person trying the desk) does as the contact center.

    /**
     * The next conversation a desk opened, in the order they were opened, each once; empty if none was opened
     * within {@code timeout}.
     */
    public Optional<FakeConversation> awaitConversation(Duration timeout) {
        try {
            return Optional.ofNullable(opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sets how many agents are logged in (what {@link #agentsOnline(String)} answers for every queue). */
    public void setAgentsOnline(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count is negative: " + count);
        }
        agentsOnline.set(count);
    }

    /** The next {@link #openConversation} fails as an unavailable vendor would (HTTP 503). */
    public void rejectNextConversation() {
        rejectNextConversation.set(true);
    }

    // ---- The customer side: what the desk calls.

    @Override
    public CompletionStage<VendorConversation> openConversation(OpenConversation request) {
        requireNonNull(request, "request is null");
        return async(() -> {
            if (rejectNextConversation.getAndSet(false)) {
                throw new TemplateVendorException(503, "the vendor is not accepting conversations now");
            }
            String id = "conv-" + nextId.incrementAndGet();
            VendorConversation handle = new VendorConversation(id, UUID.randomUUID().toString());
            FakeConversation conversation = new FakeConversation(handle, request, clock, io);
            conversations.put(id, conversation);
            opened.add(conversation);
            return handle;
        });
    }

    @Override
    public CompletionStage<VendorConnection> connect(VendorConversation conversation, VendorEventListener listener) {
        requireNonNull(listener, "listener is null");
        return async(() -> find(conversation).connect(listener));
    }

    @Override
    public CompletionStage<VendorMessage> sendMessage(VendorConversation conversation, String clientMessageId, String text,
            List<String> attachmentIds) {
        requireNonNull(clientMessageId, "clientMessageId is null");
        requireNonNull(text, "text is null");
        List<String> attachments = List.copyOf(attachmentIds);
        return async(() -> find(conversation).customerSends(clientMessageId, text, attachments));
    }

    @Override
    public CompletionStage<String> uploadAttachment(VendorConversation conversation, FileUpload file) {
        requireNonNull(file, "file is null");
        return async(() -> {
            FakeConversation target = find(conversation);
            byte[] content;
            try (InputStream in = file.content().open()) {
                content = in.readAllBytes();
            } catch (IOException e) {
                throw new TemplateVendorException(400, "cannot read " + file.fileName() + ": " + e.getMessage());
            }
            return target.customerUploads(file.fileName(), content);
        });
    }

    @Override
    public CompletionStage<Void> sendTyping(VendorConversation conversation) {
        return async(() -> {
            find(conversation).customerTypes();
            return null;
        });
    }

    @Override
    public CompletionStage<Void> markRead(VendorConversation conversation) {
        return async(() -> {
            find(conversation).customerReads();
            return null;
        });
    }

    @Override
    public CompletionStage<Void> updateCustomer(VendorConversation conversation, CustomerDetails customer) {
        requireNonNull(customer, "customer is null");
        return async(() -> {
            find(conversation).customerUpdated(customer);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> endConversation(VendorConversation conversation) {
        return async(() -> {
            find(conversation).customerEnds();
            return null;
        });
    }

    @Override
    public CompletionStage<VendorConversationStatus> fetchConversation(VendorConversation conversation) {
        return async(() -> find(conversation).status());
    }

    @Override
    public CompletionStage<List<VendorMessage>> fetchMessagesAfter(VendorConversation conversation, Optional<String> afterMessageId) {
        requireNonNull(afterMessageId, "afterMessageId is null");
        return async(() -> find(conversation).messagesAfter(afterMessageId));
    }

    @Override
    public CompletionStage<Integer> agentsOnline(String queue) {
        requireNonNull(queue, "queue is null");
        return async(agentsOnline::get);
    }

    private FakeConversation find(VendorConversation handle) {
        requireNonNull(handle, "conversation is null");
        FakeConversation conversation = conversations.get(handle.id());
        if (conversation == null) {
            throw new TemplateVendorException(404, "no conversation " + handle.id());
        }
        if (!conversation.handle().token().equals(handle.token())) {
            throw new TemplateVendorException(401, "the token does not authorise conversation " + handle.id());
        }
        return conversation;
    }

    private <T> CompletionStage<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, io);
    }
}

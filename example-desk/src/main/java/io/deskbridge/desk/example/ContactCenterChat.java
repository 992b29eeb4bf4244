package io.deskbridge.desk.example;

import io.deskbridge.core.SerialExecutor;
import io.deskbridge.desk.example.ContactCenterTypes.Agent;
import io.deskbridge.desk.example.ContactCenterTypes.Attachment;
import io.deskbridge.desk.example.ContactCenterTypes.Listener;
import io.deskbridge.desk.example.ContactCenterTypes.RequestRefused;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat of the {@link ExampleContactCenter}: its history of events and what the user sent. Every field but the
 * final ones is guarded by the chat's monitor; the chat's {@link #lane} is where the contact center answers, in the
 * order things happened.
 */
final class ContactCenterChat {
    private static final Logger LOG = LoggerFactory.getLogger(ContactCenterChat.class);

    final String id;
    final SerialExecutor lane;
    final List<ContactCenterEvent> history = new ArrayList<>();
    final Map<String, String> userMessageIds = new HashMap<>();
    final List<String> userTexts = new ArrayList<>();
    final List<Attachment> userFiles = new ArrayList<>();
    long nextSequence = 1;
    Listener listener;
    boolean reachable = true;
    boolean endedByUser;
    boolean endedByAgent;
    boolean failNextUserMessage;
    Optional<Agent> agent = Optional.empty();
    Optional<String> userName;
    int agentMessageCount;
    int userTypingCount;
    int userReadCount;

    ContactCenterChat(Executor scheduler, String id, Optional<String> userName) {
        this.lane = new SerialExecutor(scheduler);
        this.id = id;
        this.userName = userName;
    }

    boolean isOver() {
        return endedByUser || endedByAgent;
    }

    /**
     * A connection from after event {@code afterSequence}: the durable events after it, and the agent as of it. Holds
     * the chat's lock.
     */
    ContactCenterTypes.Opened openedAfter(long afterSequence) {
        Optional<Agent> agentThen = Optional.empty();
        boolean joined = false;
        List<ContactCenterEvent> missed = new ArrayList<>();
        for (ContactCenterEvent event : history) {
            if (event.sequence() > afterSequence) {
                missed.add(event);
            } else if (event instanceof ContactCenterEvent.AgentJoined j) {
                agentThen = Optional.of(j.agent());
                joined = true;
            } else if (event instanceof ContactCenterEvent.AgentLeft) {
                agentThen = Optional.empty();
            }
        }
        return new ContactCenterTypes.Opened(id, missed, agentThen, joined, endedByAgent);
    }

    /** Numbers the event, keeps it if durable, and sends it to the chat's connection if there is one. Holds the chat's lock. */
    void append(LongFunction<ContactCenterEvent> factory) {
        if (isOver()) {
            throw new IllegalStateException("Chat " + id + " is over");
        }
        ContactCenterEvent event = factory.apply(nextSequence++);
        if (event.durable()) {
            history.add(event);
        }
        Listener current = listener;
        if (current != null) {
            lane.execute(() -> current.onEvent(event));
        }
    }

    /**
     * Receives a user message, once per {@code clientMessageId}, refusing a text longer than {@code maxLength} and a
     * file {@code refusalOf} refuses; the agents' {@code consoles} hear of it.
     */
    synchronized CompletionStage<String> receive(String clientMessageId, String text, List<Attachment> attachments, int maxLength,
            Function<Attachment, Optional<String>> refusalOf, List<ContactCenterTypes.ConsoleListener> consoles) {
        String known = userMessageIds.get(clientMessageId);
        if (known != null) {
            return completeLater(known);
        }
        if (failNextUserMessage) {
            failNextUserMessage = false;
            return failLater(new RequestRefused(RequestRefused.Reason.UNAVAILABLE,
                    "The contact center could not take the message; try again."));
        }
        if (io.deskbridge.spi.UserMessage.length(text) > maxLength) {
            return failLater(new RequestRefused(RequestRefused.Reason.REJECTED,
                    "The message is longer than " + maxLength + " characters."));
        }
        for (Attachment file : attachments) {
            Optional<String> refusal = refusalOf.apply(file);
            if (refusal.isPresent()) {
                return failLater(new RequestRefused(RequestRefused.Reason.REJECTED, refusal.get()));
            }
        }
        String messageId = id + "-u" + (userMessageIds.size() + 1);
        userMessageIds.put(clientMessageId, messageId);
        if (!text.isBlank()) {
            userTexts.add(text);
            lane.execute(() -> consoles.forEach(c -> c.userMessage(this.id, text)));
        }
        userFiles.addAll(attachments);
        if (!attachments.isEmpty()) {
            lane.execute(() -> consoles.forEach(c -> c.userFiles(this.id, attachments)));
        }
        LOG.debug("chat={} user message {} received as {} with {} files", id, clientMessageId, messageId, attachments.size());
        return completeLater(messageId);
    }

    /** A stage that completes with {@code value} on the chat's lane, after what the contact center already sent. */
    <T> CompletionStage<T> completeLater(T value) {
        CompletableFuture<T> future = new CompletableFuture<>();
        lane.execute(() -> future.complete(value));
        return future;
    }

    /** A stage that fails with {@code failure} on the chat's lane. */
    <T> CompletionStage<T> failLater(RequestRefused failure) {
        CompletableFuture<T> future = new CompletableFuture<>();
        lane.execute(() -> future.completeExceptionally(failure));
        return future;
    }
}

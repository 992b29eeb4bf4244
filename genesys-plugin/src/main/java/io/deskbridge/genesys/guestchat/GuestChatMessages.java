package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.desk.support.IdempotentSends;
import io.deskbridge.genesys.guestchat.wire.CreateMessageRequest;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts the user's messages (and the connect summary) of one guest chat, refusing and reporting what Genesys would not take. */
final class GuestChatMessages {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatMessages.class);

    private final String chatId;
    private final GuestChatApi api;
    private final ChatLane serial;
    private final ServiceDeskCallback callback;
    private final IdempotentSends sends = new IdempotentSends();
    /** The last post, on the lane: each waits for the one before (see {@link #send}). */
    private CompletableFuture<?> lastPost = CompletableFuture.completedFuture(null);

    GuestChatMessages(String chatId, GuestChatApi api, ChatLane serial, ServiceDeskCallback callback) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.api = requireNonNull(api, "api is null");
        this.serial = requireNonNull(serial, "serial is null");
        this.callback = requireNonNull(callback, "callback is null");
    }

    /**
     * Sends a message on the lane unless it is one Genesys refuses or {@code notOpen} (asked on the lane) says why the
     * chat cannot take it; {@code session} is read once it can.
     */
    CompletionStage<Void> send(UserMessage message, Supplier<Optional<ServiceDeskException>> notOpen, Supplier<GuestSession> session) {
        // Idempotent per message id: a retry of a message being sent or accepted is not posted again.
        return sends.send(message.id(), () -> serial.call(result -> {
            Optional<ServiceDeskException> refused = refuse(message).or(notOpen);
            if (refused.isPresent()) {
                ServiceDeskException error = refused.get();
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(error.getMessage())));
                result.completeExceptionally(error);
                return;
            }
            // One post at a time, in call order: requests in flight together can reach Genesys in any order, and the
            // application may send the next message before the last one completed (the web chat does).
            GuestSession current = session.get();
            CompletableFuture<?> posted = lastPost.handle((ok, failure) -> null)
                    .thenCompose(ignored -> api.send(current, CreateMessageRequest.standard(message.text())));
            lastPost = posted;
            posted.whenCompleteAsync((ok, failure) -> {
                if (failure == null) {
                    result.complete(null);
                    return;
                }
                ServiceDeskException error = GuestChatErrors.sendFailure(failure);
                LOG.warn("chat={} message {} not delivered: {}", chatId, message.id(), error.getMessage());
                callback.setErrorStatus(new ErrorInfo.UserMessage(message.id(), error.messageToUser().orElse(GuestChatErrors.USER_NOT_SENT)));
                result.completeExceptionally(error);
            }, serial);
        }));
    }

    /** What Genesys refuses in any chat: files, and text over its limit. */
    private Optional<ServiceDeskException> refuse(UserMessage message) {
        if (!message.files().isEmpty()) {
            return Optional.of(new UnsupportedCapabilityException(GuestChatServiceDesk.NAME, Capability.FILE_UPLOADS));
        }
        int length = message.textLength();
        if (length > CreateMessageRequest.MAX_BODY_CHARACTERS) {
            return Optional.of(new ServiceDeskException(Kind.VENDOR_REJECTED, "Message " + message.id() + " has " + length
                    + " characters; Genesys accepts at most " + CreateMessageRequest.MAX_BODY_CHARACTERS,
                    "Your message is too long: please keep it under " + String.format("%,d", CreateMessageRequest.MAX_BODY_CHARACTERS)
                            + " characters.", null));
        }
        return Optional.empty();
    }

    /** Sends the connect summary as the chat's first message, cut to what Genesys accepts. */
    CompletableFuture<Void> sendConnectSummary(GuestSession session, ConnectRequest request) {
        Optional<String> summary = request.connectSummary().filter(s -> !s.isBlank());
        if (summary.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String text = summary.get();
        if (UserMessage.length(text) > CreateMessageRequest.MAX_BODY_CHARACTERS) {
            text = text.substring(0, text.offsetByCodePoints(0, CreateMessageRequest.MAX_BODY_CHARACTERS - 1)) + "…";
        }
        return api.send(session, CreateMessageRequest.standard(text)).thenApply(sent -> null);
    }
}

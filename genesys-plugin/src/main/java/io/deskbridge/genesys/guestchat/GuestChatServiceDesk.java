package io.deskbridge.genesys.guestchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.CallbackGate;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.GenesysSettings;
import io.deskbridge.genesys.guestchat.wire.CreateConversationResponse;
import io.deskbridge.genesys.guestchat.wire.MemberState;
import io.deskbridge.genesys.platform.QueueAvailabilityClient;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.DeskMetrics;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat over Genesys Cloud's guest chat API.
 *
 * <p><b>Start.</b> Creates the conversation ({@code POST /api/v2/webchat/guest/conversations}, see
 * {@link GuestChatRequests}), opens the event stream at once (Genesys routes the chat only then) and sends the
 * connect summary as the first message.
 *
 * <p><b>Events.</b> {@link GuestChatStream} keeps the event stream open (and catches up after a loss);
 * {@link GuestChatConversation} turns its frames into callbacks.
 *
 * <p><b>Threads.</b> Everything a chat does runs on its {@link ChatLane} over the shared workers; callbacks go
 * through its {@link CallbackGate}, one at a time, never inside the application's call, never after the end.
 */
final class GuestChatServiceDesk implements ServiceDesk {
    private static final Logger LOG = LoggerFactory.getLogger(GuestChatServiceDesk.class);
    static final String NAME = "Genesys Cloud guest chat";
    static final String LAST_MESSAGE_ID = "lastMessageId";

    private enum Phase { NEW, STARTING, ACTIVE, ENDING, ENDED }

    private final String chatId;
    private final ServiceDeskCallback application;
    private final Optional<PersistedState> resumeFrom;
    private final GuestChatRuntime runtime;
    private final GenesysSettings settings;
    private final GuestChatApi api;
    private final ChatLane serial;
    private final Set<Capability> capabilities;
    private final CallbackGate callback;
    private final GuestChatStream stream;
    private final GuestChatMembers members;
    private final GuestChatMessages messages;

    // Confined to the serial executor.
    private Phase phase = Phase.NEW;
    private ChatState chatState = ChatState.empty();
    private GuestSession session;
    private GuestChatConversation conversation;
    private PersistedState persisted = PersistedState.empty();
    private CompletableFuture<Void> startResult;
    private CompletableFuture<Void> endResult;
    private final DeskMetrics metrics;
    private QueueAvailabilityClient.QueueWatch availabilityWatch;
    private long lastTypingPostNanos;
    private boolean typingPosted;

    GuestChatServiceDesk(DeskContext context, GuestChatRuntime runtime, Set<Capability> capabilities) {
        this.chatId = context.chatId();
        this.metrics = context.metrics();
        this.application = context.callback();
        this.resumeFrom = context.persistedState();
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.settings = runtime.settings();
        this.api = runtime.api();
        this.serial = new ChatLane(context.chatId(), runtime.workers(), runtime.scheduler());
        this.capabilities = Set.copyOf(capabilities);
        this.callback = new CallbackGate(chatId, application, serial);
        this.members = new GuestChatMembers(api, () -> session);
        this.messages = new GuestChatMessages(chatId, api, serial, callback);
        this.stream = new GuestChatStream(chatId, runtime, serial, callback, new StreamedChat(), metrics);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Start

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        requireNonNull(request, "request is null");
        requireNonNull(options, "options is null");
        return serial.<Void>call(result -> {
            if (phase != Phase.NEW) {
                result.completeExceptionally(new IllegalStateException("chat " + chatId + " already started: a new chat needs a new desk"));
                return;
            }
            phase = Phase.STARTING;
            startResult = result;
            LOG.info("chat={} starting a Genesys guest chat in queue '{}'", chatId, settings.queueName());
            GuestChatRequests.memberAuthToken(settings, runtime.platform(), options)
                    .thenCompose(token -> api.createConversation(GuestChatRequests.create(settings, chatId, chatState, request, options, token)))
                    .thenComposeAsync(created -> {
                        sessionCreated(created);
                        return stream.openForStart(0);
                    }, serial)
                    .thenComposeAsync(opened -> messages.sendConnectSummary(session, request), serial)
                    .whenCompleteAsync((ignored, failure) -> startSettled(result, failure), serial);
        });
    }

    private void sessionCreated(CreateConversationResponse created) {
        java.net.URI streamUri;
        try {
            streamUri = new java.net.URI(created.eventStreamUri());
        } catch (java.net.URISyntaxException e) {
            throw new ServiceDeskException(Kind.VENDOR_REJECTED, "Genesys returned an unusable eventStreamUri: " + e.getMessage(), e);
        }
        session = new GuestSession(created.id(), created.member().id(), created.jwt(), streamUri);
        conversation = newConversation(Optional.empty());
        LOG.info("chat={} Genesys conversation {} created (guest member {})", chatId, session.conversationId(), session.memberId());
        persisted = session.writeTo(PersistedState.empty());
        callback.updatePersistedState(persisted);
    }

    private void startSettled(CompletableFuture<Void> result, Throwable failure) {
        if (failure == null) {
            if (phase == Phase.STARTING) {
                phase = Phase.ACTIVE;
            }
            if (phase == Phase.ACTIVE && !conversation.anyAgentJoined() && !conversation.isEnded()) {
                startAvailability();
            }
            LOG.info("chat={} queued at Genesys", chatId);
            result.complete(null);
            return;
        }
        ServiceDeskException error = GuestChatErrors.startFailure(failure, settings.queueName());
        LOG.warn("chat={} could not start: {}", chatId, error.getMessage());
        if (conversation == null || !conversation.anyAgentJoined()) {
            callback.setErrorStatus(new ErrorInfo.Connecting(error.messageToUser()));
        }
        callback.close();
        GuestSession created = session;
        release();
        phase = Phase.ENDED;
        if (created != null) {
            // Do not leave a conversation nobody will answer in the queue.
            api.leave(created).whenComplete((ok, leaveFailure) -> {
                if (leaveFailure != null) {
                    LOG.debug("chat={} could not remove the failed chat's guest: {}", chatId, leaveFailure.getMessage());
                }
            });
        }
        result.completeExceptionally(error);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resume

    @Override
    public CompletionStage<Boolean> reconnect() {
        return serial.<Boolean>call(result -> {
            if (phase != Phase.NEW) {
                result.completeExceptionally(new IllegalStateException("chat " + chatId + " already started: a new chat needs a new desk"));
                return;
            }
            Optional<GuestSession> saved = resumeFrom.flatMap(GuestSession::readFrom);
            if (saved.isEmpty()) {
                LOG.info("chat={} has no Genesys guest chat to resume", chatId);
                phase = Phase.ENDED;
                callback.close();
                result.complete(false);
                return;
            }
            phase = Phase.STARTING;
            session = saved.get();
            persisted = resumeFrom.get();
            conversation = newConversation(persisted.get(LAST_MESSAGE_ID));
            api.member(session, session.memberId()).handleAsync((guest, failure) -> {
                if (failure != null && !GuestChatErrors.isChatOver(failure) && !GuestChatErrors.isUnauthorized(failure)) {
                    throw new java.util.concurrent.CompletionException(CompletionFailures.unwrap(failure));
                }
                return failure == null && guest.state() != MemberState.DISCONNECTED;
            }, serial).thenComposeAsync(alive -> {
                if (!alive) {
                    return CompletableFuture.completedFuture(false);
                }
                stream.hold();
                return stream.open().thenComposeAsync(opened -> stream.catchUp(), serial).thenApply(caughtUp -> true);
            }, serial).whenCompleteAsync((alive, failure) -> {
                if (failure != null) {
                    ServiceDeskException error = GuestChatErrors.startFailure(failure, settings.queueName());
                    LOG.warn("chat={} could not resume: {}", chatId, error.getMessage());
                    callback.close();
                    release();
                    phase = Phase.ENDED;
                    result.completeExceptionally(error);
                } else if (!alive || conversation.isEnded()) {
                    LOG.info("chat={} Genesys conversation {} is over; nothing to resume", chatId, session.conversationId());
                    callback.close();
                    release();
                    phase = Phase.ENDED;
                    result.complete(false);
                } else {
                    phase = Phase.ACTIVE;
                    LOG.info("chat={} resumed Genesys conversation {}", chatId, session.conversationId());
                    if (!conversation.anyAgentJoined()) {
                        startAvailability();
                    }
                    result.complete(true);
                }
            }, serial);
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // The event stream

    private GuestChatConversation newConversation(Optional<String> lastMessageId) {
        return new GuestChatConversation(chatId, session.memberId(), lastMessageId, callback, members, new ConversationEffects(),
                runtime.json(), serial, settings.typingTimeout(), settings.departureCheckDelay());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Messages, typing, state

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        requireNonNull(message, "message is null");
        return messages.send(message, this::notOpen, () -> session);
    }

    /** Why the chat cannot take a message now, if it cannot. On the lane. */
    private Optional<ServiceDeskException> notOpen() {
        if (session == null || phase == Phase.NEW) {
            return Optional.of(new ServiceDeskException(Kind.INTERNAL, "Chat " + chatId + " has not started: start it before sending messages",
                    GuestChatErrors.USER_NOT_SENT, null));
        }
        if (phase == Phase.ENDING || phase == Phase.ENDED || conversation.isEnded()) {
            return Optional.of(new ServiceDeskException(Kind.VENDOR_REJECTED, "Chat " + chatId + " has ended", GuestChatErrors.USER_ENDED, null));
        }
        return Optional.empty();
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        requireNonNull(state, "state is null");
        return serial.<Void>call(result -> {
            chatState = state;
            result.complete(null);
        });
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        return serial.<Void>call(result -> {
            // Genesys has no "stopped typing": the agent's indicator fades by itself.
            if (!isTyping || session == null || phase != Phase.ACTIVE || conversation.isEnded()) {
                result.complete(null);
                return;
            }
            long now = System.nanoTime();
            if (typingPosted && now - lastTypingPostNanos < settings.userTypingInterval().toNanos()) {
                result.complete(null);
                return;
            }
            typingPosted = true;
            lastTypingPostNanos = now;
            api.typing(session).whenComplete((ok, failure) -> complete(result, failure == null ? null
                    : new ServiceDeskException(Kind.VENDOR_UNAVAILABLE, "Could not send the typing indicator: "
                            + GuestChatErrors.describe(CompletionFailures.unwrap(failure)), CompletionFailures.unwrap(failure))));
        });
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        requireNonNull(request, "request is null");
        if (!capabilities.contains(Capability.AGENTS_ONLINE)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.AGENTS_ONLINE));
        }
        return runtime.queue().agentsOnline(chatId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Availability while waiting

    private void startAvailability() {
        if (availabilityWatch != null || !capabilities.contains(Capability.QUEUE_STATUS) || phase == Phase.ENDING || phase == Phase.ENDED) {
            return;
        }
        availabilityWatch = runtime.queue().watchWhileWaiting(chatId, serial,
                () -> (phase == Phase.ACTIVE || phase == Phase.STARTING) && conversation != null
                        && !conversation.anyAgentJoined() && !conversation.isEnded(),
                availability -> conversation.waiting(availability)); // told only while no agent is in the chat
    }

    private void stopAvailability() {
        if (availabilityWatch != null) {
            availabilityWatch.stop();
            availabilityWatch = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // End

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        requireNonNull(info, "info is null");
        return serial.call(result -> {
            if (endResult != null) {
                serial.relay(endResult, result);
                return;
            }
            endResult = result;
            callback.close(); // rule 7: nothing reaches the application once the user ends the chat
            if (phase == Phase.STARTING && startResult != null) {
                // End once the start settled: a conversation may be being created.
                startResult.handleAsync((ok, failure) -> {
                    leave(result);
                    return null;
                }, serial);
                return;
            }
            leave(result);
        });
    }

    @Override
    public CompletionStage<Void> detach() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        serial.execute(() -> {
            // The guest stays in the conversation at Genesys (no leave): another process reconnects to it.
            if (phase != Phase.ENDED && phase != Phase.ENDING && endResult == null) {
                LOG.info("chat={} detached: the conversation stays open at Genesys for another process", chatId);
                callback.close();
                release();
                phase = Phase.ENDED;
            }
            result.complete(null);
        });
        return result;
    }

    private void leave(CompletableFuture<Void> result) {
        if (phase == Phase.ENDED || session == null || conversation == null || conversation.isEnded()) {
            release();
            phase = Phase.ENDED;
            result.complete(null);
            return;
        }
        phase = Phase.ENDING;
        LOG.info("chat={} the user ends the chat", chatId);
        GuestSession ending = session;
        api.leave(ending).whenCompleteAsync((ok, failure) -> {
            release();
            phase = Phase.ENDED;
            if (failure == null || GuestChatErrors.isChatOver(failure)) {
                result.complete(null);
            } else {
                ServiceDeskException error = GuestChatErrors.sendFailure(failure);
                LOG.warn("chat={} Genesys did not confirm the end of the chat: {}", chatId, error.getMessage());
                result.completeExceptionally(new ServiceDeskException(error.kind(), "Could not end the chat at Genesys: " + error.getMessage(), error));
            }
        }, serial);
    }

    /** Closes the stream and stops every timer of the chat. */
    private void release() {
        stream.close();
        if (conversation != null) {
            conversation.close();
        }
        stopAvailability();
    }

    private static void complete(CompletableFuture<Void> result, Throwable failure) {
        if (failure == null) {
            result.complete(null);
        } else {
            result.completeExceptionally(CompletionFailures.unwrap(failure));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Collaborators of the conversation

    /** What the event stream needs to know of the chat, and the end it reports. */
    private final class StreamedChat implements GuestChatStream.Chat {
        @Override
        public boolean isOpen() {
            return (phase == Phase.ACTIVE || phase == Phase.STARTING) && conversation != null && !conversation.isEnded();
        }

        @Override
        public boolean isActive() {
            return phase == Phase.ACTIVE;
        }

        @Override
        public boolean isStarting() {
            return phase == Phase.STARTING;
        }

        @Override
        public GuestSession session() {
            return session;
        }

        @Override
        public GuestChatConversation conversation() {
            return conversation;
        }

        @Override
        public void lost() {
            callback.close();
            GuestSession lost = session;
            release();
            phase = Phase.ENDED;
            api.leave(lost).whenComplete((ok, failure) -> { });
        }
    }

    private final class ConversationEffects implements GuestChatConversation.Effects {
        @Override
        public void waiting() {
            if (phase == Phase.ACTIVE) {
                startAvailability();
            }
        }

        @Override
        public void agentJoined(AgentProfile agent) {
            stopAvailability();
        }

        @Override
        public void ended() {
            callback.close();
            release();
            phase = Phase.ENDED;
        }

        @Override
        public void lastMessageIdChanged(String messageId) {
            persisted = persisted.with(LAST_MESSAGE_ID, messageId);
            callback.updatePersistedState(persisted);
        }
    }
}

package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A desk the tests script: it records what the web chat asks of it and lets the test play the vendor side through
 * each chat's callback. Messages whose text starts with {@code fail} are refused; {@code startChat} fails when the
 * topic is {@code fail}.
 */
final class ScriptedDesk implements ServiceDesk {
    private final DeskContext context;
    private final Set<Capability> capabilities;
    final CopyOnWriteArrayList<UserMessage> messages = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Boolean> typing = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<ChatState> states = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();
    final AtomicBoolean reconnected = new AtomicBoolean();
    final AtomicBoolean detached = new AtomicBoolean();
    volatile ConnectRequest request;
    volatile StartChatOptions options;

    ScriptedDesk(DeskContext context, Set<Capability> capabilities) {
        this.context = requireNonNull(context, "context is null");
        this.capabilities = capabilities;
    }

    /** The chat's callback: the test calls it as the vendor would. */
    ServiceDeskCallback vendor() {
        return context.callback();
    }

    String chatId() {
        return context.chatId();
    }

    @Override
    public String name() {
        return "Scripted test desk";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        this.request = request;
        this.options = options;
        if (request.topic().equals(Optional.of("fail"))) {
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE,
                    "scripted failure", "The test desk is closed.", null));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        ended.set(true);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        messages.add(message);
        if (message.text().startsWith("fail")) {
            return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "refused"));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        states.add(state);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        typing.add(isTyping);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> userReadMessages() {
        reads.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        return capabilities.contains(Capability.AGENTS_ONLINE) ? CompletableFuture.completedFuture(AgentsOnline.ONLINE)
                : CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.AGENTS_ONLINE));
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        reconnected.set(true);
        return CompletableFuture.completedFuture(context.persistedState().isPresent());
    }

    @Override
    public CompletionStage<Void> detach() {
        detached.set(true);
        return CompletableFuture.completedFuture(null);
    }

    /** The provider: named {@code scripted}; keeps every desk it created for the test to drive. */
    static final class Provider implements ServiceDeskProvider {
        final CopyOnWriteArrayList<ScriptedDesk> desks = new CopyOnWriteArrayList<>();
        private final Set<Capability> capabilities;

        Provider() {
            this(EnumSet.of(Capability.UPDATE_STATE, Capability.USER_TYPING, Capability.USER_READ_RECEIPTS,
                    Capability.AGENTS_ONLINE, Capability.RECONNECT, Capability.AGENT_TYPING, Capability.AGENT_READ_RECEIPTS,
                    Capability.QUEUE_STATUS, Capability.TRANSFER, Capability.CONNECTION_RECOVERY));
        }

        Provider(Set<Capability> capabilities) {
            this.capabilities = Set.copyOf(capabilities);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Set<Capability> capabilities() {
            return capabilities;
        }

        @Override
        public Module module(Configuration configuration) {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bind(ServiceDeskFactory.class).toInstance(new ServiceDeskFactory() {
                        @Override
                        public ServiceDesk create(DeskContext context) {
                            ScriptedDesk desk = new ScriptedDesk(context, capabilities);
                            desks.add(desk);
                            return desk;
                        }

                        @Override
                        public Set<Capability> capabilities() {
                            return capabilities;
                        }
                    });
                }
            };
        }

        /** The desks of started chats (not the ones only asked whether agents are online). */
        List<ScriptedDesk> chats() {
            return desks.stream().filter(d -> d.request != null || d.reconnected.get()).toList();
        }

        /** The latest started chat's desk, waiting for it up to the test timeout. */
        ScriptedDesk latestChat() {
            return Await.until(() -> {
                List<ScriptedDesk> started = chats();
                return started.isEmpty() ? Optional.empty() : Optional.of(started.get(started.size() - 1));
            }, "a chat started on the scripted desk");
        }
    }
}

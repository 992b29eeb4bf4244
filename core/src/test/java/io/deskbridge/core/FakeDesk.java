package io.deskbridge.core;

import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A desk whose every answer a test scripts: each method records its call and returns what the matching field
 * supplies (by default a completed stage). The test plays the vendor through {@link #callback()}, from any thread,
 * breaking the contract as it likes.
 */
final class FakeDesk implements ServiceDesk {
    final DeskContext context;
    private final Set<Capability> capabilities;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    volatile Supplier<CompletionStage<Void>> onStartChat = () -> CompletableFuture.completedFuture(null);
    volatile Supplier<CompletionStage<Void>> onEndChat = () -> CompletableFuture.completedFuture(null);
    volatile Supplier<CompletionStage<Boolean>> onReconnect = () -> CompletableFuture.completedFuture(true);
    volatile Function<UserMessage, CompletionStage<Void>> onSendMessage = message -> CompletableFuture.completedFuture(null);

    FakeDesk(DeskContext context, Set<Capability> capabilities) {
        this.context = context;
        this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
    }

    /** The session's callback, as the vendor side of this desk would call it. */
    ServiceDeskCallback callback() {
        return context.callback();
    }

    /** The calls the session made, in order: {@code startChat}, {@code sendMessageToAgent:ID}, {@code userTyping:true}... */
    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        calls.add("startChat");
        return onStartChat.get();
    }

    @Override
    public CompletionStage<Void> endChat(EndChatInfo info) {
        calls.add("endChat");
        return onEndChat.get();
    }

    @Override
    public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
        calls.add("sendMessageToAgent:" + message.id());
        return onSendMessage.apply(message);
    }

    @Override
    public CompletionStage<Void> userTyping(boolean isTyping) {
        if (!capabilities.contains(Capability.USER_TYPING)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.USER_TYPING));
        }
        calls.add("userTyping:" + isTyping);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> updateState(ChatState state) {
        calls.add("updateState");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> reconnect() {
        if (!capabilities.contains(Capability.RECONNECT)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
        }
        calls.add("reconnect");
        return onReconnect.get();
    }

    @Override
    public CompletionStage<Void> detach() {
        if (!capabilities.contains(Capability.RECONNECT)) {
            return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), Capability.RECONNECT));
        }
        calls.add("detach");
        return CompletableFuture.completedFuture(null);
    }

    /** Not recorded: tests call it to wait until the chat's executor ran everything queued before it. */
    @Override
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        return CompletableFuture.completedFuture(AgentsOnline.ONLINE);
    }
}

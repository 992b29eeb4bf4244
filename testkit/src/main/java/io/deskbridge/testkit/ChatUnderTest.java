package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One raw desk under test with its {@link RecordingCallback}: the kit's (and a desk test's) handle on a chat. Every
 * call into the desk goes through here so that rule 12 ("never from inside the application's call") and the
 * chat's state are tracked; every wait moves virtual time when the kit runs on it.
 *
 * <p>Obtained from {@link ServiceDeskConformanceKit#newChat()} and its siblings; used from the test thread only.
 */
public final class ChatUnderTest {

    private final ServiceDeskConformanceKit kit;
    private final KitHarness harness;
    private final String chatId;
    private final ServiceDesk desk;
    private final RecordingCallback recording;
    private final AtomicInteger messageCounter = new AtomicInteger();
    private volatile AgentSideChat agentSide;
    private volatile boolean started;
    private volatile boolean ended;
    private volatile boolean detached;
    private volatile int endedAt = -1;

    ChatUnderTest(ServiceDeskConformanceKit kit, KitHarness harness, String chatId, ServiceDesk desk, RecordingCallback recording) {
        this.kit = requireNonNull(kit, "kit is null");
        this.harness = requireNonNull(harness, "harness is null");
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.desk = requireNonNull(desk, "desk is null");
        this.recording = requireNonNull(recording, "recording is null");
    }

    /** The chat id the desk was created with. */
    public String chatId() {
        return chatId;
    }

    /** The raw desk (calls made directly on it are not tracked for rule 12). */
    public ServiceDesk desk() {
        return desk;
    }

    /** What the desk called back. */
    public RecordingCallback recording() {
        return recording;
    }

    /**
     * The chat as the vendor's agents see it.
     *
     * @throws IllegalStateException before {@link #start()} or {@link #attachAgentSide(AgentSideChat)}
     */
    public AgentSideChat agent() {
        AgentSideChat side = agentSide;
        if (side == null) {
            throw new IllegalStateException("chat " + chatId + " has no vendor side yet: start it first");
        }
        return side;
    }

    /** Associates the vendor's side of this chat (for example the same vendor chat after a reconnect). */
    public void attachAgentSide(AgentSideChat side) {
        this.agentSide = requireNonNull(side, "side is null");
    }

    /** Whether {@code startChat} or {@code reconnect} was called. */
    public boolean isStarted() {
        return started;
    }

    /** Whether the user's {@code endChat} completed. */
    public boolean isEnded() {
        return ended;
    }

    /**
     * How many callbacks had been recorded when {@code endChat} first completed (every later one breaks rule 7), or
     * -1 if it has not.
     */
    public int callbacksBeforeEnd() {
        return endedAt;
    }

    // ---- the application's calls ----

    /** Calls {@code startChat}, tracking the chat's state. */
    public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
        recording.chatStarting();
        started = true;
        CompletionStage<Void> stage = call("startChat", () -> desk.startChat(request, options));
        return harness.deskCalls().track(stage.whenComplete((ok, failure) -> {
            if (failure == null) {
                recording.chatStarted();
            } else {
                recording.chatStartFailed();
            }
        }), "startChat");
    }

    /** Calls {@code reconnect}, tracking the chat's state. */
    public CompletionStage<Boolean> reconnect() {
        recording.chatStarting();
        started = true;
        CompletionStage<Boolean> stage = call("reconnect", desk::reconnect);
        return harness.deskCalls().track(stage.whenComplete((resumed, failure) -> {
            if (failure == null) {
                recording.chatReconnected(Boolean.TRUE.equals(resumed));
            } else {
                recording.chatStartFailed();
            }
        }), "reconnect");
    }

    /** Calls {@code endChat}; once it completed, every callback breaks rule 7. */
    public CompletionStage<Void> endChat() {
        CompletionStage<Void> stage = call("endChat", () -> desk.endChat(EndChatInfo.none()));
        return harness.deskCalls().track(stage.whenComplete((ok, failure) -> {
            if (failure == null && !ended) {
                ended = true;
                endedAt = recording.chatEndedByUser();
            }
        }), "endChat");
    }

    /**
     * Calls {@code detach}; once it completed, every callback breaks rule 7 as after {@code endChat}, and the chat counts
     * as over for this desk (the kit does not end it at the vendor when it cleans up).
     */
    public CompletionStage<Void> detach() {
        CompletionStage<Void> stage = call("detach", desk::detach);
        return harness.deskCalls().track(stage.whenComplete((ok, failure) -> {
            if (failure == null && !detached) {
                detached = true;
                endedAt = recording.chatDetached();
            }
        }), "detach");
    }

    /** Whether {@code detach} completed. */
    public boolean isDetached() {
        return detached;
    }

    /** Calls {@code sendMessageToAgent}. */
    public CompletionStage<Void> send(UserMessage message) {
        return call("sendMessageToAgent", () -> desk.sendMessageToAgent(message));
    }

    /** Sends a text with a fresh message id ({@code <chatId>-u1}, {@code -u2}…). */
    public CompletionStage<Void> send(String text) {
        return send(new UserMessage(nextMessageId(), text));
    }

    /** A fresh user message id for this chat. */
    public String nextMessageId() {
        return chatId + "-u" + messageCounter.incrementAndGet();
    }

    /** Calls {@code userTyping}. */
    public CompletionStage<Void> userTyping(boolean isTyping) {
        return call("userTyping", () -> desk.userTyping(isTyping));
    }

    /** Calls {@code userReadMessages}. */
    public CompletionStage<Void> userReadMessages() {
        return call("userReadMessages", desk::userReadMessages);
    }

    /** Calls {@code areAnyAgentsOnline}. */
    public CompletionStage<AgentsOnline> areAnyAgentsOnline(ConnectRequest request) {
        return call("areAnyAgentsOnline", () -> desk.areAnyAgentsOnline(request));
    }

    /** Calls {@code updateState}. */
    public CompletionStage<Void> updateState(ChatState state) {
        return call("updateState", () -> desk.updateState(state));
    }

    /** Calls {@code filesSelectedForUpload}. */
    public CompletionStage<Void> filesSelectedForUpload(List<FileUpload> uploads) {
        return call("filesSelectedForUpload", () -> desk.filesSelectedForUpload(uploads));
    }

    /**
     * Calls one method of the desk as the application would: marked for rule 12, a {@code null} stage or an
     * exception thrown instead of a failed stage reported as a defect (and turned into a failed stage).
     */
    public <T> CompletionStage<T> call(String method, Supplier<CompletionStage<T>> invocation) {
        CompletionStage<T> stage;
        recording.enterDeskCall(method);
        try {
            stage = invocation.get();
        } catch (DriverHookMissing e) {
            throw e;
        } catch (RuntimeException e) {
            harness.defect(new AssertionError(method + " threw " + e + " instead of returning a stage that completes exceptionally", e));
            return CompletableFuture.failedFuture(e);
        } finally {
            recording.exitDeskCall();
        }
        if (stage == null) {
            harness.defect(new AssertionError(method + " returned null instead of a stage"));
            return CompletableFuture.failedFuture(new NullPointerException(method + " returned null"));
        }
        return harness.deskCalls().track(stage, method);
    }

    // ---- composite steps ----

    /**
     * Starts the chat with the kit's {@link ServiceDeskConformanceKit#connectRequest() request}, waits for
     * {@code startChat} to complete and for the vendor to hand the chat to the driver.
     */
    public AgentSideChat start() {
        return start(kit.connectRequest());
    }

    /** Starts the chat with {@code request} (see {@link #start()}). */
    public AgentSideChat start(ConnectRequest request) {
        await(startChat(request, StartChatOptions.none()), "startChat to complete");
        AgentSideChat side = harness.awaitVendorChat();
        attachAgentSide(side);
        return side;
    }

    /**
     * {@code agent} joins at the vendor; waits for {@code agentJoined} (rule 3). After a transfer began, an
     * {@code agentJoined} of this agent since the transfer counts too: some vendors show a transfer only when the new
     * agent appears, so the desk reports the transfer and the join at once.
     */
    public void join(AgentProfile agent) {
        int from = recording.size();
        int since = from;
        List<CallbackEvent> events = recording.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (CallbackMatchers.transferStarted().test(events.get(i))) {
                since = i + 1;
                break;
            }
            if (CallbackMatchers.agentJoined().test(events.get(i)) && !CallbackMatchers.agentJoined(agent).test(events.get(i))) {
                break; // another agent joined since the last transfer: this join is a new one
            }
        }
        agent().agentJoins(agent);
        awaitEventAfter(since, CallbackMatchers.agentJoined(agent),
                "rule 3: agentJoined(" + agent.id() + ") after the agent joined at the vendor");
    }

    /** The agent sends {@code text}; waits for it to reach the user. Returns the vendor's message id. */
    public String agentSendsAndAwait(String text) {
        String id = agent().agentSends(text);
        awaitEvent(CallbackMatchers.messageWithId(id), "rule 8: sendMessageToUser of agent message " + id + " (\"" + text + "\")");
        return id;
    }

    /** Ends the chat from the user's side and waits for {@code endChat} to complete. */
    public void end() {
        await(endChat(), "endChat to complete");
    }

    // ---- waiting ----

    /** Waits (moving virtual time) for {@code stage} to complete normally and returns its value. */
    public <T> T await(CompletionStage<T> stage, String what) {
        return harness.await(stage, what);
    }

    /** Waits (moving virtual time) for {@code stage} to fail and returns the failure (unwrapped). */
    public Throwable awaitFailure(CompletionStage<?> stage, String what) {
        return harness.awaitFailure(stage, what);
    }

    /** Waits for any recorded event that matches. */
    public CallbackEvent awaitEvent(Predicate<? super CallbackEvent> predicate, String description) {
        return awaitEventAfter(0, predicate, description);
    }

    /** Waits for any recorded event that matches the described matcher. */
    public CallbackEvent awaitEvent(CallbackMatchers.Matcher matcher) {
        return awaitEvent(matcher, matcher.description());
    }

    /** Waits for an event at or after position {@code from} that matches. */
    public CallbackEvent awaitEventAfter(int from, Predicate<? super CallbackEvent> predicate, String description) {
        harness.waitUntil(() -> recording.indexOf(predicate, from).isPresent(), () -> description, Optional.empty(), false);
        return recording.events().get(recording.indexOf(predicate, from).orElseThrow());
    }

    /** Waits for a condition on the vendor's side (what the driver reads), moving virtual time. */
    public void awaitVendor(BooleanSupplier condition, String description) {
        awaitVendor(condition, () -> description);
    }

    /** As {@link #awaitVendor(BooleanSupplier, String)}, the description made when the wait fails. */
    public void awaitVendor(BooleanSupplier condition, Supplier<String> description) {
        harness.waitUntil(condition, () -> description.get() + "; vendor saw user messages " + safeUserMessages(), Optional.empty(), false);
    }

    private String safeUserMessages() {
        try {
            return agentSide == null ? "(no chat)" : String.valueOf(agentSide.userMessages());
        } catch (RuntimeException e) {
            return "(" + e + ")";
        }
    }

    @Override
    public String toString() {
        return "chat " + chatId + " on " + desk.name();
    }
}

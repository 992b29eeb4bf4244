package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ChatSession")
class ChatSessionTest {
    static final Duration TYPING_TIMEOUT = Duration.ofSeconds(10);
    static final Duration USER_TYPING_INTERVAL = Duration.ofSeconds(5);
    static final AgentProfile ALICE = new AgentProfile("alice", "Alice");
    static final AgentProfile BOB = new AgentProfile("bob", "Bob");

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final FakeDeskProvider provider = new FakeDeskProvider("fake",
            Set.of(Capability.USER_TYPING, Capability.RECONNECT, Capability.AGENT_TYPING, Capability.TRANSFER));
    final RecordingApplication app = new RecordingApplication();
    final List<Deskbridge> runtimes = new ArrayList<>();
    LogCapture log;
    Deskbridge deskbridge;

    @BeforeEach
    void start() {
        log = LogCapture.start();
        deskbridge = runtime(null);
    }

    @AfterEach
    void stop() {
        runtimes.forEach(Deskbridge::close);
        log.close();
    }

    /** A runtime on virtual time with the fake desk; {@code workers} replaces the worker pool when not null. */
    Deskbridge runtime(ExecutorService workers) {
        Map<String, String> config = new HashMap<>();
        config.put("desk", "fake");
        config.put("deskbridge.agentTypingTimeout", TYPING_TIMEOUT.toSeconds() + "s");
        config.put("deskbridge.userTypingInterval", USER_TYPING_INTERVAL.toSeconds() + "s");
        Deskbridge runtime = Deskbridge.builder()
                .configuration(Configuration.of(config))
                .providers(ServiceDeskProviders.of(List.of(provider)))
                .overrideInfrastructure(binder -> {
                    binder.bind(Clock.class).toInstance(clock);
                    binder.bind(ScheduledExecutorService.class).toInstance(scheduler);
                    if (workers != null) {
                        binder.bind(ExecutorService.class).toInstance(workers);
                    }
                })
                .build();
        runtimes.add(runtime);
        return runtime;
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within 10 s", e);
        }
    }

    /** The failure of a stage that must fail. */
    static Throwable failureOf(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("stage did not fail within 10 s", e);
        }
        throw new AssertionError("stage completed normally");
    }

    /** Returns once the chat's executor ran everything queued so far (the answer is completed on it). */
    static void flush(ChatSession chat) {
        await(chat.areAnyAgentsOnline(ConnectRequest.empty()));
    }

    static AgentMessage message(String id) {
        return AgentMessage.fromAgent(id, "alice", "text of " + id);
    }

    static List<String> messageIds(List<CallbackEvent> events) {
        return events.stream().filter(CallbackEvent.MessageToUser.class::isInstance)
                .map(e -> ((CallbackEvent.MessageToUser) e).message().id()).collect(Collectors.toList());
    }

    static long count(List<CallbackEvent> events, Class<? extends CallbackEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    ChatSession startedChat(String chatId) {
        ChatSession chat = deskbridge.openChat(chatId, app.callback());
        await(chat.startChat(ConnectRequest.of("billing", "wants a refund"), StartChatOptions.none()));
        return chat;
    }

    ChatSession joinedChat(String chatId) {
        ChatSession chat = startedChat(chatId);
        provider.lastDesk().callback().agentJoined(ALICE);
        app.await(events -> count(events, CallbackEvent.AgentJoined.class) == 1, "agentJoined");
        return chat;
    }

    @Nested
    @DisplayName("delivers callbacks serially (rule 12)")
    class SerialDelivery {

        @Test
        @DisplayName("a desk calling back from many threads at once: one callback at a time, each thread's order kept")
        void manyThreads() throws Exception {
            ChatSession chat = joinedChat("serial-1");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            int threads = 8;
            int perThread = 250;
            ExecutorService vendor = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(vendor.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            desk.sendMessageToUser(message("t" + thread + "-" + i));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                vendor.shutdownNow();
            }
            List<CallbackEvent> events = app.await(e -> messageIds(e).size() == threads * perThread, "every message");

            assertThat(app.maxConcurrentCallbacks()).as("callbacks running at the same time").isEqualTo(1);
            List<String> ids = messageIds(events);
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t + "-";
                List<Integer> order = ids.stream().filter(id -> id.startsWith(prefix))
                        .map(id -> Integer.parseInt(id.substring(prefix.length()))).collect(Collectors.toList());
                assertThat(order).as("thread %s's messages", t).isSorted().hasSize(perThread);
            }
            assertThat(chat.status()).isEqualTo(ChatStatus.JOINED);
        }

        @Test
        @DisplayName("a desk calling back inside the application's call: delivered after the call returned, on another thread")
        void neverInsideTheApplicationsCall() {
            GatedExecutor workers = new GatedExecutor();
            Deskbridge gated = runtime(workers);
            ChatSession chat = gated.openChat("inside-1", app.callback());
            FakeDesk desk = provider.lastDesk();
            desk.onSendMessage = m -> {
                desk.callback().sendMessageToUser(message("reply-to-" + m.id()));
                return CompletableFuture.completedFuture(null);
            };
            chat.startChat(ConnectRequest.empty(), StartChatOptions.none());
            desk.callback().agentJoined(ALICE);

            CompletionStage<Void> sent = chat.sendMessageToAgent(new UserMessage("u1", "hello"));

            assertThat(app.events()).as("callbacks delivered while the application's call ran").isEmpty();
            assertThat(sent.toCompletableFuture()).as("completed on the chat's executor, not inside the call").isNotDone();
            String caller = Thread.currentThread().getName();
            workers.open();
            await(sent);
            app.await(e -> messageIds(e).contains("reply-to-u1"), "the reply");
            assertThat(app.entries()).extracting(RecordingApplication.Entry::thread).doesNotContain(caller)
                    .allMatch(name -> name.equals("gated-worker"));
            log.await("chat=inside-1", "rule 12", "from inside the application's call");
        }

        @Test
        @DisplayName("startChat reaches the desk before it returns, so later calls reach the desk after it")
        void startChatCallsTheDeskBeforeReturning() {
            GatedExecutor workers = new GatedExecutor();
            Deskbridge gated = runtime(workers);
            ChatSession chat = gated.openChat("order-1", app.callback());
            FakeDesk desk = provider.lastDesk();

            CompletionStage<Void> started = chat.startChat(ConnectRequest.empty(), StartChatOptions.none());
            chat.sendMessageToAgent(new UserMessage("u1", "first words"));
            chat.endChat(EndChatInfo.none());

            assertThat(desk.calls()).containsExactly("startChat", "sendMessageToAgent:u1", "endChat");
            assertThat(chat.status()).isEqualTo(ChatStatus.STARTING);
            workers.open();
            await(started);
        }

        @Test
        @DisplayName("an application callback that throws is logged and later callbacks still arrive")
        void failingApplicationCallback() {
            AtomicInteger calls = new AtomicInteger();
            ServiceDeskCallback failing = CallbackEvent.recorder(event -> {
                calls.incrementAndGet();
                if (event instanceof CallbackEvent.AgentJoined) {
                    throw new IllegalStateException("application bug");
                }
                app.callback().updateAgentAvailability(AgentAvailability.position(1));
            });
            ChatSession chat = deskbridge.openChat("throwing-app", failing);
            await(chat.startChat(ConnectRequest.empty(), StartChatOptions.none()));
            provider.lastDesk().callback().agentJoined(ALICE);
            provider.lastDesk().callback().sendMessageToUser(message("m1"));

            app.awaitCount(1);
            assertThat(calls).hasValue(2);
            log.await("chat=throwing-app", "agentJoined callback failed");
        }
    }

    @Nested
    @DisplayName("agent typing (rule 9)")
    class AgentTyping {

        @Test
        @DisplayName("an indicator left on is turned off after deskbridge.agentTypingTimeout, on virtual time")
        void expires() {
            ChatSession chat = joinedChat("typing-1");
            provider.lastDesk().callback().agentTyping(true);
            app.await(e -> e.contains(new CallbackEvent.AgentTyping(true)), "typing on");

            scheduler.advance(TYPING_TIMEOUT.minusMillis(1));
            flush(chat);
            assertThat(app.events()).doesNotContain(new CallbackEvent.AgentTyping(false));

            scheduler.advance(Duration.ofMillis(1));
            List<CallbackEvent> events = app.await(e -> e.contains(new CallbackEvent.AgentTyping(false)), "typing off");
            assertThat(events).endsWith(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false));
            log.await("chat=typing-1", "rule 9");
        }

        @Test
        @DisplayName("a renewed indicator expires a timeout after the renewal, not after the first")
        void renewal() {
            ChatSession chat = joinedChat("typing-2");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentTyping(true);
            app.await(e -> count(e, CallbackEvent.AgentTyping.class) == 1, "typing on");
            scheduler.advance(Duration.ofSeconds(6));
            desk.agentTyping(true);
            app.await(e -> count(e, CallbackEvent.AgentTyping.class) == 2, "typing renewed");

            scheduler.advance(Duration.ofSeconds(6));
            flush(chat);
            assertThat(app.events()).doesNotContain(new CallbackEvent.AgentTyping(false));
            scheduler.advance(Duration.ofSeconds(4));
            app.await(e -> e.contains(new CallbackEvent.AgentTyping(false)), "typing off");
        }

        @Test
        @DisplayName("a timer that fires before the clock shows the deadline waits again instead of leaving typing on")
        void timerAheadOfClock() {
            ChatSession chat = joinedChat("typing-3");
            provider.lastDesk().callback().agentTyping(true);
            app.await(e -> e.contains(new CallbackEvent.AgentTyping(true)), "typing on");

            clock.advance(TYPING_TIMEOUT.minusMillis(1));
            scheduler.advanceTimersOnly(TYPING_TIMEOUT);
            flush(chat);
            assertThat(app.events()).doesNotContain(new CallbackEvent.AgentTyping(false));

            scheduler.advance(Duration.ofMillis(1));
            app.await(e -> e.contains(new CallbackEvent.AgentTyping(false)), "typing off once the clock reached the deadline");
        }

        @Test
        @DisplayName("agentTyping(false) is inserted before an agent message that arrives while typing is on")
        void falseBeforeMessage() {
            joinedChat("typing-4");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentTyping(true);
            desk.sendMessageToUser(message("m1"));

            List<CallbackEvent> events = app.await(e -> messageIds(e).contains("m1"), "m1");
            assertThat(events).endsWith(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                    new CallbackEvent.MessageToUser(message("m1")));
            log.await("chat=typing-4", "rule 9", "m1");
        }

        @Test
        @DisplayName("agentTyping(false) is inserted before agentEndedChat, and no timer fires after the end")
        void falseBeforeEnd() {
            ChatSession chat = joinedChat("typing-5");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentTyping(true);
            desk.agentEndedChat();
            app.await(e -> e.contains(new CallbackEvent.AgentEnded()), "end");
            scheduler.advance(TYPING_TIMEOUT.multipliedBy(2));
            flush(chat);

            assertThat(app.events()).endsWith(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                    new CallbackEvent.AgentEnded());
            log.await("chat=typing-5", "rule 9", "before agentEndedChat");
        }

        @Test
        @DisplayName("agentTyping(false) is inserted before a transfer, and the desk's omission is logged as rule 9")
        void falseBeforeTransfer() {
            joinedChat("typing-6");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentTyping(true);
            desk.beginTransferToAnotherAgent(Optional.of(BOB));
            app.await(e -> e.contains(new CallbackEvent.TransferStarted(Optional.of(BOB))), "transfer");

            assertThat(app.events()).endsWith(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                    new CallbackEvent.TransferStarted(Optional.of(BOB)));
            log.await("chat=typing-6", "rule 9", "before beginTransferToAnotherAgent");
        }

        @Test
        @DisplayName("agentTyping(false) is inserted before agentLeftChat without a rule 9 warning (the rule does not name it)")
        void falseBeforeLeave() {
            ChatSession chat = joinedChat("typing-7");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentTyping(true);
            desk.agentLeftChat();
            app.await(e -> e.contains(new CallbackEvent.AgentLeft()), "agent left");
            flush(chat);

            assertThat(app.events()).endsWith(new CallbackEvent.AgentTyping(true), new CallbackEvent.AgentTyping(false),
                    new CallbackEvent.AgentLeft());
            assertThat(log.linesWith("chat=typing-7", "broke the contract")).isEmpty();
        }
    }

    @Nested
    @DisplayName("detach: letting a chat go to another process")
    class Detach {

        @Test
        @DisplayName("detach reaches the desk, and nothing the desk reports after it reaches the application")
        void dropsLaterCallbacks() {
            ChatSession chat = joinedChat("detach");
            FakeDesk desk = provider.lastDesk();

            await(chat.detach());
            desk.callback().sendMessageToUser(message("after-detach"));
            desk.callback().agentEndedChat();
            flush(chat);

            assertThat(chat.isDetached()).isTrue();
            assertThat(desk.calls()).containsExactly("startChat", "detach");
            assertThat(messageIds(app.events())).isEmpty();
            assertThat(count(app.events(), CallbackEvent.AgentEnded.class)).isZero();
        }

        @Test
        @DisplayName("a desk that cannot reconnect cannot detach either: UnsupportedCapabilityException naming RECONNECT")
        void needsReconnect() {
            FakeDeskProvider plain = new FakeDeskProvider("plain", Set.of());
            Deskbridge runtime = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "plain")))
                    .providers(ServiceDeskProviders.of(List.of(plain))).build();
            runtimes.add(runtime);
            ChatSession chat = runtime.openChat("plain-detach", app.callback());

            assertThat(failureOf(chat.detach())).isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("reconnect");
        }
    }

    @Nested
    @DisplayName("the contract's rules")
    class Rules {

        @Test
        @DisplayName("rule 1: a second startChat fails with IllegalStateException and does not reach the desk")
        void rule1() {
            ChatSession chat = startedChat("rule1");

            assertThat(failureOf(chat.startChat(ConnectRequest.empty(), StartChatOptions.none())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("rule1").hasMessageContaining("rule 1");
            assertThat(failureOf(chat.reconnect())).isInstanceOf(IllegalStateException.class);
            assertThat(provider.lastDesk().calls()).containsExactly("startChat");
        }

        @Test
        @DisplayName("rule 1: a chat ended before it started cannot start")
        void rule1AfterEnd() {
            ChatSession chat = deskbridge.openChat("never-started", app.callback());
            await(chat.endChat(EndChatInfo.none()));

            assertThat(chat.status()).isEqualTo(ChatStatus.ENDED_BY_USER);
            assertThat(failureOf(chat.startChat(ConnectRequest.empty(), StartChatOptions.none())))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(provider.lastDesk().calls()).isEmpty();
        }

        @Test
        @DisplayName("rule 2: a failed start reports Connecting, fails the stage and drops later callbacks")
        void rule2() {
            ChatSession chat = deskbridge.openChat("rule2", app.callback());
            FakeDesk desk = provider.lastDesk();
            desk.onStartChat = () -> {
                desk.callback().setErrorStatus(ErrorInfo.Connecting.of("No agent is available"));
                return CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "vendor down"));
            };

            Throwable failure = failureOf(chat.startChat(ConnectRequest.empty(), StartChatOptions.none()));

            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessage("vendor down");
            assertThat(chat.status()).isEqualTo(ChatStatus.FAILED);
            assertThat(app.events()).containsExactly(new CallbackEvent.ErrorStatus(ErrorInfo.Connecting.of("No agent is available")));
            desk.callback().agentJoined(ALICE);
            flush(chat);
            assertThat(app.events()).hasSize(1);
            log.await("chat=rule2", "rule 2");

            await(chat.endChat(EndChatInfo.none()));
            assertThat(desk.calls()).as("a failed chat is still ended at the desk").containsExactly("startChat", "endChat");
            assertThat(chat.status()).isEqualTo(ChatStatus.FAILED);
        }

        @Test
        @DisplayName("rule 4: beginTransferToAnotherAgent before any agent joined is dropped")
        void rule4() {
            ChatSession chat = startedChat("rule4");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.beginTransferToAnotherAgent(Optional.of(BOB));
            flush(chat);
            assertThat(app.events()).isEmpty();
            log.await("chat=rule4", "rule 4");

            desk.agentJoined(ALICE);
            desk.beginTransferToAnotherAgent(Optional.of(BOB));
            desk.agentLeftChat();
            desk.agentJoined(BOB);
            app.awaitCount(4);
            assertThat(app.events()).containsExactly(new CallbackEvent.AgentJoined(ALICE),
                    new CallbackEvent.TransferStarted(Optional.of(BOB)), new CallbackEvent.AgentLeft(),
                    new CallbackEvent.AgentJoined(BOB));
            assertThat(chat.agent()).contains(BOB);
            assertThat(chat.status()).isEqualTo(ChatStatus.JOINED);
        }

        @Test
        @DisplayName("rule 6: nothing is delivered after agentEndedChat, and a second one is dropped")
        void rule6() {
            ChatSession chat = joinedChat("rule6");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.agentEndedChat();
            desk.sendMessageToUser(message("after-end"));
            desk.agentEndedChat();
            flush(chat);

            assertThat(app.events()).containsExactly(new CallbackEvent.AgentJoined(ALICE), new CallbackEvent.AgentEnded());
            assertThat(chat.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
            assertThat(log.linesWith("chat=rule6", "rule 6")).hasSize(2);
        }

        @Test
        @DisplayName("rule 6: endChat after the agent ended still reaches the desk, so it can release the chat")
        void endAfterAgentEnded() {
            ChatSession chat = joinedChat("rule6-end");
            FakeDesk desk = provider.lastDesk();
            desk.callback().agentEndedChat();
            app.await(e -> e.contains(new CallbackEvent.AgentEnded()), "end");

            await(chat.endChat(EndChatInfo.none()));

            assertThat(desk.calls()).containsExactly("startChat", "endChat");
            assertThat(chat.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
        }

        @Test
        @DisplayName("rule 7: callbacks before endChat completes are delivered first; none after it completed")
        void rule7() {
            ChatSession chat = joinedChat("rule7");
            FakeDesk desk = provider.lastDesk();
            CompletableFuture<Void> vendorEnded = new CompletableFuture<>();
            desk.onEndChat = () -> vendorEnded;

            CompletionStage<Void> ended = chat.endChat(EndChatInfo.none()).thenRun(() -> app.mark("endChat completed"));
            desk.callback().sendMessageToUser(message("before-end"));
            vendorEnded.complete(null);
            await(ended);
            desk.callback().sendMessageToUser(message("after-end"));
            flush(chat);

            assertThat(app.sequence()).containsExactly(new CallbackEvent.AgentJoined(ALICE),
                    new CallbackEvent.MessageToUser(message("before-end")), "endChat completed");
            assertThat(chat.status()).isEqualTo(ChatStatus.ENDED_BY_USER);
            log.await("chat=rule7", "rule 7");
            await(chat.endChat(EndChatInfo.none()));
            assertThat(desk.calls()).as("a second endChat completes without the desk").containsExactly("startChat", "endChat");
        }

        @Test
        @DisplayName("rule 8: an agent message delivered twice reaches the application once")
        void rule8() {
            ChatSession chat = joinedChat("rule8");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.sendMessageToUser(message("m1"));
            desk.sendMessageToUser(message("m2"));
            desk.sendMessageToUser(message("m1"));
            desk.sendMessageToUser(message("m3"));
            flush(chat);

            assertThat(messageIds(app.events())).containsExactly("m1", "m2", "m3");
            assertThat(log.await("chat=rule8", "rule 8")).contains("m1").contains("desk=fake");
        }

        @Test
        @DisplayName("rule 10: Disconnected(true) then Disconnected(false) are delivered, repeats are not")
        void rule10() {
            ChatSession chat = joinedChat("rule10");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            desk.setErrorStatus(new ErrorInfo.Disconnected(true));
            desk.setErrorStatus(new ErrorInfo.Disconnected(true));
            desk.setErrorStatus(new ErrorInfo.Disconnected(false));
            flush(chat);

            assertThat(app.events()).containsExactly(new CallbackEvent.AgentJoined(ALICE),
                    new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true)),
                    new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false)));
        }

        @Test
        @DisplayName("rule 11: a failed sendMessageToAgent fails the application's stage with the desk's exception")
        void rule11() {
            ChatSession chat = joinedChat("rule11");
            provider.lastDesk().onSendMessage = m -> CompletableFuture.failedFuture(
                    new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "message too long"));

            assertThat(failureOf(chat.sendMessageToAgent(new UserMessage("u1", "hello"))))
                    .isInstanceOf(ServiceDeskException.class).hasMessage("message too long");
        }
    }

    @Nested
    @DisplayName("user typing")
    class UserTyping {

        @Test
        @DisplayName("true reaches the desk at most once per deskbridge.userTypingInterval; false only after a true")
        void throttled() {
            ChatSession chat = joinedChat("user-typing");
            FakeDesk desk = provider.lastDesk();

            await(chat.userTyping(false));
            await(chat.userTyping(true));
            await(chat.userTyping(true));
            clock.advance(USER_TYPING_INTERVAL.minusMillis(1));
            await(chat.userTyping(true));
            assertThat(desk.calls()).containsExactly("startChat", "userTyping:true");

            clock.advance(Duration.ofMillis(1));
            await(chat.userTyping(true));
            await(chat.userTyping(false));
            await(chat.userTyping(false));
            await(chat.userTyping(true));
            assertThat(desk.calls()).containsExactly("startChat", "userTyping:true", "userTyping:true", "userTyping:false",
                    "userTyping:true");
        }
    }

    @Nested
    @DisplayName("persisted state and reconnect")
    class Reconnect {

        @Test
        @DisplayName("persistedState() holds the desk's latest state")
        void tracksUpdates() {
            ChatSession chat = joinedChat("persist");
            ServiceDeskCallback desk = provider.lastDesk().callback();
            assertThat(chat.persistedState()).isEmpty();
            PersistedState first = PersistedState.empty().with("conversation", "c-1");
            PersistedState second = first.with("cursor", "42");

            desk.updatePersistedState(first);
            app.await(e -> e.contains(new CallbackEvent.PersistedStateUpdated(first)), "first state");
            assertThat(chat.persistedState()).contains(first);
            desk.updatePersistedState(second);
            app.await(e -> e.contains(new CallbackEvent.PersistedStateUpdated(second)), "second state");
            assertThat(chat.persistedState()).contains(second);
        }

        @Test
        @DisplayName("a resumed chat gives the desk its state; reconnect true continues the chat with its agent")
        void resumed() {
            PersistedState state = PersistedState.empty().with("conversation", "c-1");
            ChatSession chat = deskbridge.resumeChat("resumed", state, app.callback());
            FakeDesk desk = provider.lastDesk();
            assertThat(desk.context.persistedState()).contains(state);
            assertThat(chat.persistedState()).contains(state);

            assertThat(await(chat.reconnect())).isTrue();
            assertThat(chat.status()).isEqualTo(ChatStatus.JOINED);
            desk.callback().sendMessageToUser(message("missed"));
            desk.callback().agentLeftChat();
            flush(chat);

            assertThat(app.events()).containsExactly(new CallbackEvent.MessageToUser(message("missed")), new CallbackEvent.AgentLeft());
            assertThat(chat.status()).isEqualTo(ChatStatus.AGENT_LEFT);
            assertThat(log.linesWith("chat=resumed", "rule")).isEmpty();
            assertThat(failureOf(chat.startChat(ConnectRequest.empty(), StartChatOptions.none()))).isInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("reconnect false: the chat is gone, the session FAILED and later callbacks dropped")
        void gone() {
            ChatSession chat = deskbridge.resumeChat("gone", PersistedState.empty().with("k", "v"), app.callback());
            FakeDesk desk = provider.lastDesk();
            desk.onReconnect = () -> CompletableFuture.completedFuture(false);

            assertThat(await(chat.reconnect())).isFalse();
            assertThat(chat.status()).isEqualTo(ChatStatus.FAILED);
            desk.callback().sendMessageToUser(message("late"));
            flush(chat);
            assertThat(app.events()).isEmpty();
        }

        @Test
        @DisplayName("a failing reconnect fails the stage with the desk's exception")
        void failing() {
            ChatSession chat = deskbridge.resumeChat("failing", PersistedState.empty(), app.callback());
            provider.lastDesk().onReconnect = () -> CompletableFuture.failedFuture(
                    new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "vendor down"));

            assertThat(failureOf(chat.reconnect())).isInstanceOf(ServiceDeskException.class).hasMessage("vendor down");
            assertThat(chat.status()).isEqualTo(ChatStatus.FAILED);
        }

        @Test
        @DisplayName("reconnect on a desk without RECONNECT fails with UnsupportedCapabilityException naming it")
        void unsupported() {
            FakeDeskProvider plain = new FakeDeskProvider("plain", Set.of());
            try (Deskbridge runtime = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "plain")))
                    .providers(ServiceDeskProviders.of(List.of(plain))).build()) {
                ChatSession chat = runtime.resumeChat("unsupported", PersistedState.empty(), app.callback());

                assertThat(failureOf(chat.reconnect())).isInstanceOf(UnsupportedCapabilityException.class)
                        .hasMessageContaining("RECONNECT");
                assertThat(failureOf(chat.userTyping(true))).isInstanceOf(UnsupportedCapabilityException.class)
                        .hasMessageContaining("USER_TYPING");
            }
        }
    }

    @Nested
    @DisplayName("a desk that misbehaves")
    class Misbehaving {

        @Test
        @DisplayName("a desk that throws instead of failing its stage gives a failed stage")
        void throwing() {
            ChatSession chat = deskbridge.openChat("throws", app.callback());
            provider.lastDesk().onStartChat = () -> {
                throw new IllegalStateException("desk bug");
            };

            assertThat(failureOf(chat.startChat(ConnectRequest.empty(), StartChatOptions.none())))
                    .isInstanceOf(IllegalStateException.class).hasMessage("desk bug");
            assertThat(chat.status()).isEqualTo(ChatStatus.FAILED);
            log.await("chat=throws", "threw instead of failing its stage");
        }

        @Test
        @DisplayName("a desk that returns no stage gives an INTERNAL failure")
        void nullStage() {
            ChatSession chat = joinedChat("null-stage");
            provider.lastDesk().onSendMessage = m -> null;

            assertThat(failureOf(chat.sendMessageToAgent(new UserMessage("u1", "hi"))))
                    .isInstanceOfSatisfying(ServiceDeskException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.INTERNAL));
        }
    }

    @Nested
    @DisplayName("threads")
    class Threads {

        @Test
        @DisplayName("2,000 open chats on one runtime hold no thread of their own")
        void noThreadPerChat() {
            AtomicInteger joined = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ServiceDeskCallback counting = CallbackEvent.recorder(event -> {
                if (event instanceof CallbackEvent.AgentJoined) {
                    joined.incrementAndGet();
                }
            });
            FakeDeskProvider trivial = new FakeDeskProvider("trivial");
            try (Deskbridge runtime = Deskbridge.builder().configuration(Configuration.of(Map.of("desk", "trivial")))
                    .providers(ServiceDeskProviders.of(List.of(trivial))).build()) {
                // Warm up: let the shared pools start their threads.
                for (int i = 0; i < 20; i++) {
                    ChatSession chat = runtime.openChat("warm-" + i, counting);
                    await(chat.startChat(ConnectRequest.empty(), StartChatOptions.none()));
                    trivial.lastDesk().callback().agentJoined(ALICE);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (joined.get() < 20 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                int before = Thread.activeCount();

                List<ChatSession> chats = new ArrayList<>();
                for (int i = 0; i < 2_000; i++) {
                    ChatSession chat = runtime.openChat("chat-" + i, counting);
                    chat.startChat(ConnectRequest.empty(), StartChatOptions.none())
                            .whenComplete((v, e) -> { if (e != null) { failure.set(e); } });
                    trivial.lastDesk().callback().agentJoined(ALICE);
                    trivial.lastDesk().callback().agentTyping(true);
                    chats.add(chat);
                }
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (joined.get() < 2_020 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                int after = Thread.activeCount();

                assertThat(failure.get()).isNull();
                assertThat(joined).hasValue(2_020);
                assertThat(chats).allMatch(c -> c.status() == ChatStatus.JOINED);
                assertThat(after - before).as("threads added by 2,000 chats (%s before, %s after)", before, after).isLessThan(20);
            }
        }
    }
}

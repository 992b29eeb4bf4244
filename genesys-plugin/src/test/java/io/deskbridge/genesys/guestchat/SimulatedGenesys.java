package io.deskbridge.genesys.guestchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.GenesysSimulatorBuilder;
import io.deskbridge.genesys.simulator.RecordedRequest;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.testkit.RecordingCallback;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The Genesys simulator and a deskbridge runtime whose Genesys desk (guest chat) points at it, with short timers,
 * for tests that drive desks directly and assert on the simulator's request log.
 */
final class SimulatedGenesys implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration TYPING_TIMEOUT = Duration.ofMillis(400);

    /** The tuning every test runs with: short typing timeout, fast retries and reconnects. */
    static Map<String, String> fastTuning() {
        Map<String, String> values = new HashMap<>();
        values.put("genesys.typingTimeout", TYPING_TIMEOUT.toMillis() + "ms");
        values.put("genesys.availabilityRefreshInterval", "200ms");
        values.put("genesys.userTypingInterval", "3s");
        values.put("genesys.retryBackoff", "20ms");
        values.put("genesys.maxRetryBackoff", "100ms");
        values.put("genesys.maxRetries", "2");
        values.put("genesys.streamReconnectBackoff", "50ms");
        values.put("genesys.maxStreamReconnectBackoff", "200ms");
        values.put("genesys.requestTimeout", "5s");
        values.put("genesys.departureCheckDelay", "200ms");
        return values;
    }

    final GenesysSimulator simulator;
    final Deskbridge runtime;
    final ServiceDeskFactory factory;
    private final List<TestChat> chats = new ArrayList<>();
    private int counter;

    private SimulatedGenesys(GenesysSimulator simulator, Map<String, String> configuration) {
        this.simulator = simulator;
        this.runtime = Deskbridge.builder().configuration(Configuration.of(configuration))
                .providers(ServiceDeskProviders.of(List.of(new GenesysServiceDeskProvider()))).build();
        this.factory = runtime.getInstance(ServiceDeskFactory.class);
    }

    static SimulatedGenesys start(Consumer<GenesysSimulatorBuilder> setup, Consumer<Map<String, String>> configure) {
        GenesysSimulatorBuilder builder = GenesysSimulator.builder().console(false).heartbeatInterval(Duration.ofSeconds(1));
        setup.accept(builder);
        GenesysSimulator simulator = builder.build().start();
        Map<String, String> configuration = new HashMap<>(simulator.deskbridgeConfiguration(SimulatedTransport.GUEST_CHAT));
        configuration.putAll(fastTuning());
        configure.accept(configuration);
        try {
            return new SimulatedGenesys(simulator, configuration);
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    static SimulatedGenesys start() {
        return start(b -> { }, c -> { });
    }

    TestChat newChat() {
        return chat(Optional.empty());
    }

    TestChat resumedChat(PersistedState state) {
        return chat(Optional.of(state));
    }

    private TestChat chat(Optional<PersistedState> state) {
        String id = "chat-" + (++counter);
        RecordingCallback recording = new RecordingCallback(Clock.systemUTC(), Duration.ofSeconds(5));
        ServiceDesk desk = factory.create(new DeskContext(id, recording, state));
        TestChat chat = new TestChat(this, id, desk, recording);
        chats.add(chat);
        return chat;
    }

    List<RecordedRequest> requests(String method, String pathPart) {
        return simulator.requests(r -> r.method().equals(method) && r.path().contains(pathPart));
    }

    /** Every violation of the contract any chat of this test committed. */
    List<String> violations() {
        List<String> all = new ArrayList<>();
        for (TestChat chat : chats) {
            chat.recording.violations().forEach(v -> all.add(chat.id + ": " + v));
        }
        return all;
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            simulator.close();
        }
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("did not complete within " + WAIT, e);
        }
    }

    static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("did not complete within " + WAIT, e);
        }
    }

    static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** One chat: the desk, what its callback recorded, and its conversation at the simulator. */
    static final class TestChat {
        final SimulatedGenesys genesys;
        final String id;
        final ServiceDesk desk;
        final RecordingCallback recording;
        SimulatedConversation conversation;

        TestChat(SimulatedGenesys genesys, String id, ServiceDesk desk, RecordingCallback recording) {
            this.genesys = genesys;
            this.id = id;
            this.desk = desk;
            this.recording = recording;
        }

        /** Starts the chat and waits until the simulator routed it. */
        TestChat start(ConnectRequest request, StartChatOptions options) {
            recording.chatStarting();
            await(desk.startChat(request, options));
            recording.chatStarted();
            conversation = genesys.simulator.conversations().stream()
                    .filter(c -> c.guestCustomFields().getOrDefault("deskbridgeChatId", "").equals(id))
                    .findFirst().orElseThrow(() -> new AssertionError("no conversation for " + id + " at the simulator"));
            assertThat(conversation.awaitRouted(WAIT)).as("the conversation was routed").isTrue();
            return this;
        }

        TestChat start() {
            return start(ConnectRequest.of("billing", "The user asks about an invoice"), StartChatOptions.none());
        }

        Throwable startFailure(ConnectRequest request, StartChatOptions options) {
            recording.chatStarting();
            Throwable failure = failure(desk.startChat(request, options));
            recording.chatStartFailed();
            return failure;
        }

        boolean reconnect() {
            recording.chatStarting();
            boolean resumed = await(desk.reconnect());
            recording.chatReconnected(resumed);
            return resumed;
        }

        TestChat join(String agentId, String name) {
            conversation.agentJoins(agentId, name);
            awaitEvent(e -> e instanceof CallbackEvent.AgentJoined j && j.agent().id().equals(agentId), "agentJoined " + agentId);
            return this;
        }

        void end() {
            await(desk.endChat(io.deskbridge.spi.EndChatInfo.none()));
            recording.chatEndedByUser();
        }

        CallbackEvent awaitEvent(Predicate<? super CallbackEvent> predicate, String description) {
            return recording.awaitEvent(predicate, description, WAIT);
        }

        long count(Predicate<? super CallbackEvent> predicate) {
            return recording.count(predicate);
        }
    }
}

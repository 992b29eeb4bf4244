package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.testkit.RecordingCallback;
import io.deskbridge.testkit.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A deskbridge runtime with only the example desk, on virtual time: the clock, the scheduler and the worker pool
 * are one {@link VirtualScheduler}, so every task runs on the test thread, in a fixed order, when the test moves
 * time. Tests of the simulated agent and of {@code ChatSession} over the example desk share it.
 */
final class VirtualRuntime implements AutoCloseable {
    /** Generous: longer than any typing the example desk shows, so the recording's monitor never cuts it short. */
    static final Duration MONITOR_TYPING_TIMEOUT = Duration.ofSeconds(30);

    final VirtualScheduler scheduler = new VirtualScheduler();
    final Deskbridge runtime;
    final Instant start;

    VirtualRuntime(Map<String, String> configuration) {
        Map<String, String> values = new HashMap<>(configuration);
        values.put(Configuration.DESK_KEY, ExampleServiceDeskProvider.NAME);
        this.runtime = Deskbridge.builder()
                .configuration(Configuration.of(values))
                .providers(ServiceDeskProviders.of(List.of(new ExampleServiceDeskProvider())))
                .overrideInfrastructure(binder -> {
                    binder.bind(Clock.class).toInstance(scheduler.clock());
                    binder.bind(ScheduledExecutorService.class).toInstance(scheduler);
                    binder.bind(ExecutorService.class).toInstance(scheduler);
                })
                .build();
        this.start = scheduler.now();
    }

    ExampleContactCenter center() {
        return runtime.getInstance(ExampleContactCenter.class);
    }

    /** A recording that checks the contract as it records. */
    RecordingCallback recording() {
        return new RecordingCallback(scheduler.clock(), MONITOR_TYPING_TIMEOUT);
    }

    /** A raw desk for a new chat. */
    ServiceDesk desk(String chatId, RecordingCallback callback) {
        return runtime.getInstance(ServiceDeskFactory.class).create(new DeskContext(chatId, callback));
    }

    /** A raw desk created with the persisted state of an earlier desk of the chat. */
    ServiceDesk desk(String chatId, RecordingCallback callback, PersistedState state) {
        return runtime.getInstance(ServiceDeskFactory.class).create(new DeskContext(chatId, callback, Optional.of(state)));
    }

    /** Moves virtual time forward, running every task that falls due. */
    void advance(Duration duration) {
        scheduler.advance(duration);
    }

    /** Runs what is due now and returns the stage's value; fails if it did not complete without moving time. */
    <T> T complete(CompletionStage<T> stage) {
        scheduler.runDueTasks();
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (!future.isDone()) {
            throw new AssertionError("the stage did not complete at " + elapsed());
        }
        return future.join();
    }

    /** Virtual time since the runtime started. */
    Duration elapsed() {
        return Duration.between(start, scheduler.now());
    }

    /**
     * The recorded callbacks from {@code from} on, one line each, "at +Ns: what", without persisted-state updates:
     * a script as a reader of the desk's documentation would write it down.
     */
    List<String> script(RecordingCallback recording, int from) {
        return recording.entries().stream()
                .skip(from)
                .filter(e -> !(e.event() instanceof CallbackEvent.PersistedStateUpdated))
                .map(e -> "+" + millisToText(Duration.between(start, e.at())) + " " + describe(e.event()))
                .toList();
    }

    private static String millisToText(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    static String describe(CallbackEvent event) {
        requireNonNull(event, "event is null");
        if (event instanceof CallbackEvent.AvailabilityUpdated a) {
            AgentAvailability availability = a.availability();
            return "queue position " + availability.positionInQueue().orElse(0) + ", wait "
                    + availability.estimatedWait().map(d -> d.toSeconds() + "s").orElse("?");
        }
        if (event instanceof CallbackEvent.AgentJoined j) {
            return "agentJoined " + j.agent().nickname();
        }
        if (event instanceof CallbackEvent.TransferStarted t) {
            return "transfer to " + t.newAgent().map(p -> p.nickname()).orElse("?");
        }
        if (event instanceof CallbackEvent.AgentLeft) {
            return "agentLeft";
        }
        if (event instanceof CallbackEvent.AgentEnded) {
            return "agentEnded";
        }
        if (event instanceof CallbackEvent.AgentTyping t) {
            return "typing " + (t.isTyping() ? "on" : "off");
        }
        if (event instanceof CallbackEvent.AgentRead) {
            return "read";
        }
        if (event instanceof CallbackEvent.MessageToUser m) {
            String text = m.message().text();
            int newline = text.indexOf('\n');
            return m.message().agentId().orElse("system") + ": " + (newline < 0 ? text : text.substring(0, newline));
        }
        if (event instanceof CallbackEvent.ErrorStatus e) {
            return "error " + e.error();
        }
        return event.methodName();
    }

    @Override
    public void close() {
        runtime.close();
        scheduler.shutdownNow();
    }
}

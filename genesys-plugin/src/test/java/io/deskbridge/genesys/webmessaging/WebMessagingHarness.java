package io.deskbridge.genesys.webmessaging;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskFactory;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.testkit.RecordingCallback;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A simulator and a wired web messaging desk factory for one test; close it after the test. */
final class WebMessagingHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String DEPLOYMENT = "test-deployment";

    final WebMessagingSimulator simulator;
    /** The platform API (OAuth, queues) behind the simulator's REST port, when the harness has one. */
    final Optional<GenesysSimulator> platform;
    final Deskbridge runtime;
    final ServiceDeskFactory factory;
    private int chats;

    WebMessagingHarness(MessengerDeployment deployment, Map<String, String> extra, Optional<com.google.inject.Module> infrastructure) {
        this(deployment, extra, infrastructure, false);
    }

    private WebMessagingHarness(MessengerDeployment deployment, Map<String, String> extra, Optional<com.google.inject.Module> infrastructure,
            boolean withPlatform) {
        platform = withPlatform ? Optional.of(GenesysSimulator.builder().console(false).build().start()) : Optional.empty();
        WebMessagingSimulator.Builder simulatorBuilder = WebMessagingSimulator.builder(deployment);
        platform.ifPresent(p -> simulatorBuilder.platformApi(p.apiBaseUrl()));
        simulator = simulatorBuilder.start();
        Map<String, String> values = new HashMap<>();
        values.put("desk", "genesys");
        values.put("genesys.deploymentId", deployment.deploymentId());
        values.put("genesys.webMessagingUrl", simulator.socketUrl().toString());
        values.put("genesys.apiBaseUrl", simulator.apiBaseUrl().toString());
        values.put("genesys.deploymentConfigBaseUrl", simulator.apiBaseUrl().toString());
        values.put("genesys.loginBaseUrl", simulator.apiBaseUrl().toString());
        values.put("genesys.organizationId", "test-organization");
        values.put("genesys.queueName", "Web Messaging Queue");
        values.put("genesys.webMessagingOutboundRate", "100");
        values.put("genesys.webMessagingReconnectBackoff", "50ms");
        values.put("genesys.webMessagingReconnectBackoffMax", "200ms");
        values.put("genesys.webMessagingSendTimeout", "8s"); // below WAIT, well above a loaded machine's echo time
        platform.ifPresent(p -> {
            values.put("genesys.loginBaseUrl", p.loginBaseUrl().toString());
            values.put("genesys.queueName", GenesysSimulator.DEFAULT_QUEUE_NAME);
            values.put("genesys.clientId", GenesysSimulator.DEFAULT_CLIENT_ID);
            values.put("genesys.clientSecret", GenesysSimulator.DEFAULT_CLIENT_SECRET);
            values.put("genesys.availabilityRefreshInterval", "150ms");
        });
        values.putAll(extra);
        Deskbridge.Builder builder = Deskbridge.builder().configuration(Configuration.of(values))
                .providers(ServiceDeskProviders.of(List.of(new io.deskbridge.genesys.GenesysServiceDeskProvider())));
        infrastructure.ifPresent(builder::overrideInfrastructure);
        runtime = builder.build();
        factory = runtime.getInstance(ServiceDeskFactory.class);
    }

    static WebMessagingHarness start() {
        return new WebMessagingHarness(defaultDeployment(), Map.of(), Optional.empty());
    }

    static WebMessagingHarness start(MessengerDeployment deployment) {
        return new WebMessagingHarness(deployment, Map.of(), Optional.empty());
    }

    static WebMessagingHarness start(Map<String, String> extra) {
        return new WebMessagingHarness(defaultDeployment(), extra, Optional.empty());
    }

    /** A harness whose REST port also serves a Genesys simulator's platform API, with client credentials configured. */
    static WebMessagingHarness withPlatform(Map<String, String> extra) {
        return new WebMessagingHarness(defaultDeployment(), extra, Optional.empty(), true);
    }

    /**
     * Genesys's default deployment with "Humanize your conversation" enabled: agents' names and pictures travel in
     * {@code channel.from}, which is all a guest sees of who joined or took over (the tests of a deployment without it
     * turn it off again).
     */
    static MessengerDeployment defaultDeployment() {
        return MessengerDeployment.defaults(DEPLOYMENT).withHumanize(true).withLimits(2048, 4000, 200);
    }

    /** A desk and its recording callback. */
    record Chat(ServiceDesk desk, RecordingCallback callback) {}

    Chat newChat() {
        RecordingCallback callback = new RecordingCallback();
        return new Chat(factory.create(new DeskContext("chat-" + (++chats), callback)), callback);
    }

    Chat resumedChat(PersistedState state) {
        RecordingCallback callback = new RecordingCallback();
        return new Chat(factory.create(new DeskContext("chat-" + (++chats), callback, Optional.of(state))), callback);
    }

    /** A started chat and its simulated session. */
    record Started(Chat chat, SimulatedWebMessagingSession session) {
        ServiceDesk desk() {
            return chat.desk();
        }

        RecordingCallback callback() {
            return chat.callback();
        }
    }

    Started started(ConnectRequest request) {
        Chat chat = newChat();
        await(chat.desk().startChat(request, StartChatOptions.none()));
        return new Started(chat, simulator.awaitSession(WAIT));
    }

    Started joined() {
        Started started = started(ConnectRequest.of("billing", "The user asks about an invoice"));
        started.session().agentJoins("Ada", Optional.of("https://example.com/ada.png"));
        started.callback().awaitEvent(io.deskbridge.testkit.CallbackMatchers.agentJoined(), "agentJoined", WAIT);
        return started;
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("the stage failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the stage did not complete: " + e, e);
        }
    }

    static Throwable awaitFailure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the stage did not complete: " + e, e);
        }
        throw new AssertionError("the stage completed normally");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    void withDeployment(Consumer<WebMessagingSimulator> change) {
        change.accept(simulator);
    }

    @Override
    public void close() {
        runtime.close();
        simulator.close();
        platform.ifPresent(GenesysSimulator::close);
    }
}

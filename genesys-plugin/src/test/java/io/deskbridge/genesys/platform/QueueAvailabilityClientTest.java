package io.deskbridge.genesys.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.Secret;
import io.deskbridge.genesys.platform.LocalHttpServer.Answer;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.testkit.VirtualScheduler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The queue figures every chat of a desk shares: counted at a loopback stub of the platform API, on virtual time
 * (the refresh timer and the age of the figures); the HTTP exchanges themselves are real.
 */
@DisplayName("Queue availability shared by every chat")
class QueueAvailabilityClientTest {
    static final Duration INTERVAL = Duration.ofSeconds(15);
    static final String OBSERVATIONS = "/api/v2/analytics/queues/observations/query";
    static final String ESTIMATE = "/api/v2/routing/queues/q-1/mediatypes/chat/estimatedwaittime";

    private LocalHttpServer server;
    private VirtualScheduler scheduler;
    private QueueAvailabilityClient queue;
    private final AtomicInteger waiting = new AtomicInteger(3);

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer();
        scheduler = new VirtualScheduler();
        server.on("/oauth/token", r -> Answer.json(200, GenesysPlatformClientTest.TOKEN_OK));
        server.on("/api/v2/routing/queues", r -> Answer.json(200, "{\"entities\":[{\"id\":\"q-1\",\"name\":\"Shared Queue\"}]}"));
        server.on(OBSERVATIONS, r -> Answer.json(200, """
                { "results": [
                  { "group": { "queueId": "q-1" }, "data": [ { "metric": "oOnQueueUsers", "qualifier": "IDLE", "stats": { "count": 2 } } ] },
                  { "group": { "queueId": "q-1", "mediaType": "chat" }, "data": [ { "metric": "oWaiting", "stats": { "count": %d } } ] } ] }"""
                .formatted(waiting.get())));
        server.on(ESTIMATE, r -> Answer.json(200, "{\"results\":[{\"intent\":\"CHAT\",\"formula\":\"BEST\",\"estimatedWaitTimeSeconds\":95}]}"));
        queue = queue("Shared Queue");
    }

    private QueueAvailabilityClient queue(String name) {
        GenesysRestClient rest = new GenesysRestClient(HttpClient.newHttpClient(), GenesysPlatformClientTest.JSON, scheduler, RetryPolicy.none(),
                Duration.ofSeconds(5));
        GenesysPlatformClient platform = new GenesysPlatformClient(rest, server.baseUrl(),
                Optional.of(new ClientCredentialsTokens(rest, scheduler.clock(), server.baseUrl(), "id", new Secret("secret"))));
        return new QueueAvailabilityClient(platform, name, QueueMediaType.CHAT, scheduler, scheduler.clock(), INTERVAL);
    }

    @AfterEach
    void stop() {
        server.close();
        scheduler.shutdownNow();
    }

    private static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    @DisplayName("50 chats waiting at once make one observation and one estimate request per refresh interval, and each chat gets every refresh")
    void oneRequestPerIntervalForEveryWaitingChat() {
        int chats = 50;
        List<Queue<AgentAvailability>> reports = new ArrayList<>();
        List<QueueAvailabilityClient.QueueWatch> watches = new ArrayList<>();
        for (int i = 0; i < chats; i++) {
            Queue<AgentAvailability> received = new ConcurrentLinkedQueue<>();
            reports.add(received);
            watches.add(queue.watchWhileWaiting("chat-" + i, Runnable::run, () -> true, received::add));
        }
        waitUntil(() -> reports.stream().allMatch(r -> r.size() == 1), "the first report of every chat");
        assertThat(server.requests(OBSERVATIONS)).hasSize(1);
        assertThat(server.requests(ESTIMATE)).hasSize(1);
        assertThat(server.requests().stream().filter(r -> r.path().equals("/api/v2/routing/queues"))).hasSize(1);
        assertThat(reports.get(0).peek().estimatedWait()).contains(Duration.ofSeconds(95));

        // areAnyAgentsOnline within the interval: the same figures, no request.
        for (int i = 0; i < chats; i++) {
            assertThat(await(queue.agentsOnline("chat-" + i))).isEqualTo(AgentsOnline.ONLINE);
        }
        assertThat(server.requests(OBSERVATIONS)).hasSize(1);

        for (int round = 2; round <= 4; round++) {
            waiting.set(round * 10);
            scheduler.advance(INTERVAL);
            int expected = round;
            waitUntil(() -> reports.stream().allMatch(r -> r.size() == expected), "refresh " + round + " of every chat");
            assertThat(server.requests(OBSERVATIONS)).hasSize(round);
            assertThat(server.requests(ESTIMATE)).hasSize(round);
            assertThat(reports).allSatisfy(r -> assertThat(List.copyOf(r).get(expected - 1).positionInQueue()).hasValue(expected * 10));
        }

        watches.forEach(QueueAvailabilityClient.QueueWatch::stop);
        assertThat(queue.watching()).isZero();
        scheduler.advance(INTERVAL.multipliedBy(3));
        assertThat(server.requests(OBSERVATIONS)).hasSize(4);
        assertThat(reports).allSatisfy(r -> assertThat(r).hasSize(4));
    }

    @Test
    @DisplayName("areAnyAgentsOnline from many chats at once shares one request, and asks again once the figures are a refresh interval old")
    void agentsOnlineShared() {
        List<CompletableFuture<AgentsOnline>> answers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            answers.add(queue.agentsOnline("chat-" + i));
        }
        answers.forEach(a -> assertThat(await(a)).isEqualTo(AgentsOnline.ONLINE));
        assertThat(server.requests(OBSERVATIONS)).hasSize(1);
        scheduler.advance(INTERVAL.minusMillis(1));
        assertThat(await(queue.agentsOnline("late"))).isEqualTo(AgentsOnline.ONLINE);
        assertThat(server.requests(OBSERVATIONS)).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(await(queue.agentsOnline("later"))).isEqualTo(AgentsOnline.ONLINE);
        assertThat(server.requests(OBSERVATIONS)).hasSize(2);
        assertThat(server.requests(ESTIMATE)).isEmpty();
    }

    @Test
    @DisplayName("A chat that stops waiting gets no more reports, and its watch leaves the shared refresh")
    void stopsWhenNoLongerWaiting() {
        Queue<AgentAvailability> first = new ConcurrentLinkedQueue<>();
        Queue<AgentAvailability> second = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean firstWaits = new java.util.concurrent.atomic.AtomicBoolean(true);
        queue.watchWhileWaiting("chat-1", Runnable::run, firstWaits::get, first::add);
        queue.watchWhileWaiting("chat-2", Runnable::run, () -> true, second::add);
        waitUntil(() -> first.size() == 1 && second.size() == 1, "the first reports");
        firstWaits.set(false);
        scheduler.advance(INTERVAL);
        waitUntil(() -> second.size() == 2, "the second chat's refresh");
        waitUntil(() -> queue.watching() == 1, "the first chat's watch removed");
        assertThat(first).hasSize(1);
    }

    @Test
    @DisplayName("A failing queue status is logged at WARN once, not at every refresh, and again only after it recovered")
    void failureLoggedOnce() {
        QueueAvailabilityClient failing = queue("Failing Queue");
        java.util.concurrent.atomic.AtomicBoolean permitted = new java.util.concurrent.atomic.AtomicBoolean();
        server.on("/api/v2/routing/queues", r -> Answer.json(200, "{\"entities\":[{\"id\":\"q-9\",\"name\":\"Failing Queue\"}]}"));
        server.on(OBSERVATIONS, r -> permitted.get()
                ? Answer.json(200, "{\"results\":[{\"group\":{\"queueId\":\"q-9\"},\"data\":["
                        + "{\"metric\":\"oOnQueueUsers\",\"qualifier\":\"IDLE\",\"stats\":{\"count\":1}}]}]}")
                : Answer.json(403, "{\"status\":403,\"code\":\"missing.permissions\",\"message\":\"Missing permission analytics:queueObservation:view\"}"));
        try (LogCapture log = new LogCapture()) {
            Queue<AgentAvailability> reports = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 5; i++) {
                failing.watchWhileWaiting("chat-" + i, Runnable::run, () -> true, reports::add);
            }
            // areAnyAgentsOnline shares the request in flight: its answer says the refresh is over.
            assertThat(await(failing.agentsOnline("probe"))).isEqualTo(AgentsOnline.UNKNOWN);
            for (int round = 2; round <= 4; round++) {
                scheduler.advance(INTERVAL);
                assertThat(await(failing.agentsOnline("probe"))).isEqualTo(AgentsOnline.UNKNOWN);
                assertThat(server.requests(OBSERVATIONS)).hasSize(round);
            }
            waitUntil(() -> !log.linesWith("WARN", "Failing Queue").isEmpty(), "the warning");
            assertThat(reports).isEmpty();
            assertThat(server.requests(OBSERVATIONS)).hasSize(4); // one per interval, not one per chat
            assertThat(log.linesWith("WARN", "Failing Queue")).hasSize(1)
                    .allSatisfy(line -> assertThat(line).contains("analytics:queueObservation:view"));

            permitted.set(true);
            scheduler.advance(INTERVAL);
            waitUntil(() -> reports.size() == 5, "the reports once it answers");
            waitUntil(() -> !log.linesWith("INFO", "Failing Queue", "available again").isEmpty(), "the recovery line");
            assertThat(log.linesWith("WARN", "Failing Queue")).hasSize(1);
        }
    }
}

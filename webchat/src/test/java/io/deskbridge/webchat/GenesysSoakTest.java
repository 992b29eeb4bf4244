package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault-injection soak of a whole chat path (page, web chat, Genesys desk, Genesys simulator) on each transport,
 * seeded and bounded in time: numbered agent messages while the vendor socket is dropped at random, 429 (with
 * Retry-After) and 5xx answers to the desk's requests, and the OAuth access token expiring mid-chat; then many
 * concurrent chats with fewer messages each.
 *
 * <p>Asserted: every agent message reaches the page exactly once and in order; every user message reaches the agent
 * exactly once (a page resends a failed message with its id, as the bundled page lets the user do); the
 * {@code DISCONNECTED} errors alternate true, false and end false; no user message took more attempts than
 * {@code genesys.maxRetries} allows per send.
 *
 * <p>The run in {@code ./mvnw verify} is short. {@code -Ddeskbridge.soak=long} runs the one in docs/reliability.md
 * (1,000 agent messages, 100 drops, 50 concurrent chats); {@code -Ddeskbridge.soak.seed=N} replays a run. Each run
 * writes its figures to {@code target/soak-<transport>.txt}.
 */
@DisplayName("Fault-injection soak on the Genesys simulator")
class GenesysSoakTest {
    private static final boolean LONG = "long".equals(System.getProperty("deskbridge.soak"));
    private static final long SEED = Long.getLong("deskbridge.soak.seed", 2026L);
    private static final int MESSAGES = Integer.getInteger("deskbridge.soak.messages", LONG ? 1000 : 120);
    private static final int DROPS = Integer.getInteger("deskbridge.soak.drops", LONG ? 100 : 10);
    private static final int CHATS = Integer.getInteger("deskbridge.soak.chats", LONG ? 50 : 8);
    private static final int CHAT_MESSAGES = Integer.getInteger("deskbridge.soak.chatMessages", LONG ? 40 : 10);
    private static final int MAX_RETRIES = 3;
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(LONG ? 300 : 90);

    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("webchat.maxMessagesPerSecond", "1000"),
            Map.entry("webchat.newSessionsPerAddress", "1000"),
            Map.entry("webchat.maxConnectionsPerAddress", "1000"),
            Map.entry("genesys.maxRetries", Integer.toString(MAX_RETRIES)),
            Map.entry("genesys.retryBackoff", "50ms"),
            Map.entry("genesys.maxRetryBackoff", "400ms"),
            Map.entry("genesys.maxRetryAfter", "2s"),
            Map.entry("genesys.streamReconnectAttempts", "1000"),
            Map.entry("genesys.streamReconnectBackoff", "50ms"),
            Map.entry("genesys.maxStreamReconnectBackoff", "400ms"),
            Map.entry("genesys.webMessagingReconnectBackoff", "50ms"),
            Map.entry("genesys.webMessagingReconnectBackoffMax", "400ms"),
            Map.entry("genesys.webMessagingOutboundRate", "50"),
            Map.entry("genesys.availabilityRefreshInterval", "500ms"));

    /** What one run injected and checked. */
    private static final class Figures {
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger rateLimits = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final AtomicInteger tokenExpiries = new AtomicInteger();
        final AtomicInteger agentMessages = new AtomicInteger();
        final AtomicInteger userMessages = new AtomicInteger();
        final AtomicInteger userResends = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger duplicated = new AtomicInteger();
        final AtomicInteger vendorAttempts = new AtomicInteger();
        final Map<String, Integer> pageSends = new java.util.concurrent.ConcurrentHashMap<>();

        String summary(SimulatedTransport transport, String phase, long millis) {
            return String.format("%s %s (seed %d, %s run): %d vendor socket drops, %d 429 answers, %d 5xx answers, %d token expiries;"
                    + " %d agent messages and %d user messages checked (%d user resends after a failure, %d sends to the vendor);"
                    + " lost %d, duplicated %d; %.1f s", transport, phase, SEED, LONG ? "long" : "short", drops.get(), rateLimits.get(),
                    serverErrors.get(), tokenExpiries.get(), agentMessages.get(), userMessages.get(), userResends.get(),
                    vendorAttempts.get(), lost.get(), duplicated.get(), millis / 1000.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SimulatedTransport.class)
    @DisplayName("one long chat: every message once and in order through socket drops, 429s, 5xxs and an expired token")
    void oneLongChat(SimulatedTransport transport) throws Exception {
        Figures figures = new Figures();
        long started = System.nanoTime();
        try (GenesysWebChat genesys = GenesysWebChat.start(GenesysSimulator.builder().requestLogCapacity(1_000_000), transport, KEYS);
                ChatClient page = ChatClient.greeted(genesys.uri())) {
            Random random = new Random(SEED);
            page.send("{\"type\":\"startChat\",\"topic\":\"soak\"}");
            page.await("chatStarted");
            GenesysWebChat.Agent agent = genesys.awaitChat();
            agent.joins();
            page.await("agentJoined");
            runChat(genesys, page, agent, "", MESSAGES, DROPS, random, figures, true, true);
            check(genesys, page, agent, "", MESSAGES, figures);
            assertThat(figures.drops.get()).as("vendor socket drops").isEqualTo(DROPS);
        }
        report(transport, "one chat", figures, started);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SimulatedTransport.class)
    @DisplayName("many concurrent chats: every message once and in order in each, through socket drops, 429s and 5xxs")
    void manyChats(SimulatedTransport transport) throws Exception {
        Figures figures = new Figures();
        long started = System.nanoTime();
        try (GenesysWebChat genesys = GenesysWebChat.start(GenesysSimulator.builder().requestLogCapacity(1_000_000), transport, KEYS)) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(CHATS, 8));
            try {
                List<Future<?>> chats = new ArrayList<>();
                for (int c = 0; c < CHATS; c++) {
                    String prefix = "c" + c + " ";
                    long seed = SEED + c;
                    chats.add(pool.submit(() -> {
                        try (ChatClient page = ChatClient.greeted(genesys.uri())) {
                            page.send("{\"type\":\"startChat\",\"topic\":\"soak\"}");
                            page.await("chatStarted");
                            String hello = prefix + "hello";
                            sendUntilSent(page, prefix + "first", hello, figures);
                            GenesysWebChat.Agent agent = genesys.awaitChatWithUserText(hello);
                            agent.joins();
                            page.await("agentJoined");
                            runChat(genesys, page, agent, prefix, CHAT_MESSAGES, 2, new Random(seed), figures, true, false);
                            check(genesys, page, agent, prefix, CHAT_MESSAGES, figures);
                        }
                        return null;
                    }));
                }
                for (Future<?> chat : chats) {
                    chat.get(DELIVERY_WAIT.toSeconds() * 2, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        report(transport, CHATS + " concurrent chats", figures, started);
    }

    /** The agent sends {@code count} numbered messages; the page answers now and then; faults as the seed says. */
    private static void runChat(GenesysWebChat genesys, ChatClient page, GenesysWebChat.Agent agent, String prefix, int count, int drops,
            Random random, Figures figures, boolean requestFaults, boolean expireToken) {
        int userEvery = 10;
        int dropsLeft = drops;
        for (int i = 0; i < count; i++) {
            int remaining = count - i;
            // Spread the drops over the run; each hits a live socket (the desk reconnected from the last one).
            if (dropsLeft > 0 && random.nextInt(remaining) < dropsLeft * 2 && awaitQuietly(agent::connected)) {
                agent.drop();
                figures.drops.incrementAndGet();
                dropsLeft--;
                int whileDown = random.nextInt(3);
                for (int d = 0; d < whileDown && i < count - 1; d++, i++) {
                    agent.sends(prefix + "agent #" + i); // kept in the vendor's history; the desk must catch up
                }
                agent.restore();
            }
            agent.sends(prefix + "agent #" + i);
            if (expireToken && i == count / 2) {
                genesys.simulator.expireAccessTokens();
                figures.tokenExpiries.incrementAndGet();
                page.roundTrip(); // a platform call with the expired token: 401, a new token, the call again
            }
            if (i % userEvery == userEvery - 1) {
                if (requestFaults && random.nextInt(4) == 0) {
                    genesys.rateLimitNext(agent, 1);
                    figures.rateLimits.incrementAndGet();
                } else if (requestFaults && random.nextInt(4) == 0) {
                    genesys.serverErrorNext(agent);
                    figures.serverErrors.incrementAndGet();
                }
                sendUntilSent(page, prefix + "u" + i, prefix + "user #" + i, figures);
            }
        }
    }

    /** Sends a user message, and again with the same id after each failure, until it is sent. */
    private static void sendUntilSent(ChatClient page, String id, String text, Figures figures) {
        String frame = "{\"type\":\"message\",\"id\":\"" + id + "\",\"text\":\"" + text + "\"}";
        for (int attempt = 1; ; attempt++) {
            figures.pageSends.merge(text, 1, Integer::sum);
            page.send(frame);
            JsonNode status = page.await("messageStatus", s -> s.path("id").asText().equals(id));
            if (status.path("status").asText().equals("sent")) {
                figures.userMessages.incrementAndGet();
                return;
            }
            figures.userResends.incrementAndGet();
            assertThat(attempt).as("page resends of %s", id).isLessThan(5);
        }
    }

    private static void check(GenesysWebChat genesys, ChatClient page, GenesysWebChat.Agent agent, String prefix, int count,
            Figures figures) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(prefix + "agent #" + i);
        }
        long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
        while (agentTexts(page, prefix).size() < count && System.nanoTime() < deadline) {
            pause();
        }
        List<String> received = agentTexts(page, prefix);
        Map<String, Integer> seen = new HashMap<>();
        received.forEach(t -> seen.merge(t, 1, Integer::sum));
        int lost = (int) expected.stream().filter(t -> !seen.containsKey(t)).count();
        int duplicated = seen.values().stream().mapToInt(n -> n - 1).sum();
        figures.lost.addAndGet(lost);
        figures.duplicated.addAndGet(duplicated);
        figures.agentMessages.addAndGet(count);
        assertThat(received).as("agent messages on the page, once each and in order (seed %d)", SEED).isEqualTo(expected);

        List<String> userTexts = agent.userTexts().stream().filter(t -> t.startsWith(prefix + "user #")).toList();
        assertThat(userTexts).as("user messages at the agent, once each (seed %d)", SEED).doesNotHaveDuplicates();
        long sentByPage = page.all("messageStatus").stream().filter(s -> s.path("status").asText().equals("sent"))
                .map(s -> s.path("id").asText()).filter(id -> id.startsWith(prefix + "u")).distinct().count();
        assertThat(userTexts).hasSize((int) sentByPage);
        // Retries stay within genesys.maxRetries: at most 1 + maxRetries sends to the vendor per send by the page.
        for (String text : userTexts) {
            long attempts = genesys.vendorAttempts(text);
            figures.vendorAttempts.addAndGet((int) attempts);
            assertThat(attempts).as("sends of '%s' to the vendor", text).isBetween(1L, (long) (MAX_RETRIES + 1) * figures.pageSends.get(text));
        }

        List<Boolean> disconnected = page.all("error").stream().filter(e -> e.path("errorType").asText().equals("DISCONNECTED"))
                .map(e -> e.path("isDisconnected").asBoolean()).toList();
        for (int i = 0; i < disconnected.size(); i++) {
            assertThat(disconnected.get(i)).as("DISCONNECTED #%d alternates, starting with true: %s", i, disconnected).isEqualTo(i % 2 == 0);
        }
        long deadlineReconnected = System.nanoTime() + DELIVERY_WAIT.toNanos();
        while (page.all("error").stream().filter(e -> e.path("errorType").asText().equals("DISCONNECTED")).count() % 2 == 1
                && System.nanoTime() < deadlineReconnected) {
            pause();
        }
        long count2 = page.all("error").stream().filter(e -> e.path("errorType").asText().equals("DISCONNECTED")).count();
        assertThat(count2 % 2).as("every DISCONNECTED true is followed by a false").isZero();
    }

    private static List<String> agentTexts(ChatClient page, String prefix) {
        return page.all("agentMessage").stream().map(f -> f.path("text").asText()).filter(t -> t.startsWith(prefix + "agent #")).toList();
    }

    private static boolean awaitQuietly(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void report(SimulatedTransport transport, String phase, Figures figures, long started) throws IOException {
        String line = figures.summary(transport, phase, (System.nanoTime() - started) / 1_000_000);
        System.out.println("soak: " + line);
        Path file = Path.of("target", "soak-" + transport.configName() + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(figures.lost.get()).isZero();
        assertThat(figures.duplicated.get()).isZero();
    }
}

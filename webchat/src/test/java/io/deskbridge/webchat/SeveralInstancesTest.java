package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.webchat.session.WebSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several web chat processes on one PostgreSQL database behind a load balancer (HAProxy where installed, an in-test
 * TCP proxy otherwise), with the Genesys simulator in a process of its own: one chat per transport moves from process
 * to process through every way a process can go, and the page sees every agent message exactly once, Genesys every
 * user message exactly once, and the conversation is never ended by a move.
 *
 * <ol>
 *   <li>A page's reconnect that a non-sticky (round-robin) balancer sends to another process while the owner lives:
 *       that process takes the chat over, the former owner lets go of it (and of its vendor socket).</li>
 *   <li>The owner stopped with SIGTERM behind a sticky balancer: it hands the chat over and tells the page to
 *       reconnect (1012); an agent message sent during the stop arrives once.</li>
 *   <li>The owner killed with SIGKILL: the page reconnects, the next process takes the chat over from the last state
 *       saved and catches up on the agent message sent while no process held it.</li>
 * </ol>
 */
@EnabledIfEnvironmentVariable(named = PostgresTestDatabase.URL_VARIABLE, matches = "jdbc:postgresql:.+",
        disabledReason = "no PostgreSQL server: set DESKBRIDGE_TEST_POSTGRES_URL (and _USER, _PASSWORD), as .ci/run does")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Several web chat processes share one PostgreSQL database and move chats between them")
class SeveralInstancesTest {
    private static final Logger LOG = LoggerFactory.getLogger(SeveralInstancesTest.class);
    private static final Duration START = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Where the processes' logs and HAProxy's configuration go: kept after the run, for a failure to be read. */
    private final Path directory = Path.of("target", "several-instances", String.valueOf(System.currentTimeMillis()));

    private JavaProcess genesys;
    private final List<JavaProcess> webChats = new ArrayList<>();
    private final List<LoadBalancer> balancers = new ArrayList<>();

    @BeforeAll
    void startGenesys() throws IOException {
        java.nio.file.Files.createDirectories(directory);
        genesys = JavaProcess.start("genesys", SimulatorProcess.class.getName(), Map.of(), directory.resolve("genesys.log"));
        genesys.awaitLine("READY"::equals, START);
    }

    @AfterAll
    void stopGenesys() {
        if (genesys != null) {
            genesys.close();
        }
    }

    @AfterEach
    void stopWebChats() {
        balancers.forEach(LoadBalancer::close);
        balancers.clear();
        webChats.forEach(JavaProcess::close);
        webChats.clear();
    }

    /** One web chat process, as started from the command line. */
    private record WebChat(String name, JavaProcess process, URI uri) {}

    @Test
    @DisplayName("web messaging: a non-sticky move, a SIGTERM and a SIGKILL lose and double no message")
    void webMessaging() throws Exception {
        moveThroughEveryFault("WEB_MESSAGING");
    }

    @Test
    @DisplayName("guest chat: the same moves on the legacy transport")
    void guestChat() throws Exception {
        moveThroughEveryFault("GUEST_CHAT");
    }

    private void moveThroughEveryFault(String transport) throws Exception {
        Map<String, String> keys = new HashMap<>(genesysConfig(transport));
        keys.put("webchat.port", "0");
        keys.put("webchat.store", "jdbc");
        keys.put("webchat.store.url", PostgresTestDatabase.url());
        keys.put("webchat.store.table", "instances_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        PostgresTestDatabase.user().ifPresent(user -> keys.put("webchat.store.user", user));
        PostgresTestDatabase.password().ifPresent(password -> keys.put("webchat.store.password", password.reveal()));
        keys.put("webchat.leaseDuration", "3s");
        keys.put("webchat.stopTimeout", "5s");
        // The first process creates the table; the others start after it, so that none races it.
        WebChat first = startWebChat("a", keys).join();
        CompletableFuture<WebChat> second = startWebChat("b", keys);
        CompletableFuture<WebChat> third = startWebChat("c", keys);
        List<WebChat> all = List.of(first, second.join(), third.join());
        List<URI> backends = all.stream().map(WebChat::uri).toList();
        LoadBalancer sticky = LoadBalancer.start(LoadBalancer.Mode.STICKY, backends, directory);
        balancers.add(sticky);
        LoadBalancer roundRobin = LoadBalancer.start(LoadBalancer.Mode.ROUND_ROBIN, backends, directory);
        balancers.add(roundRobin);
        LOG.info("{} web chat processes behind {}", all.size(), sticky.kind());

        List<String> sent = new ArrayList<>();
        Consumer<String> agentSends = text -> {
            call("send " + text);
            sent.add(text);
        };
        try (Page page = Page.open(sticky.uri())) {
            page.socket().send("{\"type\":\"startChat\"}");
            page.socket().await("chatStarted");
            call("join " + transport);
            page.socket().await("agentJoined");
            if (transport.equals("WEB_MESSAGING")) {
                // Web messaging has no join event: the agent shows up by writing, here the simulator's greeting.
                Await.until(() -> !page.shownAgentTexts().isEmpty(), "the agent's greeting");
                sent.addAll(page.shownAgentTexts());
            }
            page.socket().send("{\"type\":\"message\",\"id\":\"m1\",\"text\":\"My order did not arrive\"}");
            assertThat(page.socket().await("messageStatus").path("status").asText()).isEqualTo("sent");
            agentSends.accept("agent-1: let me check");
            awaitShown(page, sent);
            WebChat owner = ownerOf(all);

            // 1. A non-sticky balancer sends the page's reconnect to another process while the owner lives.
            WebChat next = owner;
            for (int attempt = 0; attempt < 4 && next == owner; attempt++) {
                page.dropSocket();
                JsonNode welcome = page.reconnect(roundRobin.uri(), -1);
                assertThat(welcome.path("resumed").asBoolean()).isTrue();
                next = ownerAfterMove(all, owner);
            }
            assertThat(next).as("the round-robin balancer sent the reconnect to another process").isNotEqualTo(owner);
            WebChat former = owner;
            Await.until(() -> sessionsOf(former) == 0, "the former owner to let go of the chat");
            if (transport.equals("WEB_MESSAGING")) {
                Await.until(() -> call("connections").equals("1"), "only the new owner's socket open at Genesys");
            }
            page.socket().await("chatStarted");
            agentSends.accept("agent-2: found it");
            awaitShown(page, sent);
            owner = next;

            // 2. The owner stopped with SIGTERM: it hands the chat over and tells the page to reconnect at once.
            WebChat stopping = owner;
            CompletableFuture<Duration> stopped = CompletableFuture.supplyAsync(() -> stopping.process().terminate(Duration.ofSeconds(30)));
            int code = page.awaitClosed();
            assertThat(code).as("the close code that asks the page to reconnect").isEqualTo(WebSession.CLOSE_RECONNECT);
            agentSends.accept("agent-3: sent during the stop");
            long moveStart = System.nanoTime();
            page.reconnect(sticky.uri(), code);
            Duration termMove = Duration.ofNanos(System.nanoTime() - moveStart);
            Duration stopTook = stopped.join();
            assertThat(stopTook).as("the stop is bounded by webchat.stopTimeout and the store's close").isLessThan(Duration.ofSeconds(20));
            owner = ownerAfterMove(all, stopping);
            awaitShown(page, sent);

            // 3. The owner killed with SIGKILL: the next process takes over from what was saved.
            WebChat killed = owner;
            killed.process().kill();
            int killCode = page.awaitClosed();
            agentSends.accept("agent-4: sent while no process held the chat");
            moveStart = System.nanoTime();
            page.reconnect(sticky.uri(), killCode);
            Duration killMove = Duration.ofNanos(System.nanoTime() - moveStart);
            owner = ownerAfterMove(all, killed);
            awaitShown(page, sent);
            LOG.info("{}: SIGTERM took {} ms to stop, the page moved in {} ms; after SIGKILL it moved in {} ms", transport,
                    stopTook.toMillis(), termMove.toMillis(), killMove.toMillis());

            page.socket().send("{\"type\":\"message\",\"id\":\"m2\",\"text\":\"Thanks, that was quick\"}");
            assertThat(page.socket().await("messageStatus", f -> f.path("id").asText().equals("m2")).path("status").asText())
                    .isEqualTo("sent");
            Await.until(() -> call("userTexts").contains("Thanks, that was quick"), "Genesys to receive the last user message");
            assertThat(JSON.readTree(call("userTexts"))).extracting(JsonNode::asText)
                    .containsExactly("My order did not arrive", "Thanks, that was quick");
            assertThat(page.shownAgentTexts()).containsExactlyElementsOf(sent);
            assertThat(page.idsReceivedTwiceOnOneSocket()).as("agent messages one socket received twice").isEmpty();
            assertThat(call("endedByUser")).as("no move ended the conversation").isEqualTo("false");

            page.socket().send("{\"type\":\"endChat\"}");
            page.socket().await("chatEnded");
            Await.until(() -> call("endedByUser").equals("true"), "Genesys to see the user end the chat");
        }
    }

    private void awaitShown(Page page, List<String> sent) {
        Await.until(() -> page.shownAgentTexts().equals(sent), "the page to show " + sent + " (it shows " + page.shownAgentTexts() + ")");
    }

    /** The one live process that holds the session. */
    private WebChat ownerOf(List<WebChat> all) {
        return Await.until(() -> {
            List<WebChat> holding = all.stream().filter(w -> w.process().isAlive() && sessionsOf(w) > 0).toList();
            return holding.size() == 1 ? java.util.Optional.of(holding.get(0)) : java.util.Optional.empty();
        }, "exactly one process to hold the chat");
    }

    /** The process other than {@code former} that holds the session now; {@code former} when the page came back to it. */
    private WebChat ownerAfterMove(List<WebChat> all, WebChat former) {
        return Await.until(() -> {
            List<WebChat> holding = all.stream().filter(w -> w != former && w.process().isAlive() && sessionsOf(w) > 0).toList();
            if (holding.size() == 1) {
                return java.util.Optional.of(holding.get(0));
            }
            return holding.isEmpty() && former.process().isAlive() && sessionsOf(former) > 0 ? java.util.Optional.of(former) : java.util.Optional.empty();
        }, "the process the page moved to");
    }

    private static int sessionsOf(WebChat webChat) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webChat.uri().resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("sessions").asInt(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private CompletableFuture<WebChat> startWebChat(String name, Map<String, String> keys) {
        Map<String, String> properties = new LinkedHashMap<>(keys);
        properties.put("webchat.instanceId", name);
        JavaProcess process = JavaProcess.start("web chat " + name, Main.class.getName(), properties,
                directory.resolve(keys.get("webchat.store.table") + "-" + name + ".log"));
        synchronized (webChats) {
            webChats.add(process);
        }
        return CompletableFuture.supplyAsync(() -> {
            String line = process.awaitLine(l -> l.startsWith("deskbridge web chat on the"), START);
            URI uri = URI.create(line.substring(line.indexOf("http://")).trim());
            return new WebChat(name, process, URI.create("http://127.0.0.1:" + uri.getPort() + "/"));
        });
    }

    private Map<String, String> genesysConfig(String transport) throws IOException {
        Map<String, String> config = new HashMap<>();
        JSON.readTree(call("config " + transport)).fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }

    /** A command to the Genesys process; its answer. */
    private synchronized String call(String command) {
        genesys.println(command);
        String answer = genesys.awaitLine(line -> line.startsWith("OK ") || line.startsWith("ERR "), Duration.ofSeconds(30));
        if (answer.startsWith("ERR ")) {
            throw new AssertionError("the Genesys simulator refused '" + command + "': " + answer.substring(4));
        }
        return answer.substring(3);
    }
}

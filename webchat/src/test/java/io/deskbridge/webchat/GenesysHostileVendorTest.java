package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Malformed and unknown vendor frames from the Genesys simulator, seeded and interleaved with numbered agent
 * messages: each is logged and skipped, the chat carries on, and every agent message reaches the page once and in
 * order ({@code -Ddeskbridge.fuzz.seed=N} replays a run).
 */
@DisplayName("Hostile vendor frames from the Genesys simulator")
class GenesysHostileVendorTest {
    private static final long SEED = Long.getLong("deskbridge.fuzz.seed", 13L);
    private static final int AGENT_MESSAGES = 60;

    @ParameterizedTest(name = "{0}")
    @EnumSource(SimulatedTransport.class)
    @DisplayName("are logged and skipped; the chat continues with every message delivered once, in order")
    void skipped(SimulatedTransport transport) {
        Random random = new Random(SEED);
        try (LogCapture logs = new LogCapture();
                GenesysWebChat genesys = GenesysWebChat.start(GenesysSimulator.builder(), transport, Map.of());
                ChatClient page = ChatClient.greeted(genesys.uri())) {
            page.send("{\"type\":\"startChat\",\"topic\":\"billing\"}");
            page.await("chatStarted");
            GenesysWebChat.Agent agent = genesys.awaitChat();
            agent.joins();
            page.await("agentJoined");

            int hostile = 0;
            List<String> userIds = new ArrayList<>();
            for (int i = 0; i < AGENT_MESSAGES; i++) {
                agent.sends("agent #" + i);
                int frames = 1 + random.nextInt(2);
                for (int f = 0; f < frames; f++) {
                    agent.sendsRawFrame(hostileFrame(agent, random));
                    hostile++;
                }
                if (i % 10 == 0) {
                    String id = "u" + i;
                    userIds.add(id);
                    page.send("{\"type\":\"message\",\"id\":\"" + id + "\",\"text\":\"user #" + i + "\"}");
                    page.await("messageStatus", s -> s.path("id").asText().equals(id) && s.path("status").asText().equals("sent"));
                }
            }
            Await.until(() -> agentTexts(page).size() >= AGENT_MESSAGES, "every numbered agent message on the page");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < AGENT_MESSAGES; i++) {
                expected.add("agent #" + i);
            }
            assertThat(agentTexts(page)).as("agent messages on the page, once each and in order (seed %d)", SEED).isEqualTo(expected);
            for (String id : userIds) {
                String text = "user #" + id.substring(1);
                assertThat(agent.userTexts().stream().filter(text::equals)).as("the agent got %s once", text).hasSize(1);
            }
            assertThat(logs.lines().stream().filter(l -> l.startsWith("WARN") && (l.contains("ignored") || l.contains("skipped"))))
                    .as("the hostile frames were logged").isNotEmpty();
            assertThat(page.isClosed()).isFalse();
            agent.ends();
            assertThat(page.await("chatEnded").path("reason").asText()).isEqualTo("agent");
            System.out.printf("hostile vendor frames (%s, seed %d): %d sent among %d agent messages%n", transport, SEED, hostile,
                    AGENT_MESSAGES);
        }
    }

    private static List<String> agentTexts(ChatClient page) {
        return page.all("agentMessage").stream().map(f -> f.path("text").asText()).filter(t -> t.startsWith("agent #")).toList();
    }

    private static String hostileFrame(GenesysWebChat.Agent agent, Random random) {
        String malformed = agent.malformedFrame();
        return switch (random.nextInt(8)) {
            case 0 -> agent.unknownFrame();
            case 1 -> malformed;
            case 2 -> malformed.substring(0, random.nextInt(malformed.length())); // truncated
            case 3 -> "[".repeat(2_000 + random.nextInt(3_000)); // nesting deeper than any parser allows
            case 4 -> "{\"type\":\"message\",\"class\":" + random.nextInt() + ",\"code\":\"x\",\"body\":[]}"; // wrong types
            case 5 -> "not json at all " + random.nextLong();
            case 6 -> "{\"junk\":\"" + "x".repeat(50_000 + random.nextInt(50_000)) + "\"}"; // large and meaningless
            default -> mutate(agent.unknownFrame(), random);
        };
    }

    private static String mutate(String frame, Random random) {
        StringBuilder text = new StringBuilder(frame);
        for (int e = 0; e < 3; e++) {
            int at = random.nextInt(text.length());
            text.setCharAt(at, "{}[]\",:0x".charAt(random.nextInt(9)));
        }
        return text.toString();
    }

}

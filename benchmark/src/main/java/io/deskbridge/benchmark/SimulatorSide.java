package io.deskbridge.benchmark;

import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The vendor's end: a {@link GenesysSimulator} on loopback (no console, no request log) and the agent the benchmark
 * plays in it. A web messaging guest's texts are timed by the simulator's inbound listener, on its socket thread, the
 * moment the simulator records them; chats are told apart by their topic (a custom attribute of the first message, a
 * custom field of a guest chat).
 */
final class SimulatorSide implements AutoCloseable {
    static final String AGENT = "Alex Agent";

    /** The agent of one chat, as the benchmark scripts it. */
    interface Agent {
        void join();

        void send(String text);
    }

    private final GenesysSimulator simulator;
    private final SimulatedTransport transport;
    private final Map<String, CompletableFuture<Agent>> byTopic = new ConcurrentHashMap<>();
    private final ExecutorService scripting = Executors.newFixedThreadPool(2, Benchmark.daemonThreads("benchmark-agent"));
    private volatile boolean open = true;
    private final Thread conversations;

    SimulatorSide(SimulatedTransport transport, LatencyProbe userToAgent) {
        this.transport = transport;
        this.simulator = GenesysSimulator.builder().console(false).requestLogCapacity(0).build().start();
        simulator.webMessaging().addInboundListener((session, message) -> {
            if (message.path("type").asText().equals("Text")) {
                userToAgent.arrived(message.path("text").asText());
            }
            String topic = message.path("channel").path("metadata").path("customAttributes").path("topic").asText("");
            if (!topic.isEmpty()) {
                Optional.ofNullable(byTopic.remove(topic)).ifPresent(f -> f.complete(webMessagingAgent(session)));
            }
        });
        if (transport == SimulatedTransport.GUEST_CHAT) {
            conversations = Benchmark.daemonThreads("benchmark-conversations").newThread(this::claimConversations);
            conversations.start();
        } else {
            conversations = null;
        }
    }

    GenesysSimulator simulator() {
        return simulator;
    }

    /** The deskbridge keys that point the Genesys desk at this simulator, for the benchmark's transport. */
    Map<String, String> deskbridgeConfiguration() {
        return simulator.deskbridgeConfiguration(transport);
    }

    /** Completes with the agent side of the chat whose topic this is, once it reached the simulator. */
    CompletableFuture<Agent> expect(String topic) {
        return byTopic.computeIfAbsent(topic, t -> new CompletableFuture<>());
    }

    /** The agent side of a raw guest's session. */
    Agent rawSession(String token) {
        return webMessagingAgent(simulator.webMessaging().session(token)
                .orElseThrow(() -> new IllegalStateException("the simulator has no session " + token)));
    }

    /** Runs agent scripting off the simulator's socket thread. */
    ExecutorService scripting() {
        return scripting;
    }

    private static Agent webMessagingAgent(SimulatedWebMessagingSession session) {
        return new Agent() {
            @Override
            public void join() {
                session.agentJoins(AGENT, Optional.empty());
            }

            @Override
            public void send(String text) {
                session.agentSends(text);
            }
        };
    }

    private void claimConversations() {
        while (open) {
            SimulatedConversation conversation;
            try {
                conversation = simulator.awaitConversation(Duration.ofMillis(500));
            } catch (IllegalStateException e) {
                continue; // none in this half second
            }
            String topic = conversation.guestCustomFields().getOrDefault("topic", "");
            CompletableFuture<Agent> future = byTopic.remove(topic);
            if (future != null) {
                future.complete(new Agent() {
                    @Override
                    public void join() {
                        if (!conversation.awaitRouted(Duration.ofSeconds(30))) {
                            throw new IllegalStateException("conversation " + conversation.id() + " was not routed");
                        }
                        conversation.agentJoins("agent-1", AGENT);
                    }

                    @Override
                    public void send(String text) {
                        conversation.agentSends(text);
                    }
                });
            }
        }
    }

    @Override
    public void close() {
        open = false;
        scripting.shutdownNow();
        try {
            scripting.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        simulator.close();
    }
}

package io.deskbridge.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw baseline's guest: the Genesys web messaging guest protocol spoken straight to the simulator's socket, with
 * no deskbridge in between ({@code configureSession}, {@code onMessage} texts; agent texts and {@code Presence Join}
 * read from {@code StructuredMessage} frames).
 */
final class RawWebMessagingGuest extends TextSocket implements Guest {
    private final String token = UUID.randomUUID().toString();
    private final String deploymentId;
    private final LatencyProbe userToAgent;
    private final LatencyProbe agentToUser;
    private final CompletableFuture<String> configured = new CompletableFuture<>();
    private final AtomicLong tracing = new AtomicLong();

    RawWebMessagingGuest(String deploymentId, LatencyProbe userToAgent, LatencyProbe agentToUser) {
        this.deploymentId = deploymentId;
        this.userToAgent = userToAgent;
        this.agentToUser = agentToUser;
    }

    /** Completes with the session token once the simulator answered {@code SessionResponse}. */
    CompletableFuture<String> configured() {
        return configured;
    }

    @Override
    void onOpened() {
        send(JSON.createObjectNode().put("action", "configureSession").put("deploymentId", deploymentId).put("token", token)
                .put("tracingId", "t-" + tracing.incrementAndGet()));
    }

    @Override
    void onFrame(JsonNode frame) {
        String className = frame.path("class").asText();
        JsonNode body = frame.path("body");
        if (frame.path("code").asInt(200) >= 300) {
            fail("simulator refused: " + frame.path("code").asInt() + " " + body.asText());
        } else if (className.equals("SessionResponse")) {
            configured.complete(token);
        } else if (className.equals("StructuredMessage") && body.path("direction").asText().equals("Outbound")) {
            // Genesys announces no agent's join: the agent is there at its first message (the simulated agent greets).
            if (body.path("type").asText().equals("Text")) {
                if (!body.path("originatingEntity").asText().equals("Bot")) {
                    markJoined();
                }
                agentToUser.arrived(body.path("text").asText());
            }
        }
    }

    @Override
    public void sendUserText(String id, String text) {
        ObjectNode frame = JSON.createObjectNode().put("action", "onMessage").put("token", token)
                .put("tracingId", "t-" + tracing.incrementAndGet());
        frame.putObject("message").put("type", "Text").put("text", text);
        send(frame.toString(), () -> userToAgent.sent(text));
    }
}

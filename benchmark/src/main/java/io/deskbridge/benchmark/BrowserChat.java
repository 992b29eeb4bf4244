package io.deskbridge.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A browser tab on the web chat's socket protocol ({@code docs/protocol.md}): {@code hello}, then {@code startChat} with
 * the chat's topic (which is how the simulator side tells the chats apart), {@code message} frames; it records when
 * {@code agentMessage} frames arrive.
 */
final class BrowserChat extends TextSocket implements Guest {
    private final String topic;
    private final LatencyProbe userToAgent;
    private final LatencyProbe agentToUser;
    private final int greeting;
    private int agentMessages;
    private boolean agentJoined;

    BrowserChat(String topic, LatencyProbe userToAgent, LatencyProbe agentToUser) {
        this(topic, userToAgent, agentToUser, 0);
    }

    /**
     * @param greeting with the example desk: the agent's greeting messages, after which the chat counts as joined, and
     *     every later agent message is the answer to the user's last message (its round trip goes to
     *     {@code userToAgent}); 0 with a vendor the benchmark plays the agent of
     */
    BrowserChat(String topic, LatencyProbe userToAgent, LatencyProbe agentToUser, int greeting) {
        this.topic = topic;
        this.userToAgent = userToAgent;
        this.agentToUser = agentToUser;
        this.greeting = greeting;
    }

    private boolean roundTrip() {
        return greeting > 0;
    }

    private void agentMessage(String text) {
        if (!roundTrip()) {
            agentToUser.arrived(text);
            return;
        }
        agentMessages++;
        if (agentMessages == greeting && agentJoined) {
            markJoined();
        } else if (agentMessages > greeting) {
            userToAgent.arrived(topic);
        }
    }

    @Override
    void onOpened() {
        send(JSON.createObjectNode().put("type", "hello"));
    }

    @Override
    void onFrame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "welcome" -> send(JSON.createObjectNode().put("type", "startChat").put("topic", topic));
            case "agentJoined" -> {
                agentJoined = true;
                if (!roundTrip() || agentMessages >= greeting) {
                    markJoined();
                }
            }
            case "agentMessage" -> agentMessage(frame.path("text").asText());
            case "messageStatus" -> {
                if (!frame.path("status").asText().equals("sent")) {
                    fail("message " + frame.path("id").asText() + " " + frame.path("status").asText() + ": " + frame.path("error").asText());
                }
            }
            case "error" -> fail("error " + frame.path("errorType").asText() + " " + frame.path("code").asText("")
                    + " " + frame.path("messageToUser").asText(""));
            case "chatEnded" -> fail("chat ended: " + frame.path("reason").asText());
            default -> { } // chatStarted, availability, agentTyping, agentRead: not measured
        }
    }

    @Override
    public void sendUserText(String id, String text) {
        ObjectNode frame = JSON.createObjectNode().put("type", "message").put("id", id).put("text", text);
        // With the example desk the probe times the round trip to the answer, keyed by the chat (one message in flight).
        send(frame.toString(), () -> userToAgent.sent(roundTrip() ? topic : text));
    }
}

package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedQueue;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.AgentSideChat;
import io.deskbridge.testkit.DriverHookMissing;
import io.deskbridge.testkit.ReceivedFile;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The conformance kit's hand on the Genesys side of web messaging chats: a {@link GenesysSimulator} that serves web
 * messaging ({@link GenesysSimulator#webMessaging()}: the guest socket, and the history on its REST API) next to the
 * platform API (OAuth, queue lookup, queue observations, estimated wait).
 *
 * <p>Web messaging identifies an agent to the guest only by the name and picture in {@code channel.from}, so an
 * agent's profile id is its nickname. Genesys has no per-guest queue position and tells a web messaging guest no
 * conversation id: the queue status is the queue's waiting count and estimated wait. Genesys tells the guest nothing
 * when an agent transfers: the guest sees the transfer when the new agent's first message carries another
 * {@code channel.from}, so {@link AgentSideChat#transferTo} has the new agent greet the guest. An agent leaves without
 * ending the conversation by a {@code Presence Disconnect} that leaves the session writable ({@code metadata.readOnly}
 * {@code "false"}): the desk reports it as {@code agentLeftChat} with {@code genesys.webMessagingAgentDisconnect=deployment}
 * only, so {@code agentLeaves} plays it only for a kit run in that mode (see the module's {@code docs/web-messaging.md}).
 *
 * <p>What the guest sent is read back from the simulator: the user's name and locale from the custom attributes of
 * the guest's messages (web messaging has no participant update: they travel with messages), and files from the
 * simulator's pre-signed uploads that a guest message referred to.
 */
final class WebMessagingAgentDriver implements AgentDriver {
    private final WebMessagingSimulator simulator;
    private final GenesysSimulator platform;
    private final Duration typingDuration;
    private final boolean agentsLeave;
    private final ObjectMapper json = new ObjectMapper();
    private volatile java.util.Optional<io.deskbridge.genesys.platform.QueueAvailabilityClient> queue = java.util.Optional.empty();

    /**
     * @param agentsLeave whether the desk under test reports a writable disconnect as the agent leaving
     *     ({@code genesys.webMessagingAgentDisconnect=deployment}), so that {@code agentLeaves} can be played
     */
    WebMessagingAgentDriver(GenesysSimulator platform, Duration typingDuration, boolean agentsLeave) {
        this.platform = requireNonNull(platform, "platform is null");
        this.simulator = platform.webMessaging();
        this.typingDuration = requireNonNull(typingDuration, "typingDuration is null");
        this.agentsLeave = agentsLeave;
    }

    @Override
    public void attach(io.deskbridge.core.Deskbridge runtime) {
        queue = java.util.Optional.of(runtime.getInstance(io.deskbridge.genesys.platform.QueueAvailabilityClient.class));
    }

    @Override
    public void setAgentsOnline(boolean online) {
        platform.defaultQueue().setAgentsOnline(online);
        // The desk shares the queue figures for genesys.availabilityRefreshInterval; the kit asks right away.
        queue.ifPresent(io.deskbridge.genesys.platform.QueueAvailabilityClient::forgetFigures);
    }

    @Override
    public void rejectNextChat() {
        simulator.rejectNextSession(403);
    }

    @Override
    public AgentSideChat awaitChat(Duration timeout) {
        return new Chat(simulator.awaitSession(timeout));
    }

    @Override
    public void close() {
        platform.close();
    }

    private final class Chat implements AgentSideChat {
        private final SimulatedWebMessagingSession session;

        Chat(SimulatedWebMessagingSession session) {
            this.session = session;
        }

        @Override
        public String id() {
            return session.token();
        }

        /** The queue's waiting count stands for the position (Genesys has no per-guest one), the queue's estimate for the wait. */
        @Override
        public void setQueueStatus(OptionalInt positionInQueue, Optional<Duration> estimatedWait) {
            SimulatedQueue queue = platform.defaultQueue();
            if (positionInQueue.isPresent()) {
                queue.setWaiting(positionInQueue.getAsInt());
            } else {
                queue.countWaiting();
            }
            queue.setEstimatedWait(estimatedWait);
        }

        @Override
        public void agentJoins(AgentProfile agent) {
            session.agentJoins(agent.nickname(), agent.avatarUrl().map(URI::toString));
        }

        @Override
        public void agentTypes() {
            session.agentTypes(typingDuration.toMillis());
        }

        @Override
        public String agentSends(String text) {
            return session.agentSends(text);
        }

        @Override
        public void agentReads() {
            session.agentReads();
        }

        @Override
        public void transferTo(AgentProfile nextAgent) {
            session.transferTo(nextAgent.nickname(), nextAgent.avatarUrl().map(URI::toString));
            session.agentSends("Hello, this is " + nextAgent.nickname() + ": I am taking over from here.");
        }

        @Override
        public void agentLeaves() {
            if (!agentsLeave) {
                throw new DriverHookMissing("AgentSideChat.agentLeaves");
            }
            // The agent disconnects, and Genesys says the session stays writable (its metadata wins over the deployment's type).
            ObjectNode disconnect = json.createObjectNode();
            String id = UUID.randomUUID().toString();
            disconnect.put("id", id).put("type", "Event").put("direction", "Outbound").put("originatingEntity", "Human");
            disconnect.putObject("channel").put("time", Instant.now().toString()).put("messageId", id).put("type", "Private");
            disconnect.putObject("metadata").put("readOnly", "false");
            disconnect.putArray("events").addObject().put("eventType", "Presence").putObject("presence").put("type", "Disconnect");
            session.pushOutbound(disconnect);
        }

        @Override
        public void agentEndsChat() {
            session.agentEnds();
        }

        @Override
        public void dropConnection() {
            session.dropConnection();
        }

        @Override
        public void restoreConnection() {
            session.restoreConnection();
        }

        @Override
        public void failNextUserMessage() {
            session.failNextMessage(400, "Request failed.");
        }

        @Override
        public List<String> userMessages() {
            return session.userTexts();
        }

        @Override
        public int userTypingCount() {
            return session.userTypingCount();
        }

        @Override
        public Optional<String> userName() {
            return latestAttribute("displayName");
        }

        @Override
        public Optional<String> userLocale() {
            return latestAttribute("locale");
        }

        /** The value of a custom attribute in the guest's latest message that carried it. */
        private Optional<String> latestAttribute(String name) {
            Optional<String> value = Optional.empty();
            for (JsonNode message : session.userMessages()) {
                JsonNode attribute = message.path("channel").path("metadata").path("customAttributes").path(name);
                if (attribute.isTextual()) {
                    value = Optional.of(attribute.asText());
                }
            }
            return value;
        }

        /** The uploads a guest message referred to, in the order of the messages. */
        @Override
        public List<ReceivedFile> userFiles() {
            Map<String, SimulatedWebMessagingSession.UploadedFile> uploads = new HashMap<>();
            session.uploadedFiles().forEach(file -> uploads.put(file.attachmentId(), file));
            List<ReceivedFile> files = new ArrayList<>();
            for (JsonNode message : session.userMessages()) {
                for (JsonNode content : message.path("content")) {
                    SimulatedWebMessagingSession.UploadedFile file = uploads.get(content.path("attachment").path("id").asText());
                    if (content.path("contentType").asText().equals("Attachment") && file != null) {
                        files.add(new ReceivedFile(file.fileName(), file.fileType(), file.content()));
                    }
                }
            }
            return files;
        }

        @Override
        public boolean endedByUser() {
            return session.endedByUser();
        }
    }
}

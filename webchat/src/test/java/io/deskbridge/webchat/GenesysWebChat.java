package io.deskbridge.webchat;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.GenesysSimulatorBuilder;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A web chat server on the Genesys desk, pointed at a Genesys simulator in this process, for one transport; and the
 * agent's side of one chat on either transport, so that a test is written once for both.
 */
final class GenesysWebChat implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final GenesysSimulator simulator;
    final SimulatedTransport transport;
    final Configuration configuration;
    final Deskbridge deskbridge;
    final WebChatServer server;

    private GenesysWebChat(GenesysSimulator simulator, SimulatedTransport transport, Configuration configuration, Deskbridge deskbridge,
            WebChatServer server) {
        this.simulator = simulator;
        this.transport = transport;
        this.configuration = configuration;
        this.deskbridge = deskbridge;
        this.server = server;
    }

    /** The simulator (built by {@code simulator}) and a web chat on it, with {@code keys} over the simulator's. */
    static GenesysWebChat start(GenesysSimulatorBuilder simulatorBuilder, SimulatedTransport transport, Map<String, String> keys) {
        GenesysSimulator simulator = simulatorBuilder.defaultTransport(transport).build().start();
        Deskbridge deskbridge = null;
        try {
            Map<String, String> all = new HashMap<>(simulator.deskbridgeConfiguration(transport));
            all.put("webchat.port", "0");
            all.putAll(keys);
            Configuration configuration = Configuration.of(all);
            deskbridge = Deskbridge.builder().configuration(configuration).build();
            WebChatServer server = WebChatServer.builder(deskbridge, WebChatSettings.read(configuration)).start();
            return new GenesysWebChat(simulator, transport, configuration, deskbridge, server);
        } catch (RuntimeException e) {
            if (deskbridge != null) {
                deskbridge.close();
            }
            simulator.close();
            throw e;
        }
    }

    URI uri() {
        return server.uri();
    }

    /** The agent's side of the chat the page just started. */
    Agent awaitChat() {
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            return new MessagingAgent(simulator.webMessaging().awaitSession(WAIT));
        }
        SimulatedConversation conversation = simulator.awaitConversation(WAIT);
        if (!conversation.awaitRouted(WAIT)) {
            throw new AssertionError("the guest chat was not routed to the queue");
        }
        return new GuestChatAgent(conversation);
    }

    /** The agent's side of the chat whose user wrote {@code text}, once the simulator has it. */
    Agent awaitChatWithUserText(String text) {
        return Await.until(() -> {
            if (transport == SimulatedTransport.WEB_MESSAGING) {
                return simulator.webMessaging().sessions().stream().filter(s -> s.userTexts().contains(text)).findFirst()
                        .map(s -> (Agent) new MessagingAgent(s));
            }
            return simulator.conversations().stream().filter(c -> c.guestMessages().contains(text)).findFirst()
                    .map(c -> (Agent) new GuestChatAgent(c));
        }, "the chat whose user wrote '" + text + "'");
    }

    /** How many times the desk sent a user message with this text to the vendor (first attempts and retries). */
    long vendorAttempts(String text) {
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            return simulator.webMessaging().receivedFrames().stream()
                    .filter(f -> f.path("action").asText().equals("onMessage") && f.path("message").path("text").asText().equals(text)).count();
        }
        String quoted = "\"" + text + "\"";
        return simulator.requests(r -> r.method().equals("POST") && r.path().endsWith("/messages") && r.body().contains(quoted)).size();
    }

    /** Answers the vendor's next request for this chat with 429 and {@code Retry-After}. */
    void rateLimitNext(Agent agent, int retryAfterSeconds) {
        if (agent instanceof MessagingAgent messaging) {
            messaging.session().rateLimitNext(retryAfterSeconds);
        } else {
            simulator.nextRequestTooManyRequests(retryAfterSeconds);
        }
    }

    /** Answers the vendor's next request with a server error (5xx). */
    void serverErrorNext(Agent agent) {
        if (agent instanceof MessagingAgent messaging) {
            messaging.session().failNextMessage(503, "simulated server error");
        } else {
            simulator.nextRequestServiceUnavailable();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                deskbridge.close();
            } finally {
                simulator.close();
            }
        }
    }

    /** The agent of one chat, as the simulator plays it. */
    interface Agent {
        void joins();

        void sends(String text);

        /** Sends this text as one vendor frame, as it is (malformed or unknown frames). */
        void sendsRawFrame(String text);

        /** A frame the desk must skip: well-formed, of a kind it does not know. */
        String unknownFrame();

        /** A well-formed frame of the vendor's envelope with a broken body. */
        String malformedFrame();

        List<String> userTexts();

        void ends();

        /** Drops the vendor socket abnormally and refuses new ones until {@link #restore()}. */
        void drop();

        void restore();

        /** Whether the desk holds an open vendor socket for this chat now. */
        boolean connected();
    }

    private record MessagingAgent(SimulatedWebMessagingSession session) implements Agent {
        @Override
        public void joins() {
            session.agentJoins("Ada Agent", Optional.empty());
        }

        @Override
        public void sends(String text) {
            session.agentSends(text);
        }

        @Override
        public void sendsRawFrame(String text) {
            session.sendRawFrame(text);
        }

        @Override
        public String unknownFrame() {
            return "{\"type\":\"message\",\"class\":\"SomethingNewEvent\",\"code\":200,\"body\":{\"novel\":true}}";
        }

        @Override
        public String malformedFrame() {
            return "{\"type\":\"message\",\"class\":\"StructuredMessage\",\"code\":200,\"body\":{\"direction\":7,\"type\":[],\"text\":{}}}";
        }

        @Override
        public List<String> userTexts() {
            return session.userTexts();
        }

        @Override
        public void ends() {
            session.agentEnds();
        }

        @Override
        public void drop() {
            session.dropConnection();
        }

        @Override
        public void restore() {
            session.restoreConnection();
        }

        @Override
        public boolean connected() {
            return session.openConnections() > 0;
        }
    }

    private record GuestChatAgent(SimulatedConversation conversation) implements Agent {
        @Override
        public void joins() {
            conversation.agentJoins("alex", "Alex Agent");
        }

        @Override
        public void sends(String text) {
            conversation.agentSends(text);
        }

        @Override
        public void sendsRawFrame(String text) {
            conversation.sendRawFrame(text);
        }

        @Override
        public String unknownFrame() {
            return "{\"topicName\":\"v2.conversations.chats." + conversation.id() + ".attributes\",\"version\":\"2\","
                    + "\"eventBody\":{\"id\":\"x\"},\"metadata\":{\"CorrelationId\":\"c\",\"type\":\"attribute-change\"}}";
        }

        @Override
        public String malformedFrame() {
            return "{\"topicName\":\"v2.conversations.chats." + conversation.id() + ".messages\",\"version\":\"2\","
                    + "\"eventBody\":{\"id\":[],\"body\":7,\"bodyType\":{},\"sender\":\"nobody\"},\"metadata\":{\"type\":\"message\"}}";
        }

        @Override
        public List<String> userTexts() {
            return conversation.guestMessages();
        }

        @Override
        public void ends() {
            conversation.agentEndsChat();
        }

        @Override
        public void drop() {
            conversation.dropStream();
        }

        @Override
        public void restore() {
            conversation.restoreStream();
        }

        @Override
        public boolean connected() {
            return conversation.isStreamAttached();
        }
    }
}

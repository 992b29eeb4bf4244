package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent console: a page (classpath resources under {@code console/}) where a person plays the agent, and the
 * small JSON API it calls, which drives the same scripting methods tests use. It serves the chats of both
 * transports; each conversation in the state names its {@code transport} ({@code guest-chat} or {@code
 * web-messaging}).
 *
 * <ul>
 *   <li>{@code GET /api/state}: the roster and the newest conversations with their status, agent and messages
 *   <li>{@code POST /api/conversations/{id}/accept|transfer} with {@code {"agentId": ...}}
 *   <li>{@code POST /api/conversations/{id}/send|notice} with {@code {"text": ...}} (a notice is a guest chat
 *       {@code notice} message, and a bot message in web messaging)
 *   <li>{@code POST /api/conversations/{id}/typing|leave|end}, and {@code read} (web messaging only: a read receipt)
 *   <li>{@code GET /avatars/{agentId}.svg}: a generated picture with the agent's initials
 * </ul>
 * A refused action answers 409 with {@code {"error": "..."}}.
 */
final class AgentConsole implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConsole.class);
    private static final Pattern ACTION = Pattern.compile("/api/conversations/([^/]+)/([a-z]+)");
    private static final Pattern AVATAR = Pattern.compile("/avatars/([^/]+)\\.svg");
    private static final Map<String, String> RESOURCES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/console.js", "console.js", "/console.css", "console.css");
    private static final int SHOWN_CONVERSATIONS = 50;
    private static final Duration TYPING_SHOWN_FOR = Duration.ofSeconds(5);

    private final GenesysSimulator simulator;

    AgentConsole(GenesysSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        try {
            String path = http.getRequestURI().getPath();
            String method = http.getRequestMethod().toUpperCase(Locale.ROOT);
            if (method.equals("GET") && RESOURCES.containsKey(path)) {
                resource(http, RESOURCES.get(path));
            } else if (method.equals("GET") && path.equals("/api/state")) {
                json(http, 200, state());
            } else if (method.equals("GET") && AVATAR.matcher(path).matches()) {
                Matcher matcher = AVATAR.matcher(path);
                matcher.matches();
                String agentId = matcher.group(1);
                String name = simulator.agent(agentId).map(GenesysAgent::displayName).orElse(agentId);
                send(http, 200, "image/svg+xml", avatar(name).getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("POST") && ACTION.matcher(path).matches()) {
                Matcher matcher = ACTION.matcher(path);
                matcher.matches();
                byte[] body = http.getRequestBody().readNBytes(64 * 1024);
                action(http, matcher.group(1), matcher.group(2), body);
            } else {
                json(http, 404, simulator.wire().object().put("error", "no such page: " + method + " " + path));
            }
        } finally {
            http.close();
        }
    }

    private void action(HttpExchange http, String conversationId, String action, byte[] body) throws IOException {
        Optional<SimulatedConversation> found = simulator.conversation(conversationId);
        if (found.isEmpty()) {
            Optional<WebMessagingChats.Chat> chat = simulator.webMessagingChats().flatMap(c -> c.chat(conversationId));
            if (chat.isPresent()) {
                webMessagingAction(http, chat.get(), action, body);
            } else {
                json(http, 404, simulator.wire().object().put("error", "no conversation " + conversationId));
            }
            return;
        }
        SimulatedConversation conversation = found.get();
        ObjectNode answer = simulator.wire().object();
        try {
            JsonNode request = body.length == 0 ? simulator.wire().object() : simulator.wire().mapper().readTree(body);
            switch (action) {
                case "accept":
                    conversation.agentJoins(rosterAgent(request));
                    break;
                case "transfer":
                    conversation.transferTo(rosterAgent(request));
                    break;
                case "send":
                    answer.put("messageId", conversation.agentSends(text(request)));
                    break;
                case "notice":
                    answer.put("messageId", conversation.sendNotice(text(request)));
                    break;
                case "typing":
                    conversation.agentTypes();
                    break;
                case "leave":
                    conversation.agentLeaves();
                    break;
                case "end":
                    conversation.agentEndsChat();
                    break;
                case "read":
                    throw new IllegalStateException("guest chat has no read receipts");
                default:
                    json(http, 404, simulator.wire().object().put("error", "no action " + action));
                    return;
            }
        } catch (IllegalStateException | IllegalArgumentException | IOException e) {
            json(http, 409, simulator.wire().object().put("error", e.getMessage()));
            return;
        }
        LOG.debug("console: {} on conversation {}", action, conversationId);
        json(http, 200, answer.put("ok", true));
    }

    private void webMessagingAction(HttpExchange http, WebMessagingChats.Chat chat, String action, byte[] body)
            throws IOException {
        ObjectNode answer = simulator.wire().object();
        try {
            JsonNode request = body.length == 0 ? simulator.wire().object() : simulator.wire().mapper().readTree(body);
            switch (action) {
                case "accept":
                    chat.accept(rosterAgent(request));
                    break;
                case "transfer":
                    chat.transferTo(rosterAgent(request));
                    break;
                case "send":
                    answer.put("messageId", chat.send(text(request)));
                    break;
                case "notice":
                    answer.put("messageId", chat.sendAsBot(text(request)));
                    break;
                case "typing":
                    chat.typing();
                    break;
                case "read":
                    chat.read();
                    break;
                case "leave":
                    chat.leave();
                    break;
                case "end":
                    chat.end();
                    break;
                default:
                    json(http, 404, simulator.wire().object().put("error", "no action " + action));
                    return;
            }
        } catch (IllegalStateException | IllegalArgumentException | IOException e) {
            json(http, 409, simulator.wire().object().put("error", e.getMessage()));
            return;
        }
        LOG.debug("console: {} on web messaging conversation {}", action, chat.id());
        json(http, 200, answer.put("ok", true));
    }

    private GenesysAgent rosterAgent(JsonNode request) {
        String agentId = request.path("agentId").asText("");
        return simulator.agent(agentId)
                .orElseThrow(() -> new IllegalArgumentException("no agent '" + agentId + "' in the roster"));
    }

    private static String text(JsonNode request) {
        String text = request.path("text").asText("");
        if (text.isBlank()) {
            throw new IllegalArgumentException("type a message first");
        }
        return text;
    }

    private ObjectNode state() {
        ObjectNode state = simulator.wire().object();
        ArrayNode roster = state.putArray("agents");
        for (GenesysAgent agent : simulator.agents()) {
            ObjectNode node = roster.addObject().put("id", agent.id()).put("displayName", agent.displayName());
            agent.avatarUrl().ifPresent(url -> node.put("avatarUrl", url.toString()));
        }
        List<ObjectNode> nodes = new ArrayList<>();
        Instant now = simulator.now();
        for (SimulatedConversation conversation : simulator.conversations()) {
            nodes.add(guestChat(conversation, now));
        }
        simulator.webMessagingChats().ifPresent(chats -> chats.chats().forEach(chat -> nodes.add(webMessaging(chat, now))));
        // ids come from one counter, so the newest conversation has the greatest id
        nodes.sort(Comparator.comparing((ObjectNode node) -> node.path("id").asText()).reversed());
        ArrayNode conversations = state.putArray("conversations");
        nodes.subList(0, Math.min(SHOWN_CONVERSATIONS, nodes.size())).forEach(conversations::add);
        return state;
    }

    private ObjectNode guestChat(SimulatedConversation conversation, Instant now) {
        ObjectNode node = simulator.wire().object();
        node.put("id", conversation.id());
        node.put("transport", "guest-chat");
        node.put("guestName", conversation.guestDisplayName());
        node.put("queue", conversation.queue().name());
        List<SimulatedMember> members = conversation.members();
        Optional<SimulatedMember> current = conversation.currentAgent();
        Optional<SimulatedMember> alerting = members.stream()
                .filter(m -> m.role() == SimulatedMemberRole.AGENT && m.state() == SimulatedMemberState.ALERTING).findFirst();
        String status;
        if (conversation.isEnded()) {
            status = conversation.endedByGuest() ? "ended by the guest" : "ended";
        } else if (!conversation.isRouted()) {
            status = "connecting";
        } else if (current.isPresent()) {
            status = "connected";
        } else if (alerting.isPresent()) {
            status = "alerting";
        } else {
            status = "waiting";
        }
        node.put("status", status);
        node.put("streamAttached", conversation.isStreamAttached());
        current.ifPresent(agent -> node.put("agentId", agent.id())
                .put("agentName", agent.displayName().orElse(agent.id())));
        alerting.ifPresent(agent -> node.put("alertingAgentId", agent.id())
                .put("alertingAgentName", agent.displayName().orElse(agent.id())));
        node.put("guestTyping", conversation.lastGuestTyping()
                .map(at -> Duration.between(at, now).compareTo(TYPING_SHOWN_FOR) < 0).orElse(false));
        ArrayNode messages = node.putArray("messages");
        for (SimulatedMessage message : conversation.messages()) {
            if (!message.isText() && message.senderRole() != SimulatedMemberRole.AGENT) {
                continue;
            }
            ObjectNode entry = messages.addObject().put("id", message.id())
                    .put("senderRole", message.senderRole().name()).put("bodyType", message.bodyType())
                    .put("body", message.body()).put("timestamp", Wire.timestamp(message.timestamp()));
            members.stream().filter(m -> m.id().equals(message.senderId())).findFirst()
                    .flatMap(SimulatedMember::displayName).ifPresent(name -> entry.put("senderName", name));
        }
        return node;
    }

    /**
     * A web messaging chat in the same shape: the guest's texts are {@code CUSTOMER} messages, agents' texts {@code
     * AGENT}, bot and flow texts {@code BOT}, and an agent's disconnect a {@code member-leave} announcement.
     */
    private ObjectNode webMessaging(WebMessagingChats.Chat chat, Instant now) {
        ObjectNode node = simulator.wire().object();
        String guestName = chat.guestName();
        node.put("id", chat.id());
        node.put("transport", "web-messaging");
        node.put("guestName", guestName);
        node.put("queue", chat.queue().name());
        node.put("status", chat.status().text);
        node.put("streamAttached", chat.session().openConnections() > 0);
        Optional<String> agentName = chat.currentAgentName();
        agentName.ifPresent(name -> node.put("agentId", chat.currentAgentId().orElse(name)).put("agentName", name));
        chat.offeredTo().ifPresent(agent -> node.put("alertingAgentId", agent.id())
                .put("alertingAgentName", agent.displayName()));
        node.put("guestTyping", chat.guestTypedAt()
                .map(at -> Duration.between(at, now).compareTo(TYPING_SHOWN_FOR) < 0).orElse(false));
        ArrayNode messages = node.putArray("messages");
        for (JsonNode message : chat.session().transcript()) {
            boolean inbound = message.path("direction").asText().equals("Inbound");
            String type = message.path("type").asText();
            String from = message.path("channel").path("from").path("nickname").asText("");
            String timestamp = message.path("channel").path("time").asText("");
            ObjectNode entry = simulator.wire().object().put("id", message.path("id").asText())
                    .put("timestamp", timestamp.length() >= 19 ? timestamp : Wire.timestamp(now));
            if (type.equals("Text")) {
                boolean bot = message.path("originatingEntity").asText().equals("Bot");
                entry.put("senderRole", inbound ? "CUSTOMER" : bot ? "BOT" : "AGENT").put("bodyType", "standard")
                        .put("body", message.path("text").asText())
                        .put("senderName", inbound ? guestName : bot ? "Bot" : from.isEmpty() ? "Agent" : from);
            } else if (!inbound && type.equals("Event") && hasPresence(message, "Disconnect")) {
                entry.put("senderRole", "AGENT").put("bodyType", "member-leave").put("body", "")
                        .put("senderName", from.isEmpty() ? "The agent" : from);
            } else {
                continue;
            }
            messages.add(entry);
        }
        return node;
    }

    private static boolean hasPresence(JsonNode message, String presenceType) {
        for (JsonNode event : message.path("events")) {
            if (event.path("eventType").asText().equals("Presence")
                    && event.path("presence").path("type").asText().equals(presenceType)) {
                return true;
            }
        }
        return false;
    }

    /** A round picture with the initials of a name, so the console's agents have avatars with no network. */
    static String avatar(String name) {
        StringBuilder letters = new StringBuilder();
        for (String word : name.split("[^\\p{L}]+")) {
            if (!word.isEmpty() && letters.length() < 2) {
                letters.append(word.charAt(0));
            }
        }
        String initials = letters.length() == 0 ? "?" : letters.toString().toUpperCase(Locale.ROOT);
        int hue = Math.floorMod(name.hashCode(), 360);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"96\" viewBox=\"0 0 96 96\">"
                + "<circle cx=\"48\" cy=\"48\" r=\"48\" fill=\"hsl(" + hue + ",55%,45%)\"/>"
                + "<text x=\"48\" y=\"60\" font-family=\"sans-serif\" font-size=\"36\" fill=\"#fff\""
                + " text-anchor=\"middle\">" + initials + "</text></svg>";
    }

    private void resource(HttpExchange http, String name) throws IOException {
        try (InputStream in = AgentConsole.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                json(http, 404, simulator.wire().object().put("error", "missing console resource " + name));
                return;
            }
            String type = name.endsWith(".html") ? "text/html; charset=UTF-8"
                    : name.endsWith(".js") ? "text/javascript; charset=UTF-8" : "text/css; charset=UTF-8";
            send(http, 200, type, in.readAllBytes());
        }
    }

    private void json(HttpExchange http, int status, JsonNode body) throws IOException {
        send(http, status, "application/json; charset=UTF-8",
                simulator.wire().write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange http, int status, String contentType, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", contentType);
        http.getResponseHeaders().set("Cache-Control", "no-store");
        http.sendResponseHeaders(status, body.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(body);
        }
    }
}

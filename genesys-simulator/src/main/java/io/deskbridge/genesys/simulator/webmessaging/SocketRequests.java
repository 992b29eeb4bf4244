package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests a guest sends on the web messaging socket, dispatched by {@code action}: {@code configureSession} /
 * {@code configureAuthenticatedSession}, {@code onMessage} (texts and events, with Genesys's checks: rate, size,
 * read-only, clear, typing), {@code echo}, {@code getJwt}, {@code closeSession} and {@code onAttachment} (to {@link
 * PresignedUploads}). Every frame is kept, parsed, for {@link WebMessagingSimulator#receivedFrames()}. Called on the
 * socket server's thread.
 */
final class SocketRequests {
    private static final Logger LOG = LoggerFactory.getLogger(SocketRequests.class);

    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<MessengerDeployment> deployment;
    private final WebMessagingSessions sessions;
    private final PresignedUploads uploads;
    private final GuestSocketServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<SimulatedWebMessagingSession, JsonNode>> inboundListeners = new CopyOnWriteArrayList<>();

    SocketRequests(ObjectMapper json, Clock clock, Supplier<MessengerDeployment> deployment,
            WebMessagingSessions sessions, PresignedUploads uploads, GuestSocketServer server) {
        this.json = json;
        this.clock = clock;
        this.deployment = deployment;
        this.sessions = sessions;
        this.uploads = uploads;
        this.server = server;
    }

    List<JsonNode> receivedFrames() {
        return List.copyOf(received);
    }

    void addInboundListener(BiConsumer<SimulatedWebMessagingSession, JsonNode> listener) {
        inboundListeners.add(requireNonNull(listener, "listener is null"));
    }

    void handle(WebSocket connection, String text) {
        JsonNode request;
        try {
            request = json.readTree(text);
        } catch (JsonProcessingException e) {
            send(connection, error(400, "Request failed.", null));
            return;
        }
        received.add(request);
        String action = request.path("action").asText("");
        String tracingId = request.hasNonNull("tracingId") ? request.get("tracingId").asText() : null;
        LOG.debug("received {} {}", action, tracingId);
        String token = request.path("token").asText("");
        if (token.isEmpty() || token.length() > 2048) {
            send(connection, error(4020, "missing or invalid token", tracingId));
            return;
        }
        if (action.equals("configureSession") || action.equals("configureAuthenticatedSession")) {
            configure(connection, request, action, token, tracingId);
            return;
        }
        SimulatedWebMessagingSession session = sessions.bySocket(connection).orElse(null);
        if (session == null || !session.token().equals(token)) {
            send(connection, error(4007, "session not found error message", tracingId));
            return;
        }
        if (session.isExpired()) {
            send(connection, error(4006, "session expired error message", tracingId));
            return;
        }
        switch (action) {
            case "onMessage" -> onMessage(connection, session, request.path("message"), tracingId);
            case "echo" -> echo(connection, session, request, tracingId);
            case "getJwt" -> {
                String jwt = "sim-jwt-" + UUID.randomUUID();
                sessions.rememberJwt(jwt, session);
                ObjectNode body = json.createObjectNode().put("jwt", jwt).put("exp", clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
                send(connection, session.frame("response", "JwtResponse", 200, body, tracingId));
            }
            case "closeSession" -> {
                // As Genesys (the messenger SDK's closeAllConnectionsForTheSession, which it sends before starting a new
                // chat): every other socket of the session gets ConnectionClosedEvent and is closed; the caller keeps its
                // socket and is answered SessionResponse connected:false, after which it may configure a new chat. The
                // conversation itself goes on.
                for (WebSocket other : List.copyOf(session.connections())) {
                    if (other != connection) {
                        send(other, session.frame("message", "ConnectionClosedEvent", 200, json.createObjectNode(), null));
                        session.detach(other);
                        sessions.unbind(other);
                        other.close(1000, "session closed");
                    }
                }
                ObjectNode closed = json.createObjectNode().put("connected", false).put("newSession", false).put("readOnly", session.isReadOnly());
                send(connection, session.frame("response", "SessionResponse", 200, closed, tracingId));
            }
            case "onAttachment" -> uploads.presign(connection, session, request, tracingId);
            default -> send(connection, error(400, "Request failed.", tracingId));
        }
    }

    private void echo(WebSocket connection, SimulatedWebMessagingSession session, JsonNode request, String tracingId) {
        if (session.ignoresEchoes()) {
            return;
        }
        ObjectNode echo = json.createObjectNode().put("text", request.path("message").path("text").asText("ping"))
                .put("type", "Text").put("direction", "Inbound").put("id", UUID.randomUUID().toString());
        // Genesys tells how long the session lives on without activity, and when it expires.
        echo.putObject("metadata").put("durationSeconds", String.valueOf(deployment.get().sessionDuration().toSeconds()))
                .put("expirationDate", String.valueOf(session.expiresAt().getEpochSecond()));
        send(connection, session.frame("response", "StructuredMessage", 200, echo, tracingId));
    }

    private void configure(WebSocket connection, JsonNode request, String action, String token, String tracingId) {
        MessengerDeployment dep = deployment.get();
        if (!dep.deploymentId().equals(request.path("deploymentId").asText())) {
            send(connection, error(4020, "unknown deploymentId", tracingId));
            return;
        }
        if (dep.authenticationRequired()) {
            if (action.equals("configureSession")) {
                send(connection, error(401, "User is unauthorized", tracingId));
                return;
            }
            if (!dep.validAuthCodes().contains(request.path("data").path("code").asText())) {
                send(connection, error(401, "User is unauthorized", tracingId));
                return;
            }
        }
        SimulatedWebMessagingSession existing = sessions.byToken(token).orElse(null);
        if (existing != null && existing.isDropped()) {
            server.dropAbnormally(connection, "simulated outage");
            return;
        }
        if (existing == null) {
            Optional<Integer> reject = sessions.takeRejection();
            if (reject.isPresent()) {
                send(connection, error(reject.get(), reject.get() == 403 ? "HTTP authorization error" : "Request failed.", tracingId));
                return;
            }
        } else if (existing.isExpired()) {
            send(connection, error(4006, "session expired error message", tracingId));
            return;
        }
        boolean created = existing == null;
        SimulatedWebMessagingSession session = created ? sessions.create(token) : existing;
        if (request.path("startNew").asBoolean(false) && session.isReadOnly()) {
            session.startNew();
        }
        sessions.bind(connection, session);
        ObjectNode body = json.createObjectNode();
        body.put("connected", true);
        body.put("newSession", created);
        body.put("readOnly", session.isReadOnly());
        if (!dep.allowedFileTypes().isEmpty()) {
            ObjectNode inbound = body.putObject("allowedMedia").putObject("inbound");
            ArrayNode types = inbound.putArray("fileTypes");
            dep.allowedFileTypes().forEach(t -> types.addObject().put("type", t));
            inbound.put("maxFileSizeKB", dep.maxFileSizeKB());
        }
        ArrayNode blocked = body.putArray("blockedExtensions");
        dep.blockedExtensions().forEach(blocked::add);
        body.put("maxCustomDataBytes", dep.maxCustomDataBytes());
        body.put("durationSeconds", dep.sessionDuration().toSeconds());
        body.put("expirationDate", session.expiresAt().getEpochSecond());
        send(connection, session.frame("response", "SessionResponse", 200, body, tracingId));
        if (created) {
            sessions.announce(session);
        }
    }

    private void onMessage(WebSocket connection, SimulatedWebMessagingSession session, JsonNode message, String tracingId) {
        int retryAfter = session.rateLimit();
        if (retryAfter > 0) {
            ObjectNode body = json.createObjectNode().put("retryAfter", retryAfter).put("errorCode", 4029)
                    .put("errorMessage", "Message rate too high for this session");
            send(connection, session.frame("response", "TooManyRequestsErrorMessage", 429, body, tracingId));
            return;
        }
        String type = message.path("type").asText();
        if (type.equals("Event") && hasEvent(message, "Typing", "On") && !deployment.get().showUserTypingIndicator()) {
            // As Genesys: the refusal of a typing event the deployment does not show carries no tracingId.
            send(connection, error(403, "Turn on the Feature Toggle or fix the configuration.", null));
            return;
        }
        boolean clear = type.equals("Event") && hasEvent(message, "Presence", "Clear");
        if (clear) {
            if (!deployment.get().clearEnabled()) {
                send(connection, error(403, "Presence events Conversation Clear are not supported", tracingId));
                return;
            }
            session.markEndedByUser();
            session.clear();
            for (WebSocket other : List.copyOf(session.connections())) {
                send(other, session.frame("message", "SessionClearedEvent", 200, json.createObjectNode(), other == connection ? tracingId : null));
                if (other != connection) {
                    send(other, session.frame("message", "ConnectionClosedEvent", 200, json.createObjectNode(), null));
                }
            }
            return;
        }
        if (session.isReadOnly()) {
            send(connection, error(409, "Session is read-only, no new messages allowed", tracingId));
            return;
        }
        if (type.equals("Text") && !acceptText(connection, session, message, tracingId)) {
            return;
        }
        ObjectNode stored = session.recordInbound(message);
        for (BiConsumer<SimulatedWebMessagingSession, JsonNode> listener : inboundListeners) {
            try {
                listener.accept(session, message);
            } catch (RuntimeException e) {
                LOG.warn("a web messaging inbound listener failed", e);
            }
        }
        for (WebSocket other : session.connections()) {
            send(other, session.frame("message", "StructuredMessage", 200, stored, other == connection ? tracingId : null));
        }
    }

    /** Genesys's checks of a guest text; refuses it (and says false) on the first that fails. */
    private boolean acceptText(WebSocket connection, SimulatedWebMessagingSession session, JsonNode message,
            String tracingId) {
        Optional<int[]> failure = session.takeFailure();
        if (failure.isPresent()) {
            send(connection, error(failure.get()[0], session.failureText(), tracingId));
            return false;
        }
        if (message.path("text").asText("").length() > deployment.get().maxTextLength()) {
            send(connection, error(4011, "message too long", tracingId));
            return false;
        }
        JsonNode attributes = message.path("channel").path("metadata").path("customAttributes");
        if (!attributes.isMissingNode()) {
            int size = attributes.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > deployment.get().maxCustomDataBytes()) {
                send(connection, error(4013, "Custom Attributes in channel metadata is larger than "
                        + deployment.get().maxCustomDataBytes() + " bytes", tracingId));
                return false;
            }
        }
        for (JsonNode content : message.path("content")) {
            String id = content.path("attachment").path("id").asText();
            if (content.path("contentType").asText().equals("Attachment") && uploads.isPending(id)) {
                send(connection, error(4010, "attachment not uploaded", tracingId));
                return false;
            }
        }
        return true;
    }

    private ObjectNode error(int code, String text, String tracingId) {
        return ErrorFrames.error(json, code, text, tracingId);
    }

    private void send(WebSocket connection, ObjectNode frame) {
        LOG.debug("answers {} {} {} (socket open: {})", frame.path("class").asText(), frame.path("code").asInt(),
                frame.path("tracingId").asText(""), connection.isOpen());
        server.send(connection, frame);
    }

    /**
     * Whether {@code message} holds an event of {@code eventType} whose own body has {@code type}: an event's body is
     * the field named after its type ({@code presence} of a {@code Presence}, {@code typing} of a {@code Typing}).
     */
    private static boolean hasEvent(JsonNode message, String eventType, String type) {
        String body = Character.toLowerCase(eventType.charAt(0)) + eventType.substring(1);
        for (JsonNode event : message.path("events")) {
            if (event.path("eventType").asText().equals(eventType) && event.path(body).path("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }
}

package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.HttpFront.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The guest chat REST API ({@code /api/v2/webchat/guest/conversations...}, protocol reference §A).
 *
 * <p>Simulator choices where the reference is silent: a missing {@code organizationId}, {@code deploymentId} or
 * {@code memberInfo} gets {@code chat.error.notnull.createconversationrequest.<field>} (the pattern of the codes the
 * swagger lists); an unknown organization or deployment gets {@code 400 chat.error.bad.request}; queue names match
 * ignoring case; unknown fields are ignored; the guest may send {@code bodyType} {@code standard} or {@code notice}
 * (anything else is {@code 400 invalid.value}); a body over 4,000 characters is {@code 400 constraint.validation};
 * a token of another conversation is {@code 403 not.authorized}.
 */
final class GuestChatEndpoints {
    private static final String CONVERSATIONS = "/api/v2/webchat/guest/conversations";
    private static final String ID = "([^/]+)";

    private final SimulatedOrganization organization;
    private final TokenAuthority tokens;
    private final GuestChatConversations conversations;
    private final Wire wire;

    GuestChatEndpoints(SimulatedOrganization organization, TokenAuthority tokens, GuestChatConversations conversations,
            Wire wire) {
        this.organization = organization;
        this.tokens = tokens;
        this.conversations = conversations;
        this.wire = wire;
    }

    List<HttpFront.Route> routes() {
        String conversation = CONVERSATIONS + "/" + ID;
        return List.of(
                route("POST", CONVERSATIONS, (exchange, p) -> create(exchange)),
                route("GET", conversation + "/members", (exchange, p) -> members(exchange, p.get(0))),
                route("GET", conversation + "/members/" + ID, (exchange, p) -> member(exchange, p.get(0), p.get(1))),
                route("DELETE", conversation + "/members/" + ID, (exchange, p) -> leave(exchange, p.get(0), p.get(1))),
                route("POST", conversation + "/members/" + ID + "/messages",
                        (exchange, p) -> send(exchange, p.get(0), p.get(1))),
                route("POST", conversation + "/members/" + ID + "/typing",
                        (exchange, p) -> typing(exchange, p.get(0), p.get(1))),
                route("GET", conversation + "/messages", (exchange, p) -> messages(exchange, p.get(0))),
                route("GET", conversation + "/messages/" + ID, (exchange, p) -> message(exchange, p.get(0), p.get(1))));
    }

    private Response create(Exchange exchange) {
        JsonNode request = exchange.jsonObject(wire.mapper(), true).orElseThrow();
        String organizationId = requiredText(request, "organizationId",
                "chat.error.notnull.createconversationrequest.organizationid");
        String deploymentId = requiredText(request, "deploymentId",
                "chat.error.notnull.createconversationrequest.deploymentid");
        if (!Ids.isUuid(deploymentId)) {
            throw ApiError.onField(400, "chat.error.pattern.createconversationrequest.deploymentid",
                    "deploymentId must be a UUID, not '" + deploymentId + "'.", "deploymentId");
        }
        JsonNode routingTarget = request.get("routingTarget");
        if (routingTarget == null || routingTarget.isNull()) {
            throw ApiError.onField(400, "chat.error.notnull.createconversationrequest.routingtarget",
                    "routingTarget may not be null.", "routingTarget");
        }
        String targetType = text(routingTarget, "targetType").orElse("");
        Optional<String> targetAddress = text(routingTarget, "targetAddress").filter(a -> !a.isBlank());
        if (!targetType.equalsIgnoreCase("QUEUE") || targetAddress.isEmpty()) {
            throw ApiError.onField(400, "chat.error.createconversationrequest.routingtarget",
                    "routingTarget must have targetType QUEUE and a targetAddress naming the queue.", "routingTarget");
        }
        JsonNode memberInfo = request.get("memberInfo");
        if (memberInfo == null || !memberInfo.isObject()) {
            throw ApiError.onField(400, "chat.error.notnull.createconversationrequest.memberinfo",
                    "memberInfo may not be null.", "memberInfo");
        }
        if (text(memberInfo, "displayName").filter(name -> !name.isBlank()).isEmpty()) {
            throw ApiError.onField(400, "chat.error.notnull.createconversationrequest.memberinfo.displayname",
                    "memberInfo.displayName may not be null.", "memberInfo.displayName");
        }
        if (!organizationId.equalsIgnoreCase(organization.organizationId())) {
            throw ApiError.onField(400, "chat.error.bad.request",
                    "Organization " + organizationId + " is not known here.", "organizationId");
        }
        GuestChatDeployment deployment = organization.deployment(deploymentId).orElseThrow(() -> ApiError.onField(400,
                "chat.error.bad.request", "Deployment " + deploymentId + " was not found in the organization.",
                "deploymentId"));
        if (deployment.disabled()) {
            throw ApiError.of(400, "chat.deployment.disabled", "Deployment " + deploymentId + " is disabled.");
        }
        if (!deployment.allowedOrigins().isEmpty()) {
            Optional<String> origin = exchange.header("Origin");
            if (origin.isEmpty() || !deployment.allowsOrigin(origin.get())) {
                throw ApiError.of(403, "origin.not.allowed", "The origin of the request ("
                        + origin.orElse("none") + ") is not allowed by deployment " + deploymentId + ".");
            }
        }
        Optional<JsonNode> signedData = Optional.empty();
        if (deployment.authenticationRequired()) {
            Optional<String> token = text(request, "memberAuthToken").filter(t -> !t.isBlank());
            if (token.isEmpty()) {
                throw ApiError.of(400, "chat.deployment.require.auth",
                        "Deployment " + deploymentId + " requires an authenticated guest (memberAuthToken).");
            }
            signedData = Optional.of(tokens.verifySignedData(token.get()).orElseThrow(() -> ApiError.of(400,
                    "chat.deployment.bad.auth", "The memberAuthToken was not accepted.")));
        }
        SimulatedQueue queue = organization.queueByName(targetAddress.get()).orElseThrow(() -> ApiError.onField(400,
                "chat.error.invalid.queue", "Queue '" + targetAddress.get() + "' does not exist.",
                "routingTarget.targetAddress"));
        SimulatedConversation conversation = conversations.create(deployment, queue, request, signedData);
        ObjectNode answer = wire.object().put("id", conversation.id()).put("jwt", conversation.jwt())
                .put("eventStreamUri", conversation.eventStreamUri().toString());
        answer.putObject("member").put("id", conversation.guestMemberId());
        return Response.ok(answer);
    }

    private Response members(Exchange exchange, String conversationId) {
        SimulatedConversation conversation = authenticate(exchange, conversationId);
        int pageSize = exchange.intParameter("pageSize", 25, 1, 100);
        int pageNumber = exchange.intParameter("pageNumber", 1, 1, Integer.MAX_VALUE);
        boolean exclude = exchange.booleanParameter("excludeDisconnectedMembers");
        return Response.ok(conversation.membersPage(pageSize, pageNumber, exclude));
    }

    private Response member(Exchange exchange, String conversationId, String memberId) {
        return Response.ok(authenticate(exchange, conversationId).memberJson(memberId));
    }

    private Response leave(Exchange exchange, String conversationId, String memberId) {
        authenticate(exchange, conversationId).guestLeaves(memberId);
        return Response.noContent();
    }

    private Response send(Exchange exchange, String conversationId, String memberId) {
        SimulatedConversation conversation = authenticate(exchange, conversationId);
        JsonNode request = exchange.jsonObject(wire.mapper(), true).orElseThrow();
        return Response.ok(conversation.postGuestMessage(memberId, text(request, "body"), text(request, "bodyType")));
    }

    private Response typing(Exchange exchange, String conversationId, String memberId) {
        return Response.ok(authenticate(exchange, conversationId).guestTyping(memberId));
    }

    private Response messages(Exchange exchange, String conversationId) {
        SimulatedConversation conversation = authenticate(exchange, conversationId);
        String sortOrder = exchange.parameter("sortOrder").orElse("ascending").toLowerCase(Locale.ROOT);
        if (!sortOrder.equals("ascending") && !sortOrder.equals("descending")) {
            throw ApiError.onField(400, "invalid.value",
                    "sortOrder must be ascending or descending, not '" + sortOrder + "'.", "sortOrder");
        }
        int maxResults = exchange.intParameter("maxResults", 100, 1, 100);
        return Response.ok(conversation.messagesPage(exchange.parameter("after").filter(a -> !a.isEmpty()),
                exchange.parameter("before").filter(b -> !b.isEmpty()), sortOrder.equals("descending"), maxResults));
    }

    private Response message(Exchange exchange, String conversationId, String messageId) {
        return Response.ok(authenticate(exchange, conversationId).messageJson(messageId));
    }

    /** The guest JWT check every endpoint but create makes. */
    private SimulatedConversation authenticate(Exchange exchange, String conversationId) {
        SimulatedConversation owner = conversations.forGuestToken(TokenAuthority.bearerToken(exchange))
                .orElseThrow(() -> ApiError.of(401, "bad.credentials", "Invalid login credentials."));
        owner.checkGuestTokenValid();
        if (!owner.id().equals(conversationId)) {
            if (conversations.conversation(conversationId).isEmpty()) {
                throw ApiError.of(404, "chat.error.not.found", "Conversation " + conversationId + " was not found.");
            }
            throw ApiError.of(403, "not.authorized", "The guest token is not valid for conversation "
                    + conversationId + ".");
        }
        return owner;
    }

    private static String requiredText(JsonNode node, String field, String code) {
        return text(node, field).filter(value -> !value.isBlank())
                .orElseThrow(() -> ApiError.onField(400, code, field + " may not be null.", field));
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}

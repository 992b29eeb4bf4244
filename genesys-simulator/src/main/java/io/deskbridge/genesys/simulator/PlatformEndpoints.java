package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.HttpFront.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform API the desk calls with an OAuth token: signed data (§C), queue lookup, queue observations and the
 * estimated wait time (§E).
 *
 * <p>Simulator choices: queue names match ignoring case, with {@code *} allowed at either end; observations answer
 * only the queues the filter names by {@code queueId}, list {@code oOnQueueUsers} and {@code oUserRoutingStatuses}
 * once per routing status that has agents (no entry when none), and give the waiting and interacting counts of guest
 * chats to the {@code chat} media type and of web messaging chats to {@code message} (zero for the others); {@code
 * filter} and {@code metrics} are required.
 */
final class PlatformEndpoints {
    private static final List<String> MEDIA_TYPES = List.of("voice", "chat", "email", "callback", "message");
    private static final Set<String> USER_METRICS = Set.of(
            "oOnQueueUsers", "oOffQueueUsers", "oActiveUsers", "oMemberUsers", "oUserRoutingStatuses",
            "oUserPresences");
    private static final Set<String> CONVERSATION_METRICS = Set.of(
            "oWaiting", "oInteracting", "oAlerting", "oLongestWaiting", "oLongestInteracting");
    private static final Map<String, String> INTENTS = Map.of(
            "all", "ALL", "call", "CALL", "chat", "CHAT", "callback", "CALLBACK", "email", "EMAIL",
            "videocomm", "VIDEOCOMM", "message", "MESSAGE");

    private final SimulatedOrganization organization;
    private final TokenAuthority tokens;
    private final GuestChatConversations conversations;
    private final Wire wire;

    PlatformEndpoints(SimulatedOrganization organization, TokenAuthority tokens, GuestChatConversations conversations,
            Wire wire) {
        this.organization = organization;
        this.tokens = tokens;
        this.conversations = conversations;
        this.wire = wire;
    }

    List<HttpFront.Route> routes() {
        return List.of(
                route("POST", "/api/v2/signeddata", (exchange, p) -> signedData(exchange)),
                route("GET", "/api/v2/routing/queues", (exchange, p) -> queues(exchange)),
                route("GET", "/api/v2/routing/queues/([^/]+)/estimatedwaittime",
                        (exchange, p) -> estimatedWait(exchange, p.get(0), "chat")),
                route("GET", "/api/v2/routing/queues/([^/]+)/mediatypes/([^/]+)/estimatedwaittime",
                        (exchange, p) -> estimatedWait(exchange, p.get(0), p.get(1))),
                route("POST", "/api/v2/analytics/queues/observations/query", (exchange, p) -> observations(exchange)));
    }

    private Response signedData(Exchange exchange) {
        tokens.authenticatePlatform(exchange);
        JsonNode data = exchange.jsonObject(wire.mapper(), false)
                .orElseGet(() -> wire.object());
        return Response.ok(wire.object().put("jwt", tokens.signData(data)));
    }

    private Response queues(Exchange exchange) {
        tokens.authenticatePlatform(exchange);
        int pageSize = exchange.intParameter("pageSize", 25, 1, 500);
        int pageNumber = exchange.intParameter("pageNumber", 1, 1, Integer.MAX_VALUE);
        Optional<String> name = exchange.parameter("name").filter(n -> !n.isEmpty());
        List<SimulatedQueue> matching = new ArrayList<>();
        for (SimulatedQueue queue : organization.queues()) {
            if (name.isEmpty() || nameMatches(name.get(), queue.name())) {
                matching.add(queue);
            }
        }
        matching.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
        if ("desc".equalsIgnoreCase(exchange.parameter("sortOrder").orElse("asc"))) {
            Collections.reverse(matching);
        }
        int total = matching.size();
        int pageCount = Math.max(1, (total + pageSize - 1) / pageSize);
        int from = Math.min(total, (pageNumber - 1) * pageSize);
        int to = Math.min(total, from + pageSize);
        ObjectNode listing = wire.object();
        ArrayNode entities = listing.putArray("entities");
        for (SimulatedQueue queue : matching.subList(from, to)) {
            entities.addObject().put("id", queue.id()).put("name", queue.name())
                    .put("selfUri", "/api/v2/routing/queues/" + queue.id());
        }
        String base = "/api/v2/routing/queues?pageSize=" + pageSize
                + name.map(n -> "&name=" + URLEncoder.encode(n, StandardCharsets.UTF_8))
                        .orElse("")
                + "&pageNumber=";
        listing.put("pageSize", pageSize).put("pageNumber", pageNumber).put("total", total)
                .put("firstUri", base + 1).put("selfUri", base + pageNumber).put("lastUri", base + pageCount)
                .put("pageCount", pageCount);
        if (pageNumber < pageCount) {
            listing.put("nextUri", base + (pageNumber + 1));
        }
        if (pageNumber > 1) {
            listing.put("previousUri", base + (pageNumber - 1));
        }
        return Response.ok(listing);
    }

    static boolean nameMatches(String pattern, String name) {
        String wanted = pattern.toLowerCase(Locale.ROOT);
        String actual = name.toLowerCase(Locale.ROOT);
        boolean leading = wanted.startsWith("*");
        if (leading) {
            wanted = wanted.substring(1);
        }
        boolean trailing = wanted.endsWith("*");
        if (trailing) {
            wanted = wanted.substring(0, wanted.length() - 1);
        }
        if (leading && trailing) {
            return actual.contains(wanted);
        } else if (leading) {
            return actual.endsWith(wanted);
        } else if (trailing) {
            return actual.startsWith(wanted);
        }
        return actual.equals(wanted);
    }

    private Response estimatedWait(Exchange exchange, String queueId, String mediaType) {
        tokens.authenticatePlatform(exchange);
        String intent = INTENTS.get(mediaType.toLowerCase(Locale.ROOT));
        if (intent == null) {
            throw ApiError.onField(400, "invalid.value", "mediaType must be one of all, call, chat, callback, email,"
                    + " videoComm, message; not '" + mediaType + "'.", "mediaType");
        }
        SimulatedQueue queue = organization.queueById(queueId)
                .orElseThrow(() -> ApiError.of(404, "not.found", "Queue " + queueId + " was not found."));
        Optional<Duration> wait = queue.estimatedWait();
        Optional<String> conversationId = exchange.parameter("conversationId").filter(c -> !c.isEmpty());
        if (conversationId.isPresent()) {
            SimulatedConversation conversation = conversations.conversation(conversationId.get())
                    .orElseThrow(() -> ApiError.of(404, "not.found",
                            "Conversation " + conversationId.get() + " was not found."));
            wait = conversation.estimatedWait();
        }
        ObjectNode answer = wire.object();
        ArrayNode results = answer.putArray("results");
        wait.ifPresent(w -> results.addObject().put("intent", intent).put("formula", "BEST")
                .put("estimatedWaitTimeSeconds", w.toSeconds()));
        return Response.ok(answer);
    }

    private Response observations(Exchange exchange) {
        tokens.authenticatePlatform(exchange);
        JsonNode query = exchange.jsonObject(wire.mapper(), true).orElseThrow();
        JsonNode filter = query.get("filter");
        if (filter == null || !filter.isObject()) {
            throw ApiError.onField(400, "bad.request", "filter is required.", "filter");
        }
        JsonNode metricsNode = query.get("metrics");
        if (metricsNode == null || !metricsNode.isArray() || metricsNode.isEmpty()) {
            throw ApiError.onField(400, "bad.request", "metrics is required (for example [\"oOnQueueUsers\"]).",
                    "metrics");
        }
        List<String> metrics = new ArrayList<>();
        for (JsonNode metric : metricsNode) {
            String name = metric.asText();
            if (!USER_METRICS.contains(name) && !CONVERSATION_METRICS.contains(name)) {
                throw ApiError.onField(400, "bad.request", "Unknown metric '" + name + "'.", "metrics");
            }
            metrics.add(name);
        }
        Set<String> queueIds = new LinkedHashSet<>();
        Set<String> mediaTypes = new LinkedHashSet<>();
        collectDimensions(filter, queueIds, mediaTypes);
        ObjectNode answer = wire.object();
        ArrayNode results = answer.putArray("results");
        for (String queueId : queueIds) {
            Optional<SimulatedQueue> found = organization.queueById(queueId);
            if (found.isEmpty()) {
                continue;
            }
            SimulatedQueue queue = found.get();
            Map<RoutingStatus, Integer> agents = queue.agents();
            ObjectNode userGroup = wire.object();
            userGroup.putObject("group").put("queueId", queueId);
            ArrayNode userData = userGroup.putArray("data");
            int onQueue = 0;
            int all = 0;
            for (Map.Entry<RoutingStatus, Integer> entry : agents.entrySet()) {
                all += entry.getValue();
                if (entry.getKey().onQueue()) {
                    onQueue += entry.getValue();
                }
            }
            for (String metric : metrics) {
                switch (metric) {
                    case "oOnQueueUsers":
                    case "oUserRoutingStatuses":
                        for (RoutingStatus status : RoutingStatus.values()) {
                            int count = agents.getOrDefault(status, 0);
                            if (count > 0 && (status.onQueue() || metric.equals("oUserRoutingStatuses"))) {
                                ObjectNode datum = userData.addObject().put("metric", metric)
                                        .put("qualifier", status.name());
                                datum.putObject("stats").put("count", count);
                            }
                        }
                        break;
                    case "oOffQueueUsers":
                        count(userData, metric, agents.getOrDefault(RoutingStatus.OFF_QUEUE, 0));
                        break;
                    case "oActiveUsers":
                        count(userData, metric, onQueue);
                        break;
                    case "oMemberUsers":
                        count(userData, metric, all);
                        break;
                    default:
                        break;
                }
            }
            if (!userData.isEmpty()) {
                results.add(userGroup);
            }
            for (String mediaType : MEDIA_TYPES) {
                if (!mediaTypes.isEmpty() && !mediaTypes.contains(mediaType)) {
                    continue;
                }
                boolean chat = mediaType.equals("chat");
                boolean message = mediaType.equals("message");
                ObjectNode conversationGroup = wire.object();
                conversationGroup.putObject("group").put("mediaType", mediaType).put("queueId", queueId);
                ArrayNode data = conversationGroup.putArray("data");
                for (String metric : metrics) {
                    if (metric.equals("oWaiting")) {
                        count(data, metric, chat ? queue.waiting() : message ? queue.webMessagingWaiting() : 0);
                    } else if (metric.equals("oInteracting")) {
                        count(data, metric, chat ? queue.interacting()
                                : message ? queue.webMessagingInteracting() : 0);
                    } else if (metric.equals("oAlerting")) {
                        count(data, metric, 0);
                    }
                }
                if (!data.isEmpty()) {
                    results.add(conversationGroup);
                }
            }
        }
        return Response.ok(answer);
    }

    private static void count(ArrayNode data, String metric, int count) {
        data.addObject().put("metric", metric).putObject("stats").put("count", count);
    }

    private static void collectDimensions(JsonNode filter, Set<String> queueIds, Set<String> mediaTypes) {
        for (JsonNode predicate : filter.path("predicates")) {
            String dimension = predicate.path("dimension").asText();
            String value = predicate.path("value").asText();
            if (value.isEmpty()) {
                continue;
            }
            if (dimension.equals("queueId")) {
                queueIds.add(value);
            } else if (dimension.equals("mediaType")) {
                mediaTypes.add(value.toLowerCase(Locale.ROOT));
            }
        }
        for (JsonNode clause : filter.path("clauses")) {
            collectDimensions(clause, queueIds, mediaTypes);
        }
    }
}

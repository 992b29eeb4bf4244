package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/v2/webmessaging/messages}: a page of the session's conversation, newest first, for the bearer JWT
 * {@code getJwt} handed out ({@code pageSize} 1 to 100, 25 by default; {@code pageNumber} from 1).
 */
final class HistoryEndpoint {
    static final String PATH = "/api/v2/webmessaging/messages";

    private final ObjectMapper json;
    private final WebMessagingSessions sessions;

    HistoryEndpoint(ObjectMapper json, WebMessagingSessions sessions) {
        this.json = json;
        this.sessions = sessions;
    }

    void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            SimulatedWebMessagingSession session = authorization.startsWith("Bearer ")
                    ? sessions.byJwt(authorization.substring(7)).orElse(null) : null;
            if (!exchange.getRequestMethod().equals("GET")) {
                WebMessagingRest.respond(exchange, 405, json.createObjectNode().put("status", 405).put("code", "method.not.allowed"), json);
                return;
            }
            if (session == null) {
                WebMessagingRest.respond(exchange, 401, json.createObjectNode().put("status", 401)
                        .put("code", authorization.isEmpty() ? "authentication.required" : "bad.credentials").put("message", "Unauthorized"), json);
                return;
            }
            if (session.takeDropOnHistoryRead()) {
                session.dropConnection();
                session.restoreConnection();
            }
            Map<String, String> query = query(exchange.getRequestURI());
            int pageSize = Math.max(1, Math.min(100, parse(query.get("pageSize"), 25)));
            int pageNumber = Math.max(1, parse(query.get("pageNumber"), 1));
            List<ObjectNode> all = session.historyNewestFirst();
            int from = Math.min(all.size(), (pageNumber - 1) * pageSize);
            int to = Math.min(all.size(), from + pageSize);
            ObjectNode page = json.createObjectNode();
            ArrayNode entities = page.putArray("entities");
            all.subList(from, to).forEach(entities::add);
            page.put("pageSize", pageSize);
            page.put("pageNumber", pageNumber);
            page.put("total", all.size());
            page.put("pageCount", (all.size() + pageSize - 1) / pageSize);
            WebMessagingRest.respond(exchange, 200, page, json);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new ConcurrentHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

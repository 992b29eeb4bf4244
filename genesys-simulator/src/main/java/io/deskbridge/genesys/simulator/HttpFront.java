package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front of the REST API and the login server: reads the request, applies a scripted {@link RequestFault},
 * routes it, renders {@link ApiError}s as error bodies, stamps {@code inin-correlation-id} on every answer and
 * records the exchange in the request log.
 */
final class HttpFront implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    /** Serves one route; {@code parameters} are the pattern's groups in order. */
    interface Endpoint {
        Response handle(Exchange exchange, List<String> parameters);
    }

    record Route(String method, Pattern pattern, Endpoint endpoint) {}

    private final Ids ids;
    private final Wire wire;
    private final ScriptedFaults faults;
    private final RequestLog requestLog;
    private final RecordedRequest.Server server;
    private final List<Route> routes;

    HttpFront(Ids ids, Wire wire, ScriptedFaults faults, RequestLog requestLog, RecordedRequest.Server server,
            List<Route> routes) {
        this.ids = ids;
        this.wire = wire;
        this.faults = faults;
        this.requestLog = requestLog;
        this.server = server;
        this.routes = List.copyOf(routes);
    }

    static Route route(String method, String regex, Endpoint endpoint) {
        return new Route(method, Pattern.compile(regex), endpoint);
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        String correlationId = ids.next(Ids.Kind.CORRELATION);
        byte[] body = Exchange.readBody(http);
        Exchange exchange = new Exchange(http, body);
        Response response;
        try {
            response = serve(exchange, body.length);
        } catch (ApiError error) {
            Map<String, String> headers = error.retryAfterSeconds().isPresent()
                    ? Map.of("Retry-After", Integer.toString(error.retryAfterSeconds().getAsInt()))
                    : Map.of();
            response = new Response(error.status(), Optional.of(error.body(wire.mapper(),
                    correlationId)), headers);
        } catch (RuntimeException e) {
            LOG.error("simulator failed to serve {} {}", exchange.method(), exchange.path(), e);
            response = new Response(500, Optional.of(ApiError.of(500, "internal.server.error",
                    "The simulator failed: " + e).body(wire.mapper(), correlationId)), Map.of());
        }
        // recorded before answering, so that a client that got the answer finds its request in the log
        requestLog.record(new RecordedRequest(server, exchange.method(), exchange.path(), exchange.query(),
                http.getRequestHeaders(), exchange.bodyText(), response.status()));
        try {
            send(http, response, correlationId);
        } finally {
            http.close();
        }
    }

    private Response serve(Exchange exchange, int bodyLength) {
        if (bodyLength > Exchange.MAX_BODY_BYTES) {
            throw ApiError.withParams(413, "request.entity.too.large", "Maximum bytes: {max}",
                    Map.of("max", Integer.toString(Exchange.MAX_BODY_BYTES)));
        }
        Optional<RequestFault> fault = faults.take(exchange.method(), exchange.path());
        if (fault.isPresent()) {
            LOG.info("simulator answers {} {} with the scripted fault {} {}", exchange.method(), exchange.path(),
                    fault.get().status(), fault.get().code());
            throw ApiError.fromFault(fault.get());
        }
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(exchange.path());
            if (matcher.matches()) {
                pathKnown = true;
                if (route.method().equals(exchange.method())) {
                    List<String> parameters = new ArrayList<>();
                    for (int group = 1; group <= matcher.groupCount(); group++) {
                        parameters.add(matcher.group(group));
                    }
                    return route.endpoint().handle(exchange, parameters);
                }
            }
        }
        if (pathKnown) {
            throw ApiError.of(405, "method.not.allowed",
                    "Method " + exchange.method() + " is not allowed on " + exchange.path() + ".");
        }
        throw ApiError.of(404, "not.found", "No resource at " + exchange.method() + " " + exchange.path() + ".");
    }

    private void send(HttpExchange http, Response response, String correlationId) throws IOException {
        http.getResponseHeaders().set("inin-correlation-id", correlationId);
        response.headers().forEach((name, value) -> http.getResponseHeaders().set(name, value));
        if (response.body().isEmpty()) {
            http.sendResponseHeaders(response.status(), -1);
            return;
        }
        JsonNode body = response.body().get();
        byte[] bytes = wire.write(body).getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        http.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }
}

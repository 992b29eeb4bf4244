package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Passes a REST request the web messaging simulator does not serve itself on to the platform API ({@link
 * WebMessagingSimulator.Builder#platformApi(URI)}: method, path, query, the headers a client of the platform API
 * sends, and the body), and its answer back as it is; answers 404 without a platform API and 502 when it does not
 * answer.
 */
final class PlatformForwarder {
    private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("authorization", "content-type", "accept",
            "origin", "user-agent");
    private static final Set<String> FORWARDED_RESPONSE_HEADERS = Set.of("content-type", "retry-after",
            "inin-correlation-id");

    private final ObjectMapper json;
    private final Optional<URI> platformApi;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    PlatformForwarder(ObjectMapper json, Optional<URI> platformApi) {
        this.json = json;
        this.platformApi = platformApi;
    }

    void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (platformApi.isEmpty()) {
                WebMessagingRest.respond(exchange, 404, json.createObjectNode().put("status", 404).put("code", "not.found")
                        .put("message", "No resource at " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "."), json);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String base = platformApi.get().toString().replaceAll("/+$", "");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while forwarding to the platform API", e);
            } catch (IOException e) {
                WebMessagingRest.respond(exchange, 502, json.createObjectNode().put("status", 502).put("code", "bad.gateway")
                        .put("message", "The platform API did not answer: " + e.getMessage()), json);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (FORWARDED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> exchange.getResponseHeaders().add(name, value));
                }
            });
            byte[] bytes = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }
}

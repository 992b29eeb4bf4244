package io.deskbridge.genesys.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A tiny HTTP server on a loopback ephemeral port for tests: answers are scripted per path prefix (queued answers
 * first, then a default), and every request is logged.
 */
final class LocalHttpServer implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, body, all);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> queued = new java.util.LinkedHashMap<>();
    private final Map<String, Function<Request, Answer>> defaults = new java.util.LinkedHashMap<>();

    LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "local-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers requests whose path starts with {@code pathPrefix} with {@code answer} (after any queued answers). */
    synchronized LocalHttpServer on(String pathPrefix, Function<Request, Answer> answer) {
        defaults.put(pathPrefix, answer);
        return this;
    }

    /** Answers the next request whose path starts with {@code pathPrefix} with {@code answer}, once. */
    synchronized LocalHttpServer once(String pathPrefix, Answer answer) {
        queued.computeIfAbsent(pathPrefix, k -> new ArrayDeque<>()).add(answer);
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
        Answer answer = null;
        synchronized (this) {
            requests.add(request);
            for (Map.Entry<String, Deque<Answer>> entry : queued.entrySet()) {
                if (request.path().startsWith(entry.getKey()) && !entry.getValue().isEmpty()) {
                    answer = entry.getValue().poll();
                    break;
                }
            }
            if (answer == null) {
                Function<Request, Answer> fallback = null;
                int longest = -1;
                for (Map.Entry<String, Function<Request, Answer>> entry : defaults.entrySet()) {
                    if (request.path().startsWith(entry.getKey()) && entry.getKey().length() > longest) {
                        fallback = entry.getValue();
                        longest = entry.getKey().length();
                    }
                }
                answer = fallback == null ? Answer.json(404, "{\"status\":404,\"code\":\"not.found\"}") : fallback.apply(request);
            }
        }
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), answer.status() == 204 || bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.deskbridge.genesys.webmessaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server standing in front of the simulator's pre-signed upload URLs: it records the headers of every
 * PUT, then forwards the PUT to the URL it stands for (so the simulator still sees the upload and reports it).
 */
final class RecordingPutForwarder implements AutoCloseable {
    /** One PUT: its headers, names in lower case. */
    record Put(Map<String, List<String>> headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT))).filter(v -> !v.isEmpty()).map(v -> v.get(0));
        }
    }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Put> puts = new CopyOnWriteArrayList<>();

    RecordingPutForwarder() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.start();
    }

    /** The URL that records a PUT and forwards it to {@code target}. */
    String standInFor(String target) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/put?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    }

    List<Put> puts() {
        return List.copyOf(puts);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            puts.add(new Put(headers));
            String query = exchange.getRequestURI().getRawQuery();
            URI target = URI.create(URLDecoder.decode(query.substring("to=".length()), StandardCharsets.UTF_8));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpResponse<Void> answer;
            try {
                answer = client.send(HttpRequest.newBuilder(target).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            exchange.sendResponseHeaders(answer.statusCode(), -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

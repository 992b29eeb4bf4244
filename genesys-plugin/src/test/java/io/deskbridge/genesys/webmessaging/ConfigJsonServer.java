package io.deskbridge.genesys.webmessaging;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server of one Messenger deployment's {@code config.json}, as Genesys's CDN serves it, for tests whose
 * deployment configuration the simulator cannot express (its base URL goes in {@code genesys.deploymentConfigBaseUrl}).
 */
final class ConfigJsonServer implements AutoCloseable {
    private final HttpServer server;

    ConfigJsonServer(String deploymentId, String configJson) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/webdeployments/v1/deployments/" + deploymentId + "/config.json", exchange -> {
            byte[] body = configJson.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The base URL for {@code genesys.deploymentConfigBaseUrl}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

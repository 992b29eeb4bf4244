package io.deskbridge.genesys.simulator.webmessaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/**
 * The REST side of the web messaging simulator ({@link WebMessagingSimulator#REST_PATHS}): routes the history, the
 * pre-signed uploads and the deployment's configuration to their endpoints, and anything else to the platform API
 * forwarder.
 */
final class WebMessagingRest implements HttpHandler {
    private final HistoryEndpoint history;
    private final PresignedUploads uploads;
    private final DeploymentConfigEndpoint deploymentConfig;
    private final PlatformForwarder forwarder;

    WebMessagingRest(HistoryEndpoint history, PresignedUploads uploads, DeploymentConfigEndpoint deploymentConfig,
            PlatformForwarder forwarder) {
        this.history = history;
        this.uploads = uploads;
        this.deploymentConfig = deploymentConfig;
        this.forwarder = forwarder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals(HistoryEndpoint.PATH)) {
            history.serve(exchange);
        } else if (path.startsWith(PresignedUploads.PATH_PREFIX)) {
            uploads.upload(exchange);
        } else if (path.startsWith(WebMessagingSimulator.CONFIG_PATH_PREFIX)) {
            deploymentConfig.serve(exchange, path);
        } else {
            forwarder.forward(exchange);
        }
    }

    /** Answers {@code body} as JSON with {@code status}; the caller closes the exchange. */
    static void respond(HttpExchange exchange, int status, JsonNode body, ObjectMapper json) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One request to the REST API or login server, read in full, with the checks every endpoint shares. */
final class Exchange {
    /** {@code request.bytes.max} of the platform. */
    static final int MAX_BODY_BYTES = 512_000;

    private final HttpExchange http;
    private final String method;
    private final String path;
    private final String query;
    private final byte[] body;
    private final Map<String, String> queryParameters;

    Exchange(HttpExchange http, byte[] body) {
        this.http = http;
        this.method = http.getRequestMethod().toUpperCase(Locale.ROOT);
        this.path = http.getRequestURI().getRawPath();
        String rawQuery = http.getRequestURI().getRawQuery();
        this.query = rawQuery == null ? "" : rawQuery;
        this.body = body;
        this.queryParameters = RecordedRequest.parseQuery(query);
    }

    static byte[] readBody(HttpExchange http) throws IOException {
        byte[] body = http.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        http.getRequestBody().close();
        return body;
    }

    String method() {
        return method;
    }

    String path() {
        return path;
    }

    String query() {
        return query;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    boolean hasBody() {
        return body.length > 0;
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(queryParameters.get(name));
    }

    int intParameter(String name, int defaultValue, int min, int max) {
        Optional<String> value = parameter(name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw badParameter(name, value.get(), "between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw badParameter(name, value.get(), "a whole number");
        }
    }

    boolean booleanParameter(String name) {
        Optional<String> value = parameter(name);
        if (value.isEmpty()) {
            return false;
        }
        if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value.get());
        }
        throw badParameter(name, value.get(), "true or false");
    }

    private static ApiError badParameter(String name, String value, String expected) {
        return ApiError.onField(400, "invalid.value",
                "Query parameter " + name + " must be " + expected + ", not '" + value + "'.", name);
    }

    /**
     * The body as a JSON object: {@code 415 unsupported.media.type} unless the content type is JSON, {@code 400
     * bad.request} if it is missing (when required), not JSON, or not an object.
     */
    Optional<JsonNode> jsonObject(ObjectMapper json, boolean required) {
        if (!hasBody()) {
            if (required) {
                throw ApiError.of(400, "bad.request", "The request body is required and must be a JSON object.");
            }
            return Optional.empty();
        }
        String contentType = header("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiError.of(415, "unsupported.media.type",
                    "Unsupported media type '" + contentType + "'; send application/json.");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.of(400, "bad.request", "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.of(400, "bad.request", "The request body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.of(400, "bad.request", "The request body must be a JSON object.");
        }
        return Optional.of(node);
    }
}

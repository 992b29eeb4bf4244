package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/** What an endpoint answers: a status, a JSON body unless 204, and extra headers. */
record Response(int status, Optional<JsonNode> body, Map<String, String> headers) {
    Response {
        requireNonNull(body, "body is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    }

    static Response ok(JsonNode body) {
        return new Response(200, Optional.of(body), Map.of());
    }

    static Response noContent() {
        return new Response(204, Optional.empty(), Map.of());
    }
}

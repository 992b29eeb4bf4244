package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request the simulator received, as a test asserts on it.
 *
 * @param server which of the simulator's servers received it
 * @param method the HTTP method ({@code GET} for an event stream handshake)
 * @param path the path, without the query
 * @param query the raw query string, empty if none
 * @param headers the request headers, names in lower case
 * @param body the request body as text, empty if none
 * @param status the status the simulator answered (101 for an accepted event stream handshake)
 */
public record RecordedRequest(
        Server server,
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        String body,
        int status) {

    /** The simulator's servers. */
    public enum Server {
        /** The REST API ({@code apiBaseUrl}). */
        API,
        /** The login server ({@code loginBaseUrl}, OAuth). */
        LOGIN,
        /** The event stream WebSocket server (handshakes only). */
        EVENT_STREAM
    }

    public RecordedRequest {
        requireNonNull(server, "server is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(query, "query is null");
        requireNonNull(body, "body is null");
        TreeMap<String, List<String>> copy = new TreeMap<>();
        requireNonNull(headers, "headers is null")
                .forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of a header, the name in any case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a query parameter, decoded. */
    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(parseQuery(query).get(name));
    }

    /** {@code "METHOD path"}, for assertions on the order of calls. */
    public String line() {
        return method + " " + path;
    }

    static Map<String, String> parseQuery(String query) {
        Map<String, String> parameters = new TreeMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.putIfAbsent(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }
}

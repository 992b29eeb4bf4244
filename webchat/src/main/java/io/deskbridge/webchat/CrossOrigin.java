package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * CORS for what host pages on other origins fetch from the web chat: the service desk adapter
 * ({@code /deskbridge-service-desk.js}, an ES module, which browsers load cross-origin only with CORS) and the file
 * uploads ({@code PUT /upload/...}). The origins are those allowed to open the chat socket
 * ({@code webchat.allowedOrigins}); no credentials (cookies) are ever allowed, since the protocol carries its own
 * tokens.
 */
final class CrossOrigin {
    private final OriginPolicy origins;

    CrossOrigin(OriginPolicy origins) {
        this.origins = requireNonNull(origins, "origins is null");
    }

    /** The request's {@code Origin}, when it sent one. */
    static Optional<String> origin(Request request) {
        return Optional.ofNullable(request.getHeaders().get(HttpHeader.ORIGIN));
    }

    /** Whether the request's page may use the web chat (requests without {@code Origin} are not from a page). */
    boolean allows(Request request) {
        return origins.allows(origin(request), Optional.ofNullable(request.getHeaders().get(HttpHeader.HOST)));
    }

    /**
     * Adds the CORS answer headers for an allowed page's origin ({@code Vary: Origin} always, since the answer
     * depends on it).
     */
    void addHeaders(Request request, Response response) {
        response.getHeaders().add(HttpHeader.VARY, "Origin");
        Optional<String> origin = origin(request);
        if (origin.isPresent() && allows(request)) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
        }
    }

    /** The answer to a preflight {@code OPTIONS} for {@code methods}, with the {@code Content-Type} header allowed. */
    void addPreflightHeaders(Request request, Response response, String methods) {
        addHeaders(request, response);
        if (origin(request).isPresent() && allows(request)) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, methods);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        }
    }
}

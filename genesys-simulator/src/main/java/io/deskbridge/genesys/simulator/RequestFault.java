package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A scripted failure: the next request the REST API or login server receives that matches answers with this status
 * and an error body instead of being served. Faults queue up and are used once each, in order.
 *
 * @param method the HTTP method to match, or empty for any
 * @param pathPrefix the path prefix to match, or empty for any
 * @param status the status to answer
 * @param code the error body's {@code code}
 * @param message the error body's {@code message}
 * @param retryAfterSeconds the {@code Retry-After} header to send, if any
 */
public record RequestFault(
        Optional<String> method,
        Optional<String> pathPrefix,
        int status,
        String code,
        String message,
        OptionalInt retryAfterSeconds) {

    public RequestFault {
        requireNonNull(method, "method is null");
        requireNonNull(pathPrefix, "pathPrefix is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(retryAfterSeconds, "retryAfterSeconds is null");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a fault answers 4xx or 5xx, not " + status);
        }
        if (retryAfterSeconds.isPresent() && retryAfterSeconds.getAsInt() < 0) {
            throw new IllegalArgumentException("retryAfterSeconds is negative");
        }
    }

    /** {@code 429 too.many.requests.retry.after} with {@code Retry-After: seconds}. */
    public static RequestFault tooManyRequests(int retryAfterSeconds) {
        return new RequestFault(Optional.empty(), Optional.empty(), 429, "too.many.requests.retry.after",
                "Rate limit exceeded the maximum. Retry the request in [" + retryAfterSeconds + "] seconds",
                OptionalInt.of(retryAfterSeconds));
    }

    /** {@code 503 service.unavailable}. */
    public static RequestFault serviceUnavailable() {
        return of(503, "service.unavailable", "Service Unavailable");
    }

    /** Any status and error code, for example {@code of(400, "chat.deployment.disabled", "...")}. */
    public static RequestFault of(int status, String code, String message) {
        return new RequestFault(Optional.empty(), Optional.empty(), status, code, message, OptionalInt.empty());
    }

    /** This fault, used only by a request with this method and a path starting with {@code pathPrefix}. */
    public RequestFault forRequests(String method, String pathPrefix) {
        return new RequestFault(Optional.of(method), Optional.of(pathPrefix), status, code, message, retryAfterSeconds);
    }

    boolean matches(String requestMethod, String requestPath) {
        return method.map(m -> m.equalsIgnoreCase(requestMethod)).orElse(true)
                && pathPrefix.map(requestPath::startsWith).orElse(true);
    }
}

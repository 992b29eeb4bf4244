package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.wire.ErrorCode;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.spi.DeskMetrics;
import java.time.Duration;

/**
 * Counts the requests a chat makes over its web messaging socket in {@link DeskMetrics#vendorRequest}, as the REST
 * requests are counted: one per request that waits for an answer, with an endpoint named after its {@code action}
 * ({@code WS configureSession}, {@code WS onMessage Text}, {@code WS onMessage Presence Clear}, {@code WS onAttachment},
 * {@code WS echo}, {@code WS getJwt}), the code Genesys answered as its status, and the time to the answer.
 *
 * <p>Events the socket writes without waiting for an answer (a typing event, the first {@code Presence Join}) are not
 * counted: they have no outcome to count.
 */
final class WebMessagingRequestMetrics {
    /** The endpoint of a file's upload to the pre-signed URL Genesys gave (its path names the file: never a tag). */
    static final String UPLOAD_ENDPOINT = "PUT (pre-signed upload URL)";

    private final DeskMetrics metrics;

    WebMessagingRequestMetrics(DeskMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** A socket request sent at {@code startNanos} ({@link System#nanoTime()}) got {@code answer} or failed. */
    void answered(Object request, long startNanos, Frame answer, Throwable failure) {
        Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
        // No answer: a timeout, or the socket went away (or could not be written to) before one came.
        metrics.vendorRequest(endpoint(request), failure == null ? status(answer) : DeskMetrics.NO_RESPONSE, latency);
    }

    /** The upload of a file to its pre-signed URL answered HTTP {@code status} ({@link DeskMetrics#NO_RESPONSE} for none). */
    void uploaded(long startNanos, int status) {
        metrics.vendorRequest(UPLOAD_ENDPOINT, status, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * The endpoint of a socket request: {@code WS} and its {@code action}; an {@code onMessage} adds what it carries
     * (its type, or its event), so that texts and a {@code Presence Clear} are told apart. Bounded: no id, no text.
     */
    static String endpoint(Object request) {
        if (request instanceof Requests.OnMessage message) {
            return "WS " + message.action() + " " + describe(message.message());
        }
        if (request instanceof Requests.ConfigureSession configure) {
            return "WS " + configure.action();
        }
        if (request instanceof Requests.Echo echo) {
            return "WS " + echo.action();
        }
        if (request instanceof Requests.GetJwt jwt) {
            return "WS " + jwt.action();
        }
        if (request instanceof Requests.OnAttachment attachment) {
            return "WS " + attachment.action();
        }
        if (request instanceof Requests.CloseSession close) {
            return "WS " + close.action();
        }
        return "WS other";
    }

    private static String describe(StructuredMessage message) {
        if (!"Event".equals(message.type()) || message.events().isEmpty()) {
            return message.type();
        }
        StructuredMessage.Event event = message.events().get(0);
        return event.presence().map(p -> event.eventType() + " " + p.type()).orElse(event.eventType());
    }

    /**
     * The status an answer stands for: the code Genesys answered ({@code 200}, an HTTP-like {@code 4xx}/{@code 5xx},
     * or one of its four-digit codes), the attachment's error code of a {@code GenerateUrlError} (which arrives with
     * code 200), and {@code 429} for every rate-limit answer ({@code TooManyRequestsErrorMessage}, code 4029), which
     * Genesys's messenger SDK treats as one error, so that rate limiting shows under one status.
     */
    static int status(Frame answer) {
        if (answer.responseClass().filter(c -> c == ResponseClass.TOO_MANY_REQUESTS).isPresent()
                || answer.code() == ErrorCode.REQUEST_RATE_TOO_HIGH.code()) {
            return 429;
        }
        if (answer.responseClass().filter(c -> c == ResponseClass.GENERATE_URL_ERROR).isPresent()) {
            return answer.body().path("errorCode").asInt(answer.code());
        }
        return answer.code();
    }
}

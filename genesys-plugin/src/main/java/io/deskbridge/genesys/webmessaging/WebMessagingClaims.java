package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;

/**
 * How a request recognises its answer when Genesys leaves the {@code tracingId} off. Genesys's messenger SDK never
 * correlates these answers: it acts on a {@code SessionResponse}, a {@code JwtResponse} or a
 * {@code PresignedUrlResponse} by its class (the last by the attachment id in its body), and its recorded answers
 * carry no {@code tracingId}. The desk keeps matching by {@code tracingId} where Genesys echoes it, and otherwise
 * lets the waiting request of the right kind claim the frame.
 */
final class WebMessagingClaims {
    private WebMessagingClaims() {}

    /**
     * The answer to {@code configureSession} or {@code configureAuthenticatedSession}: a {@code SessionResponse}, or a
     * refusal ({@code class} {@code string} or {@code Error}, a non-2xx code: a 401, a 403 for the Origin or the
     * deployment, a 4006, 4007 or 4020). A configure is the first request on its socket and nothing else is sent until
     * it is answered, so an uncorrelated refusal meanwhile is its answer.
     */
    static WebMessagingSocket.Claim configure() {
        return frame -> isClass(frame, ResponseClass.SESSION_RESPONSE) || isRefusal(frame);
    }

    /**
     * The answer to {@code closeSession} with {@code closeAllConnections}, sent before a new conversation is configured
     * on a read-only session: a {@code SessionResponse} ({@code connected} false), or a refusal. As for a configure,
     * nothing else is in flight on the socket while it waits.
     */
    static WebMessagingSocket.Claim closeSession() {
        return configure();
    }

    /** The answer to {@code getJwt}: a {@code JwtResponse} (any one serves: they are all for this session). */
    static WebMessagingSocket.Claim jwt() {
        return frame -> isClass(frame, ResponseClass.JWT_RESPONSE);
    }

    /**
     * The answer to {@code onAttachment} for {@code attachmentId}: its {@code PresignedUrlResponse}, or the
     * {@code GenerateUrlError} that refuses it ({@code errorsAsJson}: code 200, the attachment named in the body).
     */
    static WebMessagingSocket.Claim attachment(String attachmentId) {
        requireNonNull(attachmentId, "attachmentId is null");
        return frame -> (isClass(frame, ResponseClass.PRESIGNED_URL_RESPONSE) || isClass(frame, ResponseClass.GENERATE_URL_ERROR))
                && attachmentId.equals(frame.body().path("attachmentId").asText());
    }

    private static boolean isClass(Frame frame, ResponseClass responseClass) {
        return frame.responseClass().filter(c -> c == responseClass).isPresent();
    }

    private static boolean isRefusal(Frame frame) {
        return !frame.isSuccess() && (isClass(frame, ResponseClass.STRING) || isClass(frame, ResponseClass.ERROR));
    }
}

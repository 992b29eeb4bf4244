package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The security headers of every answer the web chat gives, Jetty's own error pages included, and those error pages
 * themselves: a status line in plain text, with no server name or version and no stack trace.
 *
 * <p>{@code frame-ancestors} (and, when no site may frame the page, {@code X-Frame-Options: DENY} for browsers that
 * predate it) keeps other sites from showing the chat page in a frame and tricking its users into clicks
 * ({@code webchat.frameAncestors} names the sites that may).
 */
final class SecurityHeaders extends Handler.Wrapper {
    private final HttpField csp;
    private final boolean deny;

    SecurityHeaders(ClientLimits limits, Handler next) {
        super(next);
        this.csp = new HttpField("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https: http:; "
                + "connect-src 'self'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; "
                + limits.frameAncestorsDirective());
        this.deny = limits.frameAncestors().isEmpty();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        apply(response.getHeaders());
        return super.handle(request, response, callback);
    }

    void apply(HttpFields.Mutable headers) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put(csp);
        if (deny) {
            headers.put("X-Frame-Options", "DENY");
        }
    }

    /** Jetty's error pages, with the security headers and nothing about the server. */
    ErrorHandler errorHandler() {
        return new QuietErrors(this);
    }

    private static final class QuietErrors extends ErrorHandler {
        private final SecurityHeaders headers;

        QuietErrors(SecurityHeaders headers) {
            this.headers = requireNonNull(headers, "headers is null");
            setShowStacks(false);
            setShowCauses(false);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            headers.apply(response.getHeaders());
            int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
            // Our own refusals explain themselves (the origin check, shutting down); Jetty's exceptions stay private.
            Object message = request.getAttribute(ERROR_EXCEPTION) == null ? request.getAttribute(ERROR_MESSAGE) : null;
            generateCacheControl(response);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.write(true, body(status, message instanceof String text ? text : null), callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            headers.apply(fields);
            fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            fields.put(ERROR_CACHE_CONTROL);
            return body(status, null);
        }

        private static ByteBuffer body(int status, String message) {
            String reason = HttpStatus.getMessage(status);
            String text = status + " " + reason + (message == null || message.equals(reason) ? "" : ": " + message) + "\n";
            return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}

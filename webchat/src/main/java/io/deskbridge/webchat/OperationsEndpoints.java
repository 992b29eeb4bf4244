package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.webchat.session.SessionStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators and orchestrators ask the web chat, next to {@code /health} (liveness):
 *
 * <ul>
 *   <li>{@code /ready}: readiness. {@code 200 {"status":"READY",...}} when the desk is configured (the runtime
 *       started with it) and the session store answers; {@code 503 {"status":"NOT_READY",...}} naming what is not,
 *       also while the server shuts down, so a load balancer sends new pages elsewhere.</li>
 *   <li>{@code /metrics}: the Prometheus text format ({@link WebChatMetrics}); {@code 404} when
 *       {@code webchat.metrics=false}.</li>
 * </ul>
 */
final class OperationsEndpoints extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsEndpoints.class);

    private final Deskbridge deskbridge;
    private final SessionStore store;
    private final Optional<WebChatMetrics> metrics;
    private final BooleanSupplier stopping;

    OperationsEndpoints(Handler next, Deskbridge deskbridge, SessionStore store, Optional<WebChatMetrics> metrics, BooleanSupplier stopping) {
        super(next);
        this.deskbridge = requireNonNull(deskbridge, "deskbridge is null");
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if ("/ready".equals(path)) {
            ready(response, callback);
            return true;
        }
        if ("/metrics".equals(path) && metrics.isPresent()) {
            String body;
            try {
                body = metrics.get().scrape();
            } catch (RuntimeException e) {
                LOG.warn("the metrics could not be written", e);
                Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "The metrics could not be written");
                return true;
            }
            write(response, callback, HttpStatus.OK_200, WebChatMetrics.CONTENT_TYPE, body);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private void ready(Response response, Callback callback) {
        // Blocking for the store's check (a few seconds at worst) on a request thread is fine: probes come seconds apart.
        boolean storeUp;
        try {
            storeUp = store.isReachable();
        } catch (RuntimeException e) {
            storeUp = false;
        }
        boolean up = storeUp && !stopping.getAsBoolean();
        String body = "{\"status\":\"" + (up ? "READY" : "NOT_READY") + "\",\"desk\":\"" + deskbridge.deskName()
                + "\",\"checks\":{\"desk\":\"UP\",\"store\":\"" + (storeUp ? "UP" : "DOWN") + "\",\"server\":\""
                + (stopping.getAsBoolean() ? "STOPPING" : "UP") + "\"}}";
        write(response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, "application/json", body);
    }

    private static void write(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}

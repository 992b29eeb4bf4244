package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.webchat.auth.UserAuthenticator;
import io.deskbridge.webchat.protocol.ClientFrameParser;
import io.deskbridge.webchat.protocol.ServerFrame;
import io.deskbridge.webchat.session.ChatLeases;
import io.deskbridge.webchat.session.JdbcSessionStore;
import io.deskbridge.webchat.session.MemorySessionStore;
import io.deskbridge.webchat.session.SessionRegistry;
import io.deskbridge.webchat.session.SessionStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.deskbridge.webchat.session.TranscriptBudget;
import io.deskbridge.webchat.upload.FileUploads;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web chat server: one port serving the chat page ({@code /}), liveness ({@code /health}), readiness
 * ({@code /ready}), Prometheus metrics ({@code /metrics}, see {@link OperationsEndpoints}) and the chat WebSocket
 * ({@code /chat}), bridging each browser chat to the configured desk.
 *
 * <pre>{@code
 * try (Deskbridge deskbridge = Deskbridge.builder().configuration(configuration).build();
 *      WebChatServer server = WebChatServer.builder(deskbridge, WebChatSettings.read(configuration)).start()) {
 *     System.out.println("Chat at " + server.uri());
 *     server.awaitStop();
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Jetty's one shared pool serves every connection (no thread per connection); sessions run on
 * the deskbridge worker pool and idle expiry on its scheduler (no thread per chat).
 *
 * <p><b>Shutdown.</b> {@link #close()} stops accepting chat sockets, closes every browser session (with the memory
 * store, its chat is ended at the desk, so no agent stays in a chat nobody reads, and each tab receives
 * {@code chatEnded {reason: "shutdown"}} and a 1001 close), waits up to {@code webchat.stopTimeout} for the desk to
 * acknowledge, then stops Jetty gracefully (no new connections, in-flight requests finish), and last closes the
 * session store it opened (a database store first writes what the sessions saved while closing). With a database
 * store (leases: one of several processes, or one durable process) the chats are handed over instead of ended: each
 * session saves its last state and lets go of its chat at the desk without ending it, the store writes and releases
 * this process's leases, and only then are the tabs closed with 1012, so the process they reconnect to finds the last
 * state ({@link SessionRegistry#handOverAll}).
 */
public final class WebChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebChatServer.class);

    private final WebChatSettings settings;
    private final Deskbridge deskbridge;
    private final Server server;
    private final ServerConnector connector;
    private final SessionRegistry registry;
    private final ClientAdmission admission;
    private final Optional<SessionStore> ownedStore;
    private final Optional<WebChatMetrics> metrics;
    private final ScheduledFuture<?> sweeper;
    private final FileUploads uploads;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebChatServer(Builder builder) throws Exception {
        this.settings = builder.settings;
        this.deskbridge = builder.deskbridge;
        Clock clock = builder.clock != null ? builder.clock : deskbridge.getInstance(Clock.class);
        ExecutorService workers = deskbridge.getInstance(ExecutorService.class);
        ScheduledExecutorService scheduler = deskbridge.getInstance(ScheduledExecutorService.class);
        SecureRandom random = new SecureRandom();
        UserAuthenticator authenticator = builder.authenticator != null ? builder.authenticator : UserAuthenticator.from(settings, clock);
        ClientFrameParser parser = new ClientFrameParser(settings.maxFrameBytes(), settings.maxTextLength());
        ResourceHandler page = new ResourceHandler();
        Resource pageResource = ResourceFactory.of(page).newClassLoaderResource("webchat-page", false);
        if (pageResource == null) {
            throw new IllegalStateException("The chat page is missing from the class path (webchat-page/)");
        }
        // Opened last of what can fail before Jetty starts, so that nothing else can leave it open.
        SessionStore store = builder.store != null ? builder.store : openStore(settings, clock);
        this.ownedStore = builder.store != null ? Optional.empty() : Optional.of(store);
        ClientLimits limits = settings.limits();
        this.uploads = settings.maxUploadBytes() > 0 ? FileUploads.open(settings.maxUploadBytes(), clock, random) : FileUploads.off();
        this.registry = new SessionRegistry(new SessionRegistry.Context(deskbridge, store, clock, workers, settings.transcriptSize(),
                Duration.ofSeconds(10), random, new TranscriptBudget(limits.transcriptMaxBytes(), limits.transcriptTotalBytes()), uploads),
                settings.sessionIdleTimeout(), settings.maxSessions(), limits.unstartedSessionTimeout());
        this.admission = new ClientAdmission(limits, System::nanoTime);
        this.metrics = settings.metrics() ? Optional.of(new WebChatMetrics(deskbridge, registry, store, builder.prometheus)) : Optional.empty();
        OriginPolicy origins = new OriginPolicy(settings.allowedOrigins());
        CrossOrigin crossOrigin = new CrossOrigin(origins);
        AtomicLong connections = new AtomicLong();

        // Jetty's pool runs socket reads and frame handlers, none of which blocks for long (a session's work runs on
        // deskbridge's shared workers): a few threads per processor serve any number of chats, and the thread count
        // stays flat as chats grow instead of climbing to Jetty's default maximum of 200 under load.
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), Math.min(4, settings.maxThreads()));
        threads.setName("webchat");
        threads.setDaemon(true);
        this.server = new Server(threads);
        server.setStopTimeout(settings.stopTimeout().toMillis());
        this.connector = new ServerConnector(server);
        // No "Server: Jetty(12.x)": the version only helps whoever looks for a known hole.
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler sockets = WebSocketUpgradeHandler.from(server, context, container -> {
            // Jetty refuses larger messages by closing the socket (1009); below this hard limit, the parser refuses
            // frames over webchat.maxFrameBytes with a BAD_REQUEST and the socket stays open. The limit holds after
            // decompression too: Jetty stops inflating a message once it passes it, so a tiny compressed frame cannot
            // make the server inflate a large one (what it inflates per second is FrameGuard's to bound).
            long hardLimit = Math.max(64L * 1024, 2L * settings.maxFrameBytes());
            container.setMaxTextMessageSize(hardLimit);
            container.setMaxBinaryMessageSize(64 * 1024);
            container.setMaxFrameSize(hardLimit);
            container.setMaxOutgoingFrames(1024);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/chat", (request, response, callback) -> {
                if (stopping.get()) {
                    Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "The web chat is shutting down");
                    return null;
                }
                Optional<String> origin = Optional.ofNullable(request.getHeaders().get(HttpHeader.ORIGIN));
                if (!origins.allows(origin, Optional.ofNullable(request.getHeaders().get(HttpHeader.HOST)))) {
                    LOG.info("chat socket refused: origin {} is not in webchat.allowedOrigins", origin.orElse("-"));
                    Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403,
                            "This page's origin may not open the chat (webchat.allowedOrigins)");
                    return null;
                }
                String client = admission.clientKey(request.getConnectionMetaData().getRemoteSocketAddress(),
                        Optional.ofNullable(request.getHeaders().get(HttpHeader.X_FORWARDED_FOR)));
                if (!admission.connectionOpened(client)) {
                    Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429,
                            "Too many chat connections from your network (webchat.maxConnectionsPerAddress)");
                    return null;
                }
                return new ChatSocket("c" + connections.incrementAndGet(), parser, new FrameGuard(client, admission, limits,
                        settings.maxMessagesPerSecond(), settings.maxFrameBytes(), scheduler, System::nanoTime), authenticator, registry);
            });
        });
        page.setBaseResource(pageResource);
        page.setWelcomeFiles("index.html");
        page.setDirAllowed(false);
        page.setCacheControl("no-cache");
        sockets.setHandler(new Routes(new OperationsEndpoints(page, deskbridge, store, metrics, stopping::get),
                new UploadEndpoint(uploads, crossOrigin), crossOrigin));
        context.setHandler(sockets);
        SecurityHeaders headers = new SecurityHeaders(limits, new GracefulHandler(context));
        server.setErrorHandler(headers.errorHandler());
        server.setHandler(headers);

        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            metrics.ifPresent(WebChatMetrics::close);
            ownedStore.ifPresent(SessionStore::close);
            uploads.close();
            throw e;
        }
        Duration sweep = clamp(settings.limits().unstartedSessionTimeout().dividedBy(4), Duration.ofMillis(50), Duration.ofSeconds(15));
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("web chat listening on {} (desk={}, auth={}, store={})", uri(), deskbridge.deskName(),
                settings.auth().name().toLowerCase(java.util.Locale.ROOT), settings.store().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The store {@code webchat.store} names: memory, or a database (opened and checked now). */
    private static SessionStore openStore(WebChatSettings settings, Clock clock) {
        if (settings.store() == WebChatSettings.StoreKind.MEMORY) {
            return new MemorySessionStore();
        }
        // Always with leases: any number of processes may share the table, and one alone pays one renewal per lease third.
        return JdbcSessionStore.open(settings.storeUrl().orElseThrow(), settings.storeUser(), settings.storePassword(),
                JdbcSessionStore.Options.of(settings.storeTable(), settings.sessionIdleTimeout()),
                Optional.of(new ChatLeases.Options(settings.instanceId(), settings.leaseDuration())), clock);
    }

    /** A builder for a server on {@code deskbridge}'s desk with these settings. */
    public static Builder builder(Deskbridge deskbridge, WebChatSettings settings) {
        return new Builder(deskbridge, settings);
    }

    /** The port the server listens on (the chosen one when {@code webchat.port=0}). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The URL of the chat page. A wildcard or loopback bind address is shown as {@code localhost}. */
    public URI uri() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("127.0.0.1") || host.equals("::1")) {
            host = "localhost";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The settings the server runs with. */
    public WebChatSettings settings() {
        return settings;
    }

    /** The browser sessions this server holds. */
    public SessionRegistry sessions() {
        return registry;
    }

    /** Blocks until the server stopped (for a main thread). */
    public void awaitStop() throws InterruptedException {
        server.join();
    }

    private void sweep() {
        try {
            registry.expireIdleSessions();
            registry.touchConnectedSessions();
            admission.prune();
            uploads.purgeExpired();
        } catch (RuntimeException e) {
            LOG.error("idle session expiry failed", e);
        }
    }

    /** Stops the server gracefully; see the class documentation. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping.set(true);
        sweeper.cancel(false);
        LOG.info("web chat stopping: closing {} session(s)", registry.size());
        if (registry.handsOver()) {
            // One of several processes: the chats go on elsewhere, their pages told to reconnect (1012).
            registry.handOverAll(settings.stopTimeout());
        } else {
            closeSessions();
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("web chat stopping: Jetty did not stop cleanly", e);
        }
        uploads.close();
        // Sessions first, then the store: a durable store writes what the closing sessions saved before it closes.
        try {
            ownedStore.ifPresent(SessionStore::close);
        } catch (RuntimeException e) {
            LOG.warn("web chat stopping: the session store did not close cleanly", e);
        }
        metrics.ifPresent(WebChatMetrics::close);
        LOG.info("web chat stopped");
    }

    private void closeSessions() {
        try {
            registry.closeAll().toCompletableFuture().get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("web chat stopping: the desk did not acknowledge every end within {}", settings.stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("web chat stopping: closing sessions failed", e);
        }
    }

    private static Duration clamp(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    /** The uploads, then {@code /health}, {@code /ready},
            {@code /metrics} and the page (the security headers are {@link SecurityHeaders}'s, around everything). */
    private final class Routes extends Handler.Wrapper {
        private final UploadEndpoint upload;
        private final CrossOrigin crossOrigin;

        Routes(Handler page, UploadEndpoint upload, CrossOrigin crossOrigin) {
            super(page);
            this.upload = upload;
            this.crossOrigin = crossOrigin;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if ("/health".equals(Request.getPathInContext(request))) {
                boolean up = !stopping.get();
                String body = "{\"status\":\"" + (up ? "UP" : "STOPPING") + "\",\"desk\":\"" + deskbridge.deskName()
                        + "\",\"protocolVersion\":" + ServerFrame.PROTOCOL_VERSION + ",\"sessions\":" + registry.size()
                        + ",\"connections\":" + registry.connectionCount() + "}";
                response.setStatus(up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
            String path = Request.getPathInContext(request);
            if (UploadEndpoint.matches(path)) {
                upload.handle(request, response, callback);
                return true;
            }
            if (ADAPTER.equals(path)) {
                // Host pages on other allowed origins import the Carbon AI Chat adapter as an ES module, which needs CORS.
                crossOrigin.addHeaders(request, response);
            }
            return super.handle(request, response, callback);
        }
    }

    /** The Carbon AI Chat service desk adapter, an ES module served with the page. */
    static final String ADAPTER = "/deskbridge-service-desk.js";

    /** Builds and starts a {@link WebChatServer}. */
    public static final class Builder {
        private final Deskbridge deskbridge;
        private final WebChatSettings settings;
        private Clock clock;
        private SessionStore store;
        private UserAuthenticator authenticator;
        private Optional<PrometheusMeterRegistry> prometheus = Optional.empty();

        private Builder(Deskbridge deskbridge, WebChatSettings settings) {
            this.deskbridge = requireNonNull(deskbridge, "deskbridge is null");
            this.settings = requireNonNull(settings, "settings is null");
        }

        /** The clock of idle expiry and transcripts (default: the deskbridge runtime's clock). */
        public Builder clock(Clock value) {
            this.clock = requireNonNull(value, "clock is null");
            return this;
        }

        /**
         * Where sessions are kept (default: the store {@code webchat.store} names, which the server opens and closes).
         * A store given here is the caller's to close, after the server.
         */
        public Builder store(SessionStore value) {
            this.store = requireNonNull(value, "store is null");
            return this;
        }

        /**
         * The registry {@code /metrics} serves, given to the deskbridge runtime when it was built (default: one the
         * server creates and adds to the runtime's registry). Ignored with {@code webchat.metrics=false}.
         */
        public Builder meterRegistry(PrometheusMeterRegistry value) {
            this.prometheus = Optional.of(requireNonNull(value, "value is null"));
            return this;
        }

        /** Who users are (default: from {@code webchat.auth}). */
        public Builder authenticator(UserAuthenticator value) {
            this.authenticator = requireNonNull(value, "authenticator is null");
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws ServiceDeskException of kind {@code CONFIGURATION} if the port cannot be bound, the
         *     authentication keys are unusable or the session database cannot be used
         */
        public WebChatServer start() {
            try {
                return new WebChatServer(this);
            } catch (ServiceDeskException e) {
                throw e;
            } catch (java.io.IOException e) {
                throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "Cannot listen on " + settings.host() + ":"
                        + settings.port() + " (" + e.getMessage() + "); set webchat.port or webchat.host", e);
            } catch (Exception e) {
                throw new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "The web chat server did not start: " + e, e);
            }
        }
    }
}

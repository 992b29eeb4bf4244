package io.deskbridge.genesys.simulator;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.deskbridge.genesys.simulator.webmessaging.MessengerDeployment;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's servers and threads, from start to close: the REST API, login and console HTTP servers on one
 * small pool, the event stream server, the embedded web messaging server, and the one scheduler (heartbeats, stream
 * closes). Every server binds the loopback address. Thread-safe; started once, closed once.
 */
final class SimulatorServers {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServers.class);

    static {
        // The JDK HTTP server writes headers and body separately; without TCP_NODELAY each answer waits for the
        // client's delayed ACK (about 40 ms). Read once, when the JDK creates its first HTTP server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Where and how to serve: ports (0 for ephemeral), HTTP threads, heartbeat and stream close timing. */
    record Settings(int apiPort, int loginPort, int streamPort, int consolePort, int httpThreads,
            Duration heartbeatInterval, Duration streamCloseDelay, Clock clock) {}

    /** The handlers to serve; the console and web messaging are optional. */
    record Handlers(HttpHandler api, HttpHandler login, Optional<HttpHandler> console,
            Function<InetSocketAddress, EventStreamServer> eventStream, Optional<MessengerDeployment> webMessaging) {}

    private final Settings settings;
    private final RequestLog requestLog;
    private final Wire wire;

    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;
    private ScheduledExecutorService scheduler;
    private ExecutorService httpExecutor;
    private HttpServer apiServer;
    private HttpServer loginServer;
    private HttpServer consoleServer;
    private volatile EventStreamServer streamServer;
    private volatile WebMessagingSimulator webMessaging;

    SimulatorServers(Settings settings, RequestLog requestLog, Wire wire) {
        this.settings = settings;
        this.requestLog = requestLog;
        this.wire = wire;
    }

    /**
     * Starts every server; on a failure, closes those already started.
     *
     * @throws UncheckedIOException if an HTTP server cannot bind
     * @throws IllegalStateException if started before or closed
     */
    void start(Handlers handlers) {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the simulator is closed" : "the simulator is started");
            }
            started = true;
            scheduler = Executors.newSingleThreadScheduledExecutor(threads("genesys-simulator-scheduler"));
            httpExecutor = Executors.newFixedThreadPool(settings.httpThreads(), threads("genesys-simulator-http"));
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try {
                apiServer = httpServer(loopback, settings.apiPort(), handlers.api());
                loginServer = httpServer(loopback, settings.loginPort(), handlers.login());
                if (handlers.console().isPresent()) {
                    consoleServer = httpServer(loopback, settings.consolePort(), handlers.console().get());
                }
            } catch (IOException e) {
                closeServers();
                throw new UncheckedIOException("the Genesys simulator could not bind its HTTP servers", e);
            }
            try {
                streamServer = handlers.eventStream().apply(new InetSocketAddress(loopback, settings.streamPort()));
                streamServer.startAndWait();
                if (handlers.webMessaging().isPresent()) {
                    startWebMessaging(handlers.webMessaging().get());
                }
            } catch (RuntimeException e) {
                closeServers();
                throw e;
            }
            if (!settings.heartbeatInterval().isZero()) {
                long millis = settings.heartbeatInterval().toMillis();
                scheduler.scheduleAtFixedRate(this::sendHeartbeats, millis, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops every server and thread; open event stream sockets are closed. Idempotent. */
    void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeServers();
        }
    }

    /**
     * Starts the web messaging server with this organization's clock and serves its REST endpoints (the history and
     * the pre-signed uploads) on this REST API, so that one {@code genesys.apiBaseUrl} reaches the platform endpoints
     * and the history.
     */
    private void startWebMessaging(MessengerDeployment deployment) {
        WebMessagingSimulator server = WebMessagingSimulator.builder(deployment).clock(settings.clock())
                .publicApiBaseUrl(baseUrl(apiServer)).start();
        webMessaging = server;
        HttpHandler rest = server.restHandler();
        HttpHandler recorded = http -> {
            try {
                rest.handle(http);
            } finally {
                requestLog.record(new RecordedRequest(RecordedRequest.Server.API, http.getRequestMethod(),
                        http.getRequestURI().getRawPath(), Optional.ofNullable(http.getRequestURI().getRawQuery())
                                .orElse(""), http.getRequestHeaders(), "", http.getResponseCode()));
            }
        };
        for (String path : WebMessagingSimulator.REST_PATHS) {
            apiServer.createContext(path, recorded);
        }
    }

    private void closeServers() {
        if (webMessaging != null) {
            webMessaging.close();
        }
        if (streamServer != null) {
            try {
                streamServer.stop(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (HttpServer server : new HttpServer[] {apiServer, loginServer, consoleServer}) {
            if (server != null) {
                server.stop(0);
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
    }

    private HttpServer httpServer(InetAddress address, int port, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 256);
        server.createContext("/", handler);
        server.setExecutor(httpExecutor);
        server.start();
        return server;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // While running

    /** Closes the conversation's event stream sockets with 1000 after the stream close delay. */
    void scheduleStreamClose(SimulatedConversation conversation) {
        ScheduledExecutorService current = scheduler;
        if (current == null) {
            return;
        }
        try {
            current.schedule(conversation::closeStreams, settings.streamCloseDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("conversation {}: simulator closed before its stream could close", conversation.id());
        }
    }

    private void sendHeartbeats() {
        try {
            Collection<WebSocket> connections = streamServer.getConnections();
            if (!connections.isEmpty()) {
                streamServer.broadcast(wire.heartbeat(), connections);
            }
        } catch (RuntimeException e) {
            LOG.warn("simulator failed to send heartbeats", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Addresses (once started)

    URI apiBaseUrl() {
        return baseUrl(requireStarted().apiServer);
    }

    URI loginBaseUrl() {
        return baseUrl(requireStarted().loginServer);
    }

    URI eventStreamBaseUrl() {
        requireStarted();
        return URI.create("ws://127.0.0.1:" + streamServer.getPort());
    }

    Optional<URI> consoleUrl() {
        requireStarted();
        return Optional.ofNullable(consoleServer).map(server -> URI.create(baseUrl(server) + "/"));
    }

    /** The web messaging server; empty when turned off. */
    Optional<WebMessagingSimulator> webMessaging() {
        requireStarted();
        return Optional.ofNullable(webMessaging);
    }

    /** The event stream server (set once started; read without the lifecycle lock by the server's own threads). */
    EventStreamServer eventStreamServer() {
        return streamServer;
    }

    private static URI baseUrl(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private SimulatorServers requireStarted() {
        synchronized (lifecycle) {
            if (!started) {
                throw new IllegalStateException("start the simulator first");
            }
            return this;
        }
    }
}

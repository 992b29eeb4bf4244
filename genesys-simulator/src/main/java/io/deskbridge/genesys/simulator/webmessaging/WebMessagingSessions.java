package io.deskbridge.genesys.simulator.webmessaging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest sessions of the web messaging simulator and how to find them: by session token (what {@code
 * configureSession} names), by socket (what every later request arrives on) and by the JWT {@code getJwt} handed out
 * (what the history endpoint is called with). New sessions are announced to listeners and queued for {@link
 * WebMessagingSimulator#awaitSession}; the scripted refusals of the next new session live here too. Thread-safe.
 */
final class WebMessagingSessions {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingSessions.class);

    private final WebMessagingSimulator simulator;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, SimulatedWebMessagingSession> byToken = new ConcurrentHashMap<>();
    private final Map<WebSocket, SimulatedWebMessagingSession> bySocket = new ConcurrentHashMap<>();
    private final Map<String, SimulatedWebMessagingSession> byJwt = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<SimulatedWebMessagingSession> unclaimed = new LinkedBlockingQueue<>();
    private final List<Consumer<SimulatedWebMessagingSession>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Optional<Integer>> rejectNext = new AtomicReference<>(Optional.empty());
    private final AtomicBoolean readOnlyNext = new AtomicBoolean();

    WebMessagingSessions(WebMessagingSimulator simulator, ObjectMapper json, Clock clock) {
        this.simulator = simulator;
        this.json = json;
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------------------
    // By token

    Optional<SimulatedWebMessagingSession> byToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    List<SimulatedWebMessagingSession> all() {
        return List.copyOf(byToken.values());
    }

    /** The session of {@code token}, made now if no guest configured it yet (not announced as new). */
    SimulatedWebMessagingSession preset(String token) {
        return byToken.computeIfAbsent(token, this::newSession);
    }

    /** A new session for a guest's first {@code configureSession} of {@code token}, read-only if so scripted. */
    SimulatedWebMessagingSession create(String token) {
        SimulatedWebMessagingSession session = newSession(token);
        byToken.put(token, session);
        if (readOnlyNext.getAndSet(false)) {
            session.makeReadOnly();
        }
        return session;
    }

    private SimulatedWebMessagingSession newSession(String token) {
        return new SimulatedWebMessagingSession(token, simulator, json, clock);
    }

    /** Queues the session for {@link #awaitUnclaimed} and tells the listeners (a failing listener is logged). */
    void announce(SimulatedWebMessagingSession session) {
        unclaimed.add(session);
        for (Consumer<SimulatedWebMessagingSession> listener : listeners) {
            try {
                listener.accept(session);
            } catch (RuntimeException e) {
                LOG.warn("a web messaging session listener failed", e);
            }
        }
    }

    void addListener(Consumer<SimulatedWebMessagingSession> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    SimulatedWebMessagingSession awaitUnclaimed(Duration timeout) {
        try {
            SimulatedWebMessagingSession session = unclaimed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (session == null) {
                throw new AssertionError("no web messaging session was configured within " + timeout);
            }
            return session;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a web messaging session", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scripted refusals of the next new session

    void rejectNext(int code) {
        rejectNext.set(Optional.of(code));
    }

    /** The code to refuse this new session with, once. */
    Optional<Integer> takeRejection() {
        return rejectNext.getAndSet(Optional.empty());
    }

    void readOnlyNext() {
        readOnlyNext.set(true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // By socket and by JWT

    /** The session the socket configured last, if any. */
    Optional<SimulatedWebMessagingSession> bySocket(WebSocket connection) {
        return Optional.ofNullable(bySocket.get(connection));
    }

    /** The socket now serves {@code session} (and no longer the session it configured before, if another). */
    void bind(WebSocket connection, SimulatedWebMessagingSession session) {
        SimulatedWebMessagingSession previous = bySocket.put(connection, session);
        if (previous != null && previous != session) {
            previous.detach(connection);
        }
        session.attach(connection);
    }

    /** The socket closed or was closed: it serves no session any more. */
    void unbind(WebSocket connection) {
        SimulatedWebMessagingSession session = bySocket.remove(connection);
        if (session != null) {
            session.detach(connection);
        }
    }

    void rememberJwt(String jwt, SimulatedWebMessagingSession session) {
        byJwt.put(jwt, session);
    }

    Optional<SimulatedWebMessagingSession> byJwt(String jwt) {
        return Optional.ofNullable(byJwt.get(jwt));
    }
}

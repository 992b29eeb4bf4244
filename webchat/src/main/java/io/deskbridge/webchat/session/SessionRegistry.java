package io.deskbridge.webchat.session;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Deskbridge;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.upload.FileUploads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live browser sessions of one server, by resume token, over a {@link SessionStore}.
 *
 * <p>A page's {@code hello} {@linkplain #attach attaches} its socket to the session its resume token names (the
 * same chat, in every tab that holds the token), or to a new session with a new token. Resume tokens are 256 random
 * bits from {@link SecureRandom}; the registry keys sessions by their SHA-256, so neither the store nor a heap dump
 * of the map holds a usable token. A session whose tabs have all been closed for
 * {@code webchat.sessionIdleTimeout} is ended by {@link #expireIdleSessions()}, which the server calls
 * periodically on the shared scheduler; no thread is held per session.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    /**
     * What sessions share.
     *
     * @param deskbridge the runtime that opens chats
     * @param store where sessions are recorded
     * @param clock the time for idle expiry and transcripts
     * @param workers the shared pool the sessions' serial executors run on
     * @param transcriptSize the messages kept per chat
     * @param agentsOnlineTimeout how long an agents-online question may take before the answer is UNKNOWN
     * @param transcriptBudget the bytes of transcript kept per chat and by the whole process
     * @param uploads where the files pages upload wait for the message that sends them
     */
    public record Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
            Duration agentsOnlineTimeout, SecureRandom random, TranscriptBudget transcriptBudget, FileUploads uploads) {
        /** A context with the default {@link TranscriptBudget} whose sessions take no files. */
        public Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
                Duration agentsOnlineTimeout, SecureRandom random) {
            this(deskbridge, store, clock, workers, transcriptSize, agentsOnlineTimeout, random, TranscriptBudget.defaults());
        }

        /** A context whose sessions take no files. */
        public Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
                Duration agentsOnlineTimeout, SecureRandom random, TranscriptBudget transcriptBudget) {
            this(deskbridge, store, clock, workers, transcriptSize, agentsOnlineTimeout, random, transcriptBudget, FileUploads.off());
        }

        /** A context with the default {@link TranscriptBudget}. */
        public Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
                Duration agentsOnlineTimeout, SecureRandom random, FileUploads uploads) {
            this(deskbridge, store, clock, workers, transcriptSize, agentsOnlineTimeout, random, TranscriptBudget.defaults(), uploads);
        }

        public Context {
            requireNonNull(transcriptBudget, "transcriptBudget is null");
            requireNonNull(uploads, "uploads is null");
            requireNonNull(deskbridge, "deskbridge is null");
            requireNonNull(store, "store is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(workers, "workers is null");
            requireNonNull(agentsOnlineTimeout, "agentsOnlineTimeout is null");
            requireNonNull(random, "random is null");
            if (transcriptSize < 1) {
                throw new IllegalArgumentException("transcriptSize must be positive: " + transcriptSize);
            }
        }

        String newChatId() {
            return "chat-" + randomText(9);
        }

        String randomText(int bytes) {
            byte[] value = new byte[bytes];
            random.nextBytes(value);
            return TOKEN_ENCODING.encodeToString(value);
        }
    }

    private final Context context;
    private final Duration idleTimeout;
    private final int maxSessions;
    private final Duration unstartedTimeout;
    private final ConcurrentMap<String, WebSession> live = new ConcurrentHashMap<>();
    private volatile Instant lastTouch;
    private final LogThrottle busyLog = new LogThrottle(Duration.ofSeconds(10));

    public SessionRegistry(Context context, Duration idleTimeout) {
        this(context, idleTimeout, Integer.MAX_VALUE);
    }

    /**
     * @param maxSessions the most sessions held at once: a page asking for a new session beyond it is refused (see
     *     {@link #attach}); resumed sessions are always let in, so that no chat in progress is turned away
     */
    public SessionRegistry(Context context, Duration idleTimeout, int maxSessions) {
        this(context, idleTimeout, maxSessions, idleTimeout);
    }

    /**
     * @param unstartedTimeout how long a session that never started a chat lives once its last tab closed
     *     ({@code webchat.unstartedSessionTimeout}): such a session holds nothing a page could come back for but its
     *     place among {@code maxSessions}, so it goes long before {@code idleTimeout}
     */
    public SessionRegistry(Context context, Duration idleTimeout, int maxSessions, Duration unstartedTimeout) {
        this.unstartedTimeout = requireNonNull(unstartedTimeout, "unstartedTimeout is null");
        this.context = requireNonNull(context, "context is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive: " + maxSessions);
        }
        this.maxSessions = maxSessions;
        context.store().leases().ifPresent(leases -> leases.onLost(this::movedAway));
    }

    /** Another process took the session over (see {@link ChatLeases}): it leaves this process. */
    private void movedAway(String tokenHash) {
        WebSession session = live.get(tokenHash);
        if (session != null && live.remove(tokenHash, session)) {
            session.moveAway();
        }
    }

    /**
     * Attaches {@code connection} to the session its {@code hello} names, or to a new one, and sends it
     * {@code welcome}.
     *
     * @param identity the verified user (when the server authenticates users); a token of another user's session
     *     is treated as unknown
     * @return the session the connection belongs to now, or empty when the connection asked for a new session while
     *     the registry holds {@code maxSessions} already (nothing was sent then: the caller tells the page to try
     *     again later). The limit is checked without a lock, so concurrent hellos may pass it by a few.
     * @throws StoreUnavailableException when the token may name a stored session but the store cannot be read: the
     *     caller asks the page to try again later, with the same token
     */
    public Optional<WebSession> attach(ChatConnection connection, ClientFrame.Hello hello, Optional<UserIdentity> identity) {
        return attach(connection, hello, identity, () -> true);
    }

    /**
     * As {@link #attach(ChatConnection, ClientFrame.Hello, Optional)}, asking {@code admitNew} before a new session
     * is made (not when one is resumed): the client's budget of new sessions.
     *
     * @throws NewSessionRefusedException when {@code admitNew} refused a new session; nothing was attached or sent
     */
    public Optional<WebSession> attach(ChatConnection connection, ClientFrame.Hello hello, Optional<UserIdentity> identity,
            java.util.function.BooleanSupplier admitNew) {
        requireNonNull(connection, "connection is null");
        if (hello.resumeToken().isPresent()) {
            String hash = hash(hello.resumeToken().get());
            Optional<WebSession> existing = findOrRestore(hello.resumeToken().get(), hash, identity);
            if (existing.isPresent() && sameUser(existing.get().identity(), identity) && existing.get().reserve()) {
                existing.get().attach(connection, hello, true);
                return existing;
            }
            LOG.debug("connection={} presented an unknown or expired resume token; starting a new session", connection.id());
        }
        if (live.size() >= maxSessions) {
            long suppressed = busyLog.admit();
            if (suppressed >= 0) {
                LOG.warn("connection={} refused a new session: {} sessions are held (webchat.maxSessions={}; {} similar refusals"
                        + " not logged)", connection.id(), live.size(), maxSessions, suppressed);
            }
            return Optional.empty();
        }
        if (!admitNew.getAsBoolean()) {
            throw new NewSessionRefusedException();
        }
        String token = context.randomText(32);
        WebSession session = new WebSession("s-" + context.randomText(6), token, hash(token), identity, context);
        context.store().leases().ifPresent(leases -> leases.adopt(session.tokenHash()));
        session.reserve();
        live.put(session.tokenHash(), session);
        session.attach(connection, hello, false);
        return Optional.of(session);
    }

    /** The client's budget of new sessions is spent; nothing was attached. */
    public static final class NewSessionRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NewSessionRefusedException() {
            super("The client opened too many new sessions", null, false, false);
        }
    }

    /** The session store could not be read, so a resume token could not be looked up; nothing was attached. */
    public static final class StoreUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreUnavailableException(Throwable cause) {
            super("The session store cannot be read right now", cause);
        }
    }

    private Optional<WebSession> findOrRestore(String token, String hash, Optional<UserIdentity> identity) {
        WebSession session = live.get(hash);
        Optional<ChatLeases> leases = context.store().leases();
        if (session != null) {
            if (leases.isEmpty() || holds(leases.get(), hash)) {
                return Optional.of(session);
            }
            movedAway(hash); // another process took it over since: take it back, from what that process saved
        }
        Optional<SessionRecord> record;
        try {
            // With leases, a page presenting a token this process does not hold live takes its session over (and the
            // process that held it lets go); only the session's own user may.
            record = leases.isPresent()
                    ? leases.get().claim(hash, stored -> sameUser(stored.identity(), identity)).map(ChatLeases.Claimed::record)
                    : context.store().find(hash);
        } catch (RuntimeException e) {
            // Not "unknown": a new session would make the page forget its token, and its chat with it.
            LOG.error("the session store failed to look up a session", e);
            throw new StoreUnavailableException(e);
        }
        if (record.isEmpty() || !sameUser(record.get().identity(), identity)) {
            return Optional.empty();
        }
        WebSession restored = new WebSession(record.get().sessionId(), token, hash, record.get().identity(), context);
        WebSession raced = live.putIfAbsent(hash, restored);
        if (raced != null) {
            return Optional.of(raced);
        }
        LOG.info("session={} restored from the session store", restored.sessionId());
        restored.restore(record.get());
        return Optional.of(restored);
    }

    private static boolean holds(ChatLeases leases, String hash) {
        try {
            return leases.holds(hash);
        } catch (RuntimeException e) {
            // The database cannot say: trust this process's own lease (a renewal that keeps failing for a whole lease
            // makes it let go), so that a page that blinked keeps its chat while the database is away.
            LOG.warn("the session store could not tell who owns a session ({}); this process still holds its lease", e.toString());
            return leases.fenceOf(hash).isPresent();
        }
    }

    private static boolean sameUser(Optional<UserIdentity> sessionUser, Optional<UserIdentity> user) {
        return sessionUser.map(UserIdentity::id).equals(user.map(UserIdentity::id));
    }

    /** Detaches a connection whose socket closed; its session lives on until it has been idle long enough. */
    public void detach(WebSession session, ChatConnection connection) {
        session.detach(connection);
    }

    /**
     * Ends every session that has had no open tab for {@code webchat.sessionIdleTimeout}: its chat is ended at the
     * desk and the session is forgotten. Called periodically by the server; safe to call at any time.
     *
     * @return how many sessions expired
     */
    public int expireIdleSessions() {
        Instant now = context.clock().instant();
        Instant cutoff = now.minus(idleTimeout);
        Instant unstartedCutoff = now.minus(unstartedTimeout);
        int expired = 0;
        for (WebSession session : List.copyOf(live.values())) {
            if (session.closeIfIdleSince(cutoff, unstartedCutoff)) {
                live.remove(session.tokenHash(), session);
                if (session.everStartedChat()) {
                    LOG.info("session={} expired after {} without an open tab", session.sessionId(), idleTimeout);
                } else {
                    LOG.debug("session={} that never started a chat expired", session.sessionId());
                }
                session.close("expired", true, 1001);
                expired++;
            }
        }
        return expired;
    }

    /**
     * Tells a durable store that the sessions with a tab open are active now, so that its purge of abandoned
     * sessions (rows not active for {@code webchat.sessionIdleTimeout}) never takes a live one; a session's record
     * is otherwise only rewritten when something in it changes. Does it at most every third of the idle timeout, for
     * every such session in one call; called by the server's periodic sweep, safe to call at any time.
     *
     * @return how many sessions were touched
     */
    public int touchConnectedSessions() {
        if (!context.store().isDurable()) {
            return 0;
        }
        Instant now = context.clock().instant();
        Instant last = lastTouch;
        if (last != null && now.isBefore(last.plus(idleTimeout.dividedBy(3)))) {
            return 0;
        }
        lastTouch = now;
        List<String> connected = live.values().stream().filter(s -> s.connectionCount() > 0).map(WebSession::tokenHash).toList();
        if (!connected.isEmpty()) {
            context.store().touch(connected, now);
        }
        return connected.size();
    }

    /**
     * Closes every session for a shutdown. With a durable store the chats stay open at the desk, to be resumed by the
     * next process (each session's record is saved once more, active as of its last open tab, so the next process
     * finds it within the idle timeout); otherwise they are ended (reason {@code shutdown}) so no agent is left in a chat nobody reads.
     */
    public CompletionStage<Void> closeAll() {
        boolean endChats = !context.store().isDurable();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (WebSession session : List.copyOf(live.values())) {
            live.remove(session.tokenHash(), session);
            closing.add(session.close("shutdown", endChats, 1001).toCompletableFuture());
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    /**
     * Hands every session over for a graceful shutdown of one of several processes: saves each session's last state
     * and lets go of its chat at the desk without ending it (waiting at most {@code timeout} for the desks), writes
     * what the store holds and releases this process's leases, and only then tells the tabs to reconnect
     * ({@link WebSession#CLOSE_RECONNECT}), so the process they reach finds the last state.
     */
    public void handOverAll(Duration timeout) {
        List<WebSession> sessions = List.copyOf(live.values());
        List<CompletableFuture<Void>> suspended = new ArrayList<>();
        for (WebSession session : sessions) {
            live.remove(session.tokenHash(), session);
            suspended.add(session.suspend().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(suspended.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("not every desk let go of its chat within {}; handing the sessions over anyway", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("letting go of the chats failed", e.getCause());
        }
        context.store().handOverAll();
        List<CompletableFuture<Void>> closing = sessions.stream().map(s -> s.closeTabs(WebSession.CLOSE_RECONNECT, "reconnect").toCompletableFuture()).toList();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("telling the tabs to reconnect did not finish: {}", e.toString());
        }
        LOG.info("handed {} session(s) over to the other web chat processes", sessions.size());
    }

    /** Whether a shutdown hands the sessions over to other processes ({@link #handOverAll}): the store has leases. */
    public boolean handsOver() {
        return context.store().leases().isPresent();
    }

    /** How many sessions are live. */
    public int size() {
        return live.size();
    }

    /** How many chat sockets are attached across all sessions. */
    public int connectionCount() {
        return live.values().stream().mapToInt(WebSession::connectionCount).sum();
    }

    static String hash(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return TOKEN_ENCODING.encodeToString(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

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
     * @param uploads where the files pages upload wait for the message that sends them
     */
    public record Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
            Duration agentsOnlineTimeout, SecureRandom random, FileUploads uploads) {

        /** A context whose sessions take no files. */
        public Context(Deskbridge deskbridge, SessionStore store, Clock clock, Executor workers, int transcriptSize,
                Duration agentsOnlineTimeout, SecureRandom random) {
            this(deskbridge, store, clock, workers, transcriptSize, agentsOnlineTimeout, random, FileUploads.off());
        }

        public Context {
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
    private final ConcurrentMap<String, WebSession> live = new ConcurrentHashMap<>();
    private volatile Instant lastTouch;

    public SessionRegistry(Context context, Duration idleTimeout) {
        this(context, idleTimeout, Integer.MAX_VALUE);
    }

    /**
     * @param maxSessions the most sessions held at once: a page asking for a new session beyond it is refused (see
     *     {@link #attach}); resumed sessions are always let in, so that no chat in progress is turned away
     */
    public SessionRegistry(Context context, Duration idleTimeout, int maxSessions) {
        this.context = requireNonNull(context, "context is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive: " + maxSessions);
        }
        this.maxSessions = maxSessions;
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
            LOG.warn("connection={} refused a new session: {} sessions are held (webchat.maxSessions={})", connection.id(),
                    live.size(), maxSessions);
            return Optional.empty();
        }
        String token = context.randomText(32);
        WebSession session = new WebSession("s-" + context.randomText(6), token, hash(token), identity, context);
        session.reserve();
        live.put(session.tokenHash(), session);
        session.attach(connection, hello, false);
        return Optional.of(session);
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
        if (session != null) {
            return Optional.of(session);
        }
        Optional<SessionRecord> record;
        try {
            record = context.store().find(hash);
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
        Instant cutoff = context.clock().instant().minus(idleTimeout);
        int expired = 0;
        for (WebSession session : List.copyOf(live.values())) {
            if (session.closeIfIdleSince(cutoff)) {
                live.remove(session.tokenHash(), session);
                LOG.info("session={} expired after {} without an open tab", session.sessionId(), idleTimeout);
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

package io.deskbridge.genesys.webmessaging;

import io.deskbridge.desk.support.Backoff;
import io.deskbridge.desk.support.ChatLane;
import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.genesys.platform.GenesysSocketClients;
import io.deskbridge.genesys.webmessaging.wire.Bodies;
import io.deskbridge.genesys.webmessaging.wire.Frame;
import io.deskbridge.genesys.webmessaging.wire.Requests;
import io.deskbridge.genesys.webmessaging.wire.ResponseClass;
import io.deskbridge.genesys.webmessaging.wire.SessionResponse;
import io.deskbridge.genesys.webmessaging.wire.StructuredMessage;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat's session at Genesys: its token, the user it vouches for, the limits Genesys gave it, and how it is opened:
 * the socket (tried again on failures that may pass), {@code configureSession} or
 * {@code configureAuthenticatedSession}, and, for a resumed session, the history the chat missed ({@code getJwt}, then
 * the history pages). The token and what the chat saw are its {@link PersistedState}.
 *
 * <p>Not thread-safe: every method runs on the chat's serial executor.
 */
final class WebMessagingSession {
    private static final Logger LOG = LoggerFactory.getLogger(WebMessagingSession.class);
    /** A compact JWS: three base64url parts (the signature may be empty). */
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** A resumed session and the messages it missed, oldest first. */
    record Resumed(SessionResponse session, List<StructuredMessage> missed) {}

    private final String chatId;
    private final WebMessagingSettings settings;
    private final WebMessagingSocket socket;
    private final WebMessagingHistory history;
    private final WebMessagingAuthCodeSource authCodes;
    private final ChatLane timers;
    private final Backoff backoff;
    private final WebMessagingUploads uploads;
    private final ServiceDeskCallback callback;

    private String token;
    private Optional<UserIdentity> verifiedUser = Optional.empty();
    /** Whether Genesys answered a configureSession of this chat. */
    private boolean known;
    /** Whether Genesys may hold this chat's session: a configureSession went out, or the chat is resumed. */
    private boolean mayExist;
    private int maxCustomDataBytes = CustomAttributes.DEFAULT_MAX_BYTES;
    private PersistedState lastPersisted;
    private final Runnable expired;
    private SessionExpiry expiry;

    WebMessagingSession(String chatId, WebMessagingSettings settings, WebMessagingSocket socket, WebMessagingHistory history,
            WebMessagingAuthCodeSource authCodes, ChatLane timers, WebMessagingUploads uploads, ServiceDeskCallback callback,
            Runnable expired) {
        this.chatId = requireNonNull(chatId, "chatId is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.history = requireNonNull(history, "history is null");
        this.authCodes = requireNonNull(authCodes, "authCodes is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.backoff = Backoff.unbounded(settings.reconnectBackoff(), settings.reconnectBackoffMax());
        this.uploads = requireNonNull(uploads, "uploads is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.expired = requireNonNull(expired, "expired is null");
    }

    /**
     * Genesys said when the session expires without activity ({@code expirationDate} of the session or of an echo's
     * answer). The desk does not end the chat then on its own: {@link SessionExpiry} asks Genesys first.
     */
    void expiresAt(java.time.Instant expiry) {
        expiry().expiresAt(expiry);
    }

    /** A message was sent or received: the session lives on for its duration from now. */
    void activity() {
        expiry().activity();
    }

    /** Stops watching the expiry: the chat ends. */
    void stopExpiry() {
        expiry().stop();
    }

    private SessionExpiry expiry() {
        if (expiry == null) {
            expiry = new SessionExpiry(chatId, timers, () -> {
                String tracingId = WebMessagingSocket.nextTracingId("echo");
                return socket.isOpen() ? socket.request(Requests.Echo.ping(token, tracingId), tracingId, settings.sendTimeout())
                        : CompletableFuture.failedFuture(new WebMessagingSocket.ConnectionLost("no socket"));
            }, expired);
        }
        return expiry;
    }

    /** A new session with a random token, for {@code user} where the chat is authenticated. */
    void create(Optional<UserIdentity> user) {
        token = UUID.randomUUID().toString();
        verifiedUser = user;
    }

    /** The saved session of a resumed chat; empty if nothing was saved. */
    boolean restore(PersistedState state) {
        Optional<String> saved = state.get(WebMessagingPersistence.KEY_TOKEN);
        if (saved.isEmpty()) {
            return false;
        }
        token = saved.get();
        verifiedUser = state.get(WebMessagingPersistence.KEY_USER_ID).map(UserIdentity::new);
        mayExist = true;
        return true;
    }

    String token() {
        return token;
    }

    Optional<UserIdentity> verifiedUser() {
        return verifiedUser;
    }

    /** Whether Genesys answered {@code configureSession}. */
    boolean known() {
        return known;
    }

    /** Whether Genesys may hold the session (one was configured or resumed). */
    boolean mayExist() {
        return mayExist;
    }

    int maxCustomDataBytes() {
        return maxCustomDataBytes;
    }

    /** Whether the session accepts files at all. */
    boolean acceptsFiles() {
        return uploads.rules().acceptsFiles();
    }

    /** What Genesys said of the session: its limits, file rules and expiry. */
    void apply(SessionResponse session) {
        known = true;
        FileRules rules = FileRules.of(session);
        uploads.rules(rules);
        maxCustomDataBytes = session.maxCustomDataBytes().orElse(CustomAttributes.DEFAULT_MAX_BYTES);
        LOG.debug("chat={} session connected={} new={} readOnly={} files={} maxCustomDataBytes={} expires={}", chatId, session.connected(),
                session.newSession(), session.readOnly(), rules.acceptsFiles(), maxCustomDataBytes, session.expirationDate());
        expiry().duration(session.durationSeconds());
        session.expirationDate().ifPresent(epochSecond -> expiresAt(java.time.Instant.ofEpochSecond(epochSecond)));
    }

    /** Reports the session's persisted state if it changed since last reported. */
    void persist(Optional<String> lastMessageId, Optional<AgentProfile> agent) {
        if (token == null) {
            return;
        }
        PersistedState state = WebMessagingPersistence.save(token, lastMessageId, agent, verifiedUser);
        if (!state.equals(lastPersisted)) {
            lastPersisted = state;
            callback.updatePersistedState(state);
        }
    }

    /**
     * Opens a new chat's session: the socket ({@link #openForStart}), {@code configureSession}, and, if Genesys answers
     * that the token's conversation is read-only (it ended), a new conversation as {@link #startNew()} does. Applies
     * the answer.
     *
     * @param starting whether the chat still starts (the user may end it meanwhile)
     */
    CompletableFuture<SessionResponse> open(BooleanSupplier starting) {
        return openForStart(1, starting)
                .thenComposeAsync(ignored -> configure(false), timers)
                .thenComposeAsync(response -> response.readOnly() ? startNew() : CompletableFuture.completedFuture(response), timers)
                .thenApplyAsync(response -> {
                    apply(response);
                    return response;
                }, timers);
    }

    /**
     * Starts a new conversation on a session whose conversation is read-only, as Genesys's messenger SDK does in
     * {@code startNewChat()}: {@code closeSession} with {@code closeAllConnections} first (Genesys closes every other
     * socket of the session and answers a {@code SessionResponse} with {@code connected} false and {@code readOnly}
     * true), and only then {@code configureSession} with {@code startNew}. A read-only session that Genesys still
     * reports connected is not closed: the start fails rather than configuring on a session that is still held.
     */
    private CompletableFuture<SessionResponse> startNew() {
        LOG.info("chat={} the session's conversation is read-only (it ended): closing the session and starting a new conversation", chatId);
        String tracingId = WebMessagingSocket.nextTracingId("close");
        return socket.request(Requests.CloseSession.all(token, tracingId), tracingId, settings.sendTimeout(), WebMessagingClaims.closeSession())
                .thenComposeAsync(frame -> {
                    if (!frame.isSuccess() || frame.responseClass().filter(c -> c == ResponseClass.SESSION_RESPONSE).isEmpty()) {
                        throw WebMessagingException.of("closeSession", frame);
                    }
                    SessionResponse closed = socket.read(frame, SessionResponse.class);
                    if (!closed.readOnly()) {
                        return CompletableFuture.completedFuture(closed); // no longer read-only: the session serves as it is
                    }
                    if (closed.connected()) {
                        throw new WebMessagingException(frame.code(), "Genesys answered closeSession on a read-only session with the session"
                                + " still connected; no new conversation was started", WebMessagingException.userMessage(frame.code()));
                    }
                    return configure(true);
                }, timers);
    }

    /**
     * Opens the socket of a new chat, trying again after a failure that may pass (the socket could not be opened: a
     * timeout, a refused connection, a 5xx or 429 answer to the handshake) up to {@code genesys.webMessagingStartAttempts}
     * times, waiting the reconnect backoff, doubled, between attempts. Nothing was sent before the socket opened, so
     * another attempt cannot double anything.
     *
     * @param starting whether the chat still starts (the user may end it meanwhile)
     */
    CompletableFuture<Void> openForStart(int attempt, BooleanSupplier starting) {
        return socket.open().handleAsync((opened, failure) -> {
            if (!starting.getAsBoolean()) {
                socket.close(); // the user ended the chat while its socket opened: no session is configured
                return CompletableFuture.<Void>failedFuture(endedWhileOpening());
            }
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = CompletionFailures.unwrap(failure);
            if (attempt >= settings.startAttempts() || !GenesysSocketClients.mayOpenOnRetry(cause)) {
                return CompletableFuture.<Void>failedFuture(cause);
            }
            Duration wait = backoff(attempt);
            LOG.info("chat={} could not open the web messaging socket (attempt {} of {}), trying again in {} ms: {}", chatId, attempt,
                    settings.startAttempts(), wait.toMillis(), cause.getMessage());
            CompletableFuture<Void> next = new CompletableFuture<>();
            timers.schedule(wait, () -> {
                if (!starting.getAsBoolean()) {
                    next.completeExceptionally(endedWhileOpening());
                    return;
                }
                WebMessagingFailures.propagate(openForStart(attempt + 1, starting), next);
            });
            return next;
        }, timers).thenCompose(f -> f);
    }

    private static ServiceDeskException endedWhileOpening() {
        return new ServiceDeskException(ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "The chat ended while its socket was being opened");
    }

    /**
     * The wait before retry {@code retry} (1 for the first) of a reconnect or a start: {@code
     * genesys.webMessagingReconnectBackoff} doubled per retry, at most {@code genesys.webMessagingReconnectBackoffMax},
     * with jitter so that the chats one outage dropped do not all come back at once.
     */
    Duration backoff(int retry) {
        return backoff.delay(retry);
    }

    /**
     * Opens a socket with the chat's token, configures the session and reads what the chat missed, holding live
     * messages meanwhile (the conversation delivers both in {@link WebMessagingConversation#finishCatchUp}).
     *
     * @param lookBehind how far before the newest delivered message the history is read again (only this process knows
     *     every message it delivered; a desk resumed from persisted state knows the last one)
     */
    CompletableFuture<Resumed> resume(WebMessagingConversation conversation, Duration lookBehind) {
        conversation.beginCatchUp();
        return openAndConfigure(false).thenComposeAsync(session -> {
            apply(session);
            return missed(conversation::wasDelivered, lookBehind).thenApply(missed -> new Resumed(session, missed));
        }, timers).whenCompleteAsync((r, failure) -> {
            if (failure != null) {
                conversation.abandonCatchUp();
            }
        }, timers);
    }

    /**
     * How far before the newest delivered message a catch-up after a drop reads again: a message Genesys sent just
     * before it may never have arrived on the dropped socket. Reading further costs a history page at most; nothing
     * is delivered twice (ids), and no live message waits for it.
     */
    static Duration lookBehind(WebMessagingSettings settings) {
        Duration minimum = Duration.ofSeconds(5);
        return settings.reorderWindow().compareTo(minimum) > 0 ? settings.reorderWindow() : minimum;
    }

    /**
     * Reads the history on the open socket and delivers what the chat has not seen, holding live messages meanwhile.
     * Never fails: a history that cannot be read is logged, and live messages go on.
     */
    CompletableFuture<Void> catchUp(WebMessagingConversation conversation) {
        return catchUp(conversation, () -> { });
    }

    /**
     * As {@link #catchUp(WebMessagingConversation)}, running {@code afterHistory} once the history was delivered and
     * before the live messages that waited for it (also when the history could not be read).
     */
    CompletableFuture<Void> catchUp(WebMessagingConversation conversation, Runnable afterHistory) {
        conversation.beginCatchUp();
        return missed(conversation::wasDelivered, lookBehind(settings)).handleAsync((missed, failure) -> {
            if (failure != null) {
                LOG.warn("chat={} could not read the history: {}", chatId, CompletionFailures.unwrap(failure).toString());
                conversation.finishCatchUp(List.of(), afterHistory);
            } else {
                conversation.finishCatchUp(missed, afterHistory);
            }
            return null;
        }, timers);
    }

    /** Opens a new socket and configures the session on it. */
    CompletableFuture<SessionResponse> openAndConfigure(boolean startNew) {
        return socket.open().thenComposeAsync(ignored -> configure(startNew), timers);
    }

    /**
     * Whether {@code frame} is Genesys's 403 saying an authenticated session must authenticate again ("Session
     * authentication failed", "Try to authenticate again"; Genesys's messenger SDK reconnects on these).
     */
    static boolean asksToAuthenticateAgain(Frame frame) {
        if (frame.code() != 403 || frame.responseClass().filter(c -> c == ResponseClass.STRING || c == ResponseClass.ERROR).isEmpty()) {
            return false;
        }
        String text = frame.errorText().strip().toLowerCase(java.util.Locale.ROOT);
        return text.startsWith("session authentication failed") || text.startsWith("try to authenticate again");
    }

    /** How often an authenticated configure answered 401 is sent again with a fresh code, as Genesys's messenger SDK. */
    static final int MAX_RECONFIGURE_ATTEMPTS = 3;

    /**
     * Sends {@code configureSession} (or the authenticated one, with a code from the code source) and reads the answer.
     * An authenticated configure that Genesys answers 401 (the code expired or was used) is sent again with a fresh
     * code from the code source, at most {@value #MAX_RECONFIGURE_ATTEMPTS} more times, as Genesys's messenger SDK does.
     */
    CompletableFuture<SessionResponse> configure(boolean startNew) {
        return configure(startNew, 0);
    }

    private CompletableFuture<SessionResponse> configure(boolean startNew, int reconfigured) {
        return configureOnce(startNew).exceptionallyComposeAsync(failure -> {
            Throwable cause = CompletionFailures.unwrap(failure);
            if (settings.authenticated() && cause instanceof WebMessagingException refused && refused.code() == 401
                    && reconfigured < MAX_RECONFIGURE_ATTEMPTS && socket.isOpen()) {
                LOG.info("chat={} Genesys refused the authenticated session code (401); configuring again with a fresh code ({} of {})",
                        chatId, reconfigured + 1, MAX_RECONFIGURE_ATTEMPTS);
                return configure(startNew, reconfigured + 1);
            }
            return CompletableFuture.failedFuture(cause);
        }, timers);
    }

    private CompletableFuture<SessionResponse> configureOnce(boolean startNew) {
        CompletableFuture<Optional<String>> code = settings.authenticated()
                ? verifiedUser.map(user -> authCodes.codeFor(user, chatId).toCompletableFuture().thenApply(Optional::of))
                        .orElseGet(() -> CompletableFuture.failedFuture(new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED,
                                "The chat is authenticated but no verified user is known to vouch for", "Please sign in to chat with an agent.", null)))
                : CompletableFuture.completedFuture(Optional.empty());
        return code.thenComposeAsync(authCode -> {
            if (authCode.isPresent() && !JWT.matcher(authCode.get()).matches()) {
                throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION, "The WebMessagingAuthCodeSource answered a"
                        + " code that is not a JWT: configureAuthenticatedSession needs the JWT Genesys returns from POST"
                        + " /api/v2/webdeployments/token/oauthcodegrantjwtexchange, not the user's OAuth authorization code",
                        "Please sign in to chat with an agent.", null);
            }
            mayExist = true;
            String tracingId = WebMessagingSocket.nextTracingId("configure");
            Object request = authCode.isPresent()
                    ? Requests.ConfigureSession.authenticated(token, settings.deploymentId(), startNew, authCode.get(), tracingId)
                    : Requests.ConfigureSession.anonymous(token, settings.deploymentId(), startNew, tracingId);
            return socket.request(request, tracingId, settings.sendTimeout(), WebMessagingClaims.configure());
        }, timers).thenApplyAsync(frame -> {
            if (!frame.isSuccess() || frame.responseClass().filter(c -> c == ResponseClass.SESSION_RESPONSE).isEmpty()) {
                throw WebMessagingException.of(settings.authenticated() ? "configureAuthenticatedSession" : "configureSession", frame);
            }
            return socket.read(frame, SessionResponse.class);
        }, timers);
    }

    /**
     * What the session missed, oldest first, from the history read with a {@code getJwt} JWT.
     *
     * @param delivered whether an outbound message id already reached the user
     * @param lookBehind how far before the newest delivered message the history is read again
     */
    CompletableFuture<List<StructuredMessage>> missed(Predicate<String> delivered, Duration lookBehind) {
        String tracingId = WebMessagingSocket.nextTracingId("jwt");
        return socket.request(Requests.GetJwt.of(token, tracingId), tracingId, settings.sendTimeout(), WebMessagingClaims.jwt()).thenComposeAsync(frame -> {
            if (!frame.isSuccess() || frame.responseClass().filter(c -> c == ResponseClass.JWT_RESPONSE).isEmpty()) {
                throw WebMessagingException.of("getJwt", frame);
            }
            Bodies.JwtResponse jwt = socket.read(frame, Bodies.JwtResponse.class);
            return history.missed(chatId, jwt.jwt(), delivered, lookBehind, timers);
        }, timers);
    }
}

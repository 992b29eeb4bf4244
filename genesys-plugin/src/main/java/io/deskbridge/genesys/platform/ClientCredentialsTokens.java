package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.core.Secret;
import io.deskbridge.genesys.platform.wire.OAuthToken;
import io.deskbridge.spi.ServiceDeskException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth access tokens of one Genesys client by the client credentials grant ({@code POST {login}/oauth/token}),
 * cached and shared by every chat. A token is replaced before it expires (when less than a tenth of its lifetime,
 * at most a minute, is left) and when Genesys answers {@code 401} to it ({@link #invalidate(String)}). Concurrent
 * callers share one token request. The secret is sent to the login host only and never logged.
 */
public final class ClientCredentialsTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsTokens.class);

    private final GenesysRestClient rest;
    private final Clock clock;
    private final URI tokenUri;
    private final String basicAuthorization;

    // Guarded by this.
    private CompletableFuture<Token> current;

    private record Token(String accessToken, Instant refreshAt) {}

    public ClientCredentialsTokens(GenesysRestClient rest, Clock clock, URI loginBaseUrl, String clientId, Secret clientSecret) {
        this.rest = requireNonNull(rest, "rest is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.tokenUri = resolve(requireNonNull(loginBaseUrl, "loginBaseUrl is null"), "/oauth/token");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        this.basicAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret.reveal()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code base} + {@code path}, keeping a path the base URL may have. */
    static URI resolve(URI base, String path) {
        String text = base.toString();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path);
    }

    /** A valid access token, from the cache or a new grant. */
    public CompletableFuture<String> accessToken() {
        CompletableFuture<Token> token;
        synchronized (this) {
            if (current == null || isStale(current)) {
                current = requestToken();
                CompletableFuture<Token> requested = current;
                requested.whenComplete((t, failure) -> {
                    if (failure != null) {
                        synchronized (this) {
                            if (current == requested) {
                                current = null; // the next caller asks again
                            }
                        }
                    }
                });
            }
            token = current;
        }
        return token.thenApply(Token::accessToken);
    }

    /** Drops {@code accessToken} from the cache: Genesys refused it ({@code 401}). */
    public void invalidate(String accessToken) {
        synchronized (this) {
            if (current != null && current.isDone() && !current.isCompletedExceptionally()
                    && current.join().accessToken().equals(accessToken)) {
                current = null;
                LOG.info("Genesys refused the cached OAuth token; a new one will be requested");
            }
        }
    }

    private boolean isStale(CompletableFuture<Token> token) {
        if (!token.isDone()) {
            return false;
        }
        if (token.isCompletedExceptionally()) {
            return true;
        }
        return !clock.instant().isBefore(token.join().refreshAt());
    }

    private CompletableFuture<Token> requestToken() {
        GenesysRestClient.Call call = new GenesysRestClient.Call("issue an OAuth token (client credentials)", "POST", tokenUri,
                Optional.of(basicAuthorization), "application/x-www-form-urlencoded",
                Optional.of("grant_type=" + URLEncoder.encode("client_credentials", StandardCharsets.UTF_8)), true);
        Instant requestedAt = clock.instant();
        return rest.send(call, OAuthToken.class).handle((answer, failure) -> {
            if (failure != null) {
                throw new CompletionException(explain(CompletionFailures.unwrap(failure)));
            }
            Duration lifetime = Duration.ofSeconds(answer.expiresInSeconds());
            Duration margin = lifetime.dividedBy(10);
            if (margin.compareTo(Duration.ofMinutes(1)) > 0) {
                margin = Duration.ofMinutes(1);
            }
            LOG.debug("new Genesys OAuth token valid for {} s", lifetime.toSeconds());
            return new Token(answer.accessToken(), requestedAt.plus(lifetime).minus(margin));
        });
    }

    private static Throwable explain(Throwable failure) {
        if (failure instanceof GenesysApiException api && (api.status() == 400 || api.status() == 401)
                && api.code().filter(c -> c.equals("invalid_client") || c.equals("bad.credentials") || c.equals("unauthorized_client")).isPresent()) {
            return new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "Genesys refused the OAuth client credentials (genesys.clientId, genesys.clientSecret): " + api.getMessage()
                            + ". Check the client id and secret, and that genesys.environment is the organization's region.",
                    null, api);
        }
        return failure;
    }
}

package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens the organization issues and checks: OAuth access tokens of the client credentials grant (opaque ids,
 * kept here with their expiry), guest chat JWTs and signed-data JWTs (both HS256 with a key of this simulator
 * instance, so that a token of another simulator, or an edited one, is refused).
 *
 * <p>Thread-safe.
 */
final class TokenAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuthority.class);

    static final String GUEST_TOKEN_ISSUER = "urn:purecloud:webchat";
    static final String SIGNED_DATA_ISSUER = "urn:purecloud:signeddata";

    /** An access token as issued: {@code expires_in} is {@code lifetime}. */
    record IssuedToken(String token, String clientId, Duration lifetime, Instant expiresAt) {}

    /** A guest JWT and when it expires. */
    record GuestToken(String jwt, Instant expiresAt) {}

    private final String organizationId;
    private final Clock clock;
    private final Ids ids;
    private final Wire wire;
    private final JwtSigner signer;
    private final Duration accessTokenLifetime;
    private final Duration guestTokenLifetime;
    private final Duration signedDataLifetime;
    private final Map<String, IssuedToken> accessTokens = new ConcurrentHashMap<>();

    TokenAuthority(String organizationId, Clock clock, Ids ids, Wire wire, Duration accessTokenLifetime,
            Duration guestTokenLifetime, Duration signedDataLifetime) {
        this.organizationId = organizationId;
        this.clock = clock;
        this.ids = ids;
        this.wire = wire;
        this.signer = new JwtSigner(wire.mapper(),
                ("deskbridge genesys simulator " + organizationId).getBytes(StandardCharsets.UTF_8));
        this.accessTokenLifetime = accessTokenLifetime;
        this.guestTokenLifetime = guestTokenLifetime;
        this.signedDataLifetime = signedDataLifetime;
    }

    // ---------------------------------------------------------------------------------------------------------
    // OAuth access tokens

    IssuedToken issueAccessToken(String clientId) {
        IssuedToken token = new IssuedToken(ids.next(Ids.Kind.TOKEN), clientId, accessTokenLifetime,
                clock.instant().plus(accessTokenLifetime));
        accessTokens.put(token.token(), token);
        LOG.debug("simulator issued an access token to client {}", clientId);
        return token;
    }

    /** Every access token issued so far expires now. */
    void expireAccessTokens() {
        Instant past = clock.instant().minusMillis(1);
        accessTokens.replaceAll((token, issued) -> new IssuedToken(token, issued.clientId(), issued.lifetime(), past));
        LOG.info("simulator expired {} access tokens", accessTokens.size());
    }

    List<String> issuedAccessTokens() {
        return List.copyOf(accessTokens.keySet());
    }

    /** The OAuth check of platform endpoints. */
    void authenticatePlatform(Exchange exchange) {
        String token = bearerToken(exchange);
        IssuedToken issued = accessTokens.get(token);
        if (issued == null) {
            throw ApiError.of(401, "bad.credentials", "Invalid login credentials.");
        }
        if (!clock.instant().isBefore(issued.expiresAt())) {
            throw ApiError.of(401, "credentials.expired", "The access token has expired.");
        }
    }

    /** The token of an {@code Authorization: Bearer} header (the scheme in any case). */
    static String bearerToken(Exchange exchange) {
        String header = exchange.header("Authorization").orElseThrow(() -> ApiError.of(401,
                "authentication.required", "No authentication bearer token specified in authorization header."));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw ApiError.of(401, "bad.credentials", "Invalid login credentials.");
        }
        return header.substring(7).trim();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Signed data

    String signData(JsonNode data) {
        Instant issuedAt = clock.instant();
        ObjectNode claims = wire.object();
        claims.set("data", data.deepCopy());
        claims.put("exp", issuedAt.plus(signedDataLifetime).getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", SIGNED_DATA_ISSUER);
        claims.put("org", organizationId);
        return signer.sign(claims);
    }

    Optional<JsonNode> verifySignedData(String token) {
        return signer.verify(token)
                .filter(claims -> claims.path("iss").asText().equals(SIGNED_DATA_ISSUER))
                .filter(claims -> claims.path("org").asText().equals(organizationId))
                .filter(claims -> clock.instant().getEpochSecond() < claims.path("exp").asLong())
                .map(claims -> claims.path("data"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Guest JWTs

    /** A guest JWT with the claims observed on real ones: {@code data{conv,did,sub}, exp, iat, iss, org}. */
    GuestToken issueGuestToken(String conversationId, String deploymentId, String guestMemberId) {
        Instant issuedAt = clock.instant();
        Instant expiresAt = issuedAt.plus(guestTokenLifetime);
        ObjectNode claims = wire.object();
        claims.putObject("data").put("conv", conversationId).put("did", deploymentId).put("sub", guestMemberId);
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", GUEST_TOKEN_ISSUER);
        claims.put("org", organizationId);
        return new GuestToken(signer.sign(claims), expiresAt);
    }

    /**
     * The conversation id of a guest JWT this simulator signed, or empty for anything else. Expiry is the
     * conversation's to check: a test may expire one guest's token early.
     */
    Optional<String> guestConversationId(String token) {
        return signer.verify(token)
                .filter(claims -> claims.path("iss").asText().equals(GUEST_TOKEN_ISSUER))
                .map(claims -> claims.path("data").path("conv").asText());
    }
}

package io.deskbridge.genesys.simulator;

import static io.deskbridge.genesys.simulator.HttpFront.route;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth/token} on the login server: the client credentials grant (protocol reference §D) with the
 * client id and secret in HTTP Basic authentication and {@code grant_type=client_credentials} as a form body.
 *
 * <p>Simulator choices: a wrong secret or unknown client answers {@code 401 invalid_client} ("authentication
 * failed" / "client not found"); a missing or malformed grant {@code 400 invalid_request} or {@code 400
 * unsupported_grant_type}; credentials are read from the Basic header only.
 */
final class OAuthEndpoint {
    private final SimulatedOrganization organization;
    private final TokenAuthority tokens;
    private final Wire wire;

    OAuthEndpoint(SimulatedOrganization organization, TokenAuthority tokens, Wire wire) {
        this.organization = organization;
        this.tokens = tokens;
        this.wire = wire;
    }

    List<HttpFront.Route> routes() {
        return List.of(route("POST", "/oauth/token", (exchange, p) -> token(exchange)));
    }

    private Response token(Exchange exchange) {
        String authorization = exchange.header("Authorization").orElse("");
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ApiError.oauth(401, "invalid_client", "authentication failed");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.oauth(401, "invalid_client", "authentication failed");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ApiError.oauth(401, "invalid_client", "authentication failed");
        }
        String clientId = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Optional<String> expected = organization.oauthClientSecret(clientId);
        if (expected.isEmpty()) {
            throw ApiError.oauth(401, "invalid_client", "client not found");
        }
        if (!expected.get().equals(secret)) {
            throw ApiError.oauth(401, "invalid_client", "authentication failed");
        }
        String contentType = exchange.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            throw ApiError.oauth(400, "invalid_request",
                    "the body must be application/x-www-form-urlencoded, not '" + contentType + "'");
        }
        Map<String, String> form = RecordedRequest.parseQuery(exchange.bodyText());
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw ApiError.oauth(400, "invalid_request", "grant_type is required");
        }
        if (!grantType.equals("client_credentials")) {
            throw ApiError.oauth(400, "unsupported_grant_type", "grant type " + grantType + " is not supported");
        }
        TokenAuthority.IssuedToken token = tokens.issueAccessToken(clientId);
        return Response.ok(wire.object().put("access_token", token.token()).put("token_type", "bearer")
                .put("expires_in", token.lifetime().toSeconds()));
    }
}

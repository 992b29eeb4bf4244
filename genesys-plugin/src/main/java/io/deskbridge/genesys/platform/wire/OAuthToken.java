package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code POST /oauth/token} for the client credentials grant.
 *
 * @param accessToken the bearer token
 * @param tokenType {@code bearer} (casing varies)
 * @param expiresInSeconds the token's lifetime
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OAuthToken(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresInSeconds) {
    public OAuthToken {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalArgumentException("the OAuth answer has no access_token");
        }
        if (expiresInSeconds <= 0) {
            throw new IllegalArgumentException("the OAuth answer has no positive expires_in");
        }
    }
}

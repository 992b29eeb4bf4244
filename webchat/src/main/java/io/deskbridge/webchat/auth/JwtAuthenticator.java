package io.deskbridge.webchat.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.webchat.WebChatSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies user tokens signed by the host site: a JWT signed with HS256 ({@code webchat.auth.secret}) or RS256
 * ({@code webchat.auth.publicKey}), that names {@code webchat.auth.audience} in {@code aud}, has a subject
 * ({@code sub}) and an expiry ({@code exp}) in the future (60 seconds of clock skew allowed), and is not used before
 * {@code nbf}. The identity is {@code sub}, with the optional {@code name} and {@code email} claims.
 */
public final class JwtAuthenticator implements UserAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);

    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtAuthenticator(JWSAlgorithm algorithm, Key key, String audience, Clock clock) {
        requireNonNull(clock, "clock is null");
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(algorithm, key));
        // Mutable sets: nimbus asks them whether they contain null, which Set.of() answers with an exception.
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(Set.of(audience)), new JWTClaimsSet.Builder().build(),
                new HashSet<>(Set.of("sub", "exp")), new HashSet<>()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
    }

    /** An authenticator for HS256 tokens signed with {@code secret} (at least 32 bytes). */
    public static JwtAuthenticator hs256(String secret, String audience, Clock clock) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("an HS256 secret must be at least 32 bytes long");
        }
        return new JwtAuthenticator(JWSAlgorithm.HS256, new SecretKeySpec(bytes, "HmacSHA256"), audience, clock);
    }

    /** An authenticator for RS256 tokens verified with this RSA public key. */
    public static JwtAuthenticator rs256(PublicKey publicKey, String audience, Clock clock) {
        return new JwtAuthenticator(JWSAlgorithm.RS256, publicKey, audience, clock);
    }

    static JwtAuthenticator from(WebChatSettings settings, Clock clock) {
        String audience = settings.authAudience().orElseThrow(() -> new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                "webchat.auth=jwt needs webchat.auth.audience"));
        if (settings.authSecret().isPresent()) {
            return hs256(settings.authSecret().get().reveal(), audience, clock);
        }
        String pem = settings.authPublicKey().orElseThrow(() -> new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                "webchat.auth=jwt needs webchat.auth.secret or webchat.auth.publicKey"));
        return rs256(parseRsaPublicKey(pem), audience, clock);
    }

    /**
     * An RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo) or from the same
     * base64 without the header lines.
     *
     * @throws ServiceDeskException of kind {@code CONFIGURATION} if it is not one
     */
    public static PublicKey parseRsaPublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replace("\\n", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ServiceDeskException(ServiceDeskException.Kind.CONFIGURATION,
                    "webchat.auth.publicKey is not a PEM RSA public key (-----BEGIN PUBLIC KEY----- ...): " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isRequired() {
        return true;
    }

    @Override
    public Optional<UserIdentity> authenticate(Optional<String> token) throws AuthenticationException {
        if (token.isEmpty()) {
            throw new AuthenticationException("Sign-in required: this chat needs a sign-in token (hello.authToken) from the site");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.get(), null);
        } catch (ParseException e) {
            throw new AuthenticationException("The sign-in token is not a JWT");
        } catch (BadJWTException e) {
            LOG.debug("user token refused: {}", e.getMessage());
            throw new AuthenticationException("The sign-in token is not valid: " + claimProblem(e.getMessage()));
        } catch (BadJOSEException e) {
            LOG.debug("user token refused: {}", e.getMessage());
            throw new AuthenticationException("The sign-in token is not valid: its signature or algorithm is not accepted");
        } catch (JOSEException e) {
            LOG.warn("user token could not be verified", e);
            throw new AuthenticationException("The sign-in token could not be verified");
        }
        try {
            return Optional.of(new UserIdentity(claims.getSubject(),
                    Optional.ofNullable(claims.getStringClaim("name")).filter(s -> !s.isBlank()),
                    Optional.ofNullable(claims.getStringClaim("email")).filter(s -> !s.isBlank())));
        } catch (ParseException | IllegalArgumentException e) {
            throw new AuthenticationException("The sign-in token is not valid: its sub, name or email claim is malformed");
        }
    }

    private static String claimProblem(String nimbusMessage) {
        String text = String.valueOf(nimbusMessage).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("expired")) {
            return "it has expired";
        }
        if (text.contains("audience")) {
            return "it was issued for another audience";
        }
        if (text.contains("before use time") || text.contains("nbf")) {
            return "it is not valid yet";
        }
        if (text.contains("missing required claims")) {
            return "it lacks a required claim (sub and exp are required)";
        }
        return "its claims were refused";
    }
}

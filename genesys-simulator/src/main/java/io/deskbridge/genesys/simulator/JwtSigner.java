package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks the simulator's JWTs (HS256 with a key of the simulator instance): the guest JWT with the claims
 * observed on real ones ({@code data{conv,did,sub}, exp, iat, iss, org}) and the signed-data JWT. Clients treat
 * both as opaque; the simulator checks the signature so that a token of another simulator, or an edited one, is
 * refused.
 */
final class JwtSigner {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final ObjectMapper json;
    private final byte[] key;

    JwtSigner(ObjectMapper json, byte[] key) {
        this.json = json;
        this.key = key.clone();
    }

    String sign(ObjectNode claims) {
        ObjectNode header = json.createObjectNode().put("alg", "HS256").put("typ", "JWT");
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + ENCODER.encodeToString(mac(signingInput));
    }

    /** The claims of a token this signer minted, or empty if the token is malformed or its signature is wrong. */
    Optional<JsonNode> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        byte[] signature;
        byte[] payload;
        try {
            signature = DECODER.decode(parts[2]);
            payload = DECODER.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
            return Optional.empty();
        }
        try {
            JsonNode claims = json.readTree(payload);
            return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String encode(ObjectNode node) {
        try {
            return ENCODER.encodeToString(json.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JWT part", e);
        }
    }

    private byte[] mac(String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

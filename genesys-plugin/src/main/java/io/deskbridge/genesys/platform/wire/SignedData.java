package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The answer of {@code POST /api/v2/signeddata}: a JWT Genesys signed over the posted data. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignedData(String jwt) {
    public SignedData {
        if (jwt == null || jwt.isBlank()) {
            throw new IllegalArgumentException("the signed data answer has no jwt");
        }
    }
}

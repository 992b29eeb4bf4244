package io.deskbridge.genesys.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Lenient readings of the text values Genesys sends (avatar URLs, ISO-8601 times), shared by both transports: a value
 * Genesys sends malformed is treated as absent, never as a failure of the frame that carried it.
 */
public final class WireValues {
    private WireValues() {}

    /** {@code text} as an absolute URI, or empty when it is not one (relative, or not a URI at all). */
    public static Optional<URI> absoluteUri(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code text} as an ISO-8601 instant ({@code 2026-11-23T10:15:30.123Z}), or empty when it is not one. */
    public static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

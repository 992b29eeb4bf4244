package io.deskbridge.webchat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open the chat socket, judged by the upgrade request's {@code Origin} header
 * ({@code webchat.allowedOrigins}). With no list, only the server's own origin (the one that served the page) is
 * allowed; {@code *} allows every origin. A request without {@code Origin} comes from a program rather than a browser
 * page, which cross-site socket hijacking cannot involve, and is allowed.
 */
final class OriginPolicy {
    private final boolean any;
    private final Set<String> allowed;

    OriginPolicy(List<String> allowedOrigins) {
        this.any = allowedOrigins.contains("*");
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param origin the {@code Origin} header, if sent
     * @param host the {@code Host} header of the request
     */
    boolean allows(Optional<String> origin, Optional<String> host) {
        if (origin.isEmpty() || any) {
            return true;
        }
        String normalized = normalize(origin.get());
        if (!allowed.isEmpty()) {
            return allowed.contains(normalized);
        }
        try {
            URI uri = new URI(normalized);
            String authority = uri.getRawAuthority();
            return authority != null && host.isPresent() && authority.equalsIgnoreCase(host.get().trim());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String normalize(String origin) {
        String value = origin.trim().toLowerCase(Locale.ROOT);
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}

package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.Settings;
import io.deskbridge.webchat.session.TranscriptBudget;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one client (a network address, a verified user, a socket) may cost the web chat: the bounds that keep one
 * abusive page, script or network from locking other visitors out or from taking the server's memory or processors.
 * Read from {@code webchat.*} keys with the rest of {@link WebChatSettings}; every default is documented in the web
 * chat's README.
 *
 * @param newSessionsPerAddress new sessions one remote address may open per minute, in bursts of as many
 *     ({@code webchat.newSessionsPerAddress}, default 30); resuming a session is never counted. Behind a reverse
 *     proxy every visitor has the proxy's address unless the proxy is listed in {@code webchat.trustedProxies}
 * @param newSessionsPerUser new sessions one verified user may open per minute, in bursts of as many
 *     ({@code webchat.newSessionsPerUser}, default 10; only with {@code webchat.auth=jwt})
 * @param unstartedSessionTimeout how long a session that never started a chat lives once its last tab closed
 *     ({@code webchat.unstartedSessionTimeout}, default 15s; at most {@code webchat.sessionIdleTimeout})
 * @param transcriptMaxBytes the most text one chat's transcript keeps, in UTF-8 bytes of its messages' texts and
 *     ids ({@code webchat.transcriptMaxBytes}, default 262144: 256 KiB); the oldest messages go first
 * @param transcriptTotalBytes the most transcript text the whole process keeps ({@code webchat.transcriptTotalBytes},
 *     default 268435456: 256 MiB); beyond it, every transcript that grows drops its oldest messages first
 * @param maxInboundBytesPerSecond the text a socket may send per second, counted after decompression
 *     ({@code webchat.maxInboundBytesPerSecond}, default 131072: 128 KiB, in bursts of twice
 *     {@code webchat.maxFrameBytes} or of this, whichever is larger); a socket over it is closed with 1008
 * @param maxDroppedFrames how many frames over {@code webchat.maxMessagesPerSecond} a socket may have dropped, in
 *     bursts, before it is closed with 1008 ({@code webchat.maxDroppedFrames}, default 50; the allowance refills by
 *     one every 2 seconds)
 * @param helloTimeout how long a new socket has to say {@code hello} before it is closed with 1008
 *     ({@code webchat.helloTimeout}, default 10s)
 * @param maxConnectionsPerAddress the most chat sockets open at once from one remote address
 *     ({@code webchat.maxConnectionsPerAddress}, default 64); more are refused with HTTP 429 before the upgrade
 * @param frameAncestors the sites that may show the chat page in a frame ({@code webchat.frameAncestors},
 *     comma-separated origins such as {@code https://shop.example.com}, or {@code self}; default none: no site
 *     may frame the page)
 * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} names the client
 *     ({@code webchat.trustedProxies}, comma-separated IP addresses; default none: every client is its TCP peer).
 *     Only a proxy listed here is believed: anyone else could name any address
 */
public record ClientLimits(
        int newSessionsPerAddress,
        int newSessionsPerUser,
        Duration unstartedSessionTimeout,
        long transcriptMaxBytes,
        long transcriptTotalBytes,
        int maxInboundBytesPerSecond,
        int maxDroppedFrames,
        Duration helloTimeout,
        int maxConnectionsPerAddress,
        List<String> frameAncestors,
        List<String> trustedProxies) {

    public ClientLimits {
        requireNonNull(unstartedSessionTimeout, "unstartedSessionTimeout is null");
        requireNonNull(helloTimeout, "helloTimeout is null");
        frameAncestors = List.copyOf(requireNonNull(frameAncestors, "frameAncestors is null"));
        trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies is null"));
        for (String proxy : trustedProxies) {
            if (!ClientAdmission.isIpLiteral(proxy)) {
                throw new IllegalArgumentException("trustedProxies must hold IP addresses, not '" + proxy + "'");
            }
        }
        if (newSessionsPerAddress < 1 || newSessionsPerUser < 1 || maxInboundBytesPerSecond < 1024 || maxDroppedFrames < 1
                || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("client limits must be positive (maxInboundBytesPerSecond at least 1024)");
        }
        if (transcriptMaxBytes < 1024 || transcriptTotalBytes < transcriptMaxBytes) {
            throw new IllegalArgumentException("transcriptMaxBytes must be at least 1024 and transcriptTotalBytes at least as large: "
                    + transcriptMaxBytes + ", " + transcriptTotalBytes);
        }
        if (unstartedSessionTimeout.isNegative() || unstartedSessionTimeout.isZero() || helloTimeout.isNegative() || helloTimeout.isZero()) {
            throw new IllegalArgumentException("unstartedSessionTimeout and helloTimeout must be positive");
        }
    }

    /** The defaults (see the class documentation). */
    public static ClientLimits defaults() {
        return new ClientLimits(30, 10, Duration.ofSeconds(15), TranscriptBudget.DEFAULT_PER_TRANSCRIPT, TranscriptBudget.DEFAULT_TOTAL, 128 * 1024, 50,
                Duration.ofSeconds(10), 64, List.of(), List.of());
    }

    /**
     * Reads the limits from the {@code webchat} settings, recording every malformed value as a problem of {@code s}
     * (which the caller validates with the rest).
     */
    static ClientLimits read(Settings s, Duration sessionIdleTimeout) {
        ClientLimits d = defaults();
        int perAddress = s.integer("newSessionsPerAddress", d.newSessionsPerAddress(), 1, 1_000_000);
        int perUser = s.integer("newSessionsPerUser", d.newSessionsPerUser(), 1, 1_000_000);
        Duration unstarted = s.duration("unstartedSessionTimeout", min(d.unstartedSessionTimeout(), sessionIdleTimeout), Duration.ofMillis(10));
        if (unstarted.compareTo(sessionIdleTimeout) > 0) {
            s.problem(s.key("unstartedSessionTimeout") + " (" + unstarted + ") must not be longer than " + s.key("sessionIdleTimeout")
                    + " (" + sessionIdleTimeout + ")");
            unstarted = sessionIdleTimeout;
        }
        long transcriptBytes = s.integer("transcriptMaxBytes", (int) d.transcriptMaxBytes(), 1024, Integer.MAX_VALUE);
        long totalBytes = longValue(s, "transcriptTotalBytes", d.transcriptTotalBytes());
        if (totalBytes < transcriptBytes) {
            s.problem(s.key("transcriptTotalBytes") + " (" + totalBytes + ") must be at least " + s.key("transcriptMaxBytes")
                    + " (" + transcriptBytes + ")");
            totalBytes = transcriptBytes;
        }
        int inbound = s.integer("maxInboundBytesPerSecond", d.maxInboundBytesPerSecond(), 1024, Integer.MAX_VALUE);
        int dropped = s.integer("maxDroppedFrames", d.maxDroppedFrames(), 1, 1_000_000);
        Duration hello = s.duration("helloTimeout", d.helloTimeout(), Duration.ofMillis(10));
        int connections = s.integer("maxConnectionsPerAddress", d.maxConnectionsPerAddress(), 1, 1_000_000);
        List<String> ancestors = s.list("frameAncestors").stream().map(a -> a.trim()).toList();
        for (String ancestor : ancestors) {
            if (!ancestor.toLowerCase(Locale.ROOT).equals("self") && !ancestor.matches("https?://[^/\\s;,']+")) {
                s.problem(s.key("frameAncestors") + " entries must be self or an origin such as https://shop.example.com"
                        + " (scheme and host, no path), not '" + ancestor + "'");
            }
        }
        List<String> proxies = s.list("trustedProxies");
        for (String proxy : proxies) {
            if (!ClientAdmission.isIpLiteral(proxy)) {
                s.problem(s.key("trustedProxies") + " entries must be IP addresses such as 10.0.0.5 or fd00::5 (the reverse proxies"
                        + " whose X-Forwarded-For is believed), not '" + proxy + "'");
            }
        }
        return new ClientLimits(perAddress, perUser, unstarted, transcriptBytes, totalBytes, inbound, dropped, hello, connections,
                ancestors.stream().filter(a -> a.toLowerCase(Locale.ROOT).equals("self") || a.matches("https?://[^/\\s;,']+")).toList(),
                proxies.stream().filter(ClientAdmission::isIpLiteral).toList());
    }

    /**
     * The value of the {@code Content-Security-Policy} directive {@code frame-ancestors}: {@code 'none'} unless sites
     * are allowed to frame the page.
     */
    String frameAncestorsDirective() {
        if (frameAncestors.isEmpty()) {
            return "frame-ancestors 'none'";
        }
        return "frame-ancestors " + String.join(" ", frameAncestors.stream()
                .map(a -> a.equalsIgnoreCase("self") ? "'self'" : a).toList());
    }

    private static long longValue(Settings s, String name, long defaultValue) {
        String text = s.string(name, Long.toString(defaultValue)).trim();
        try {
            long value = Long.parseLong(text);
            if (value >= 1024) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        s.problem(s.key(name) + " must be a whole number of bytes of at least 1024, not '" + text + "'");
        return defaultValue;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

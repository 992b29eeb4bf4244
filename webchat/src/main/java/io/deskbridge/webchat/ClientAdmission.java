package io.deskbridge.webchat;

import static java.util.Objects.requireNonNull;

import io.deskbridge.webchat.session.LogThrottle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may open a chat socket and who may start a new session, per client: the sockets open from each remote address
 * ({@code webchat.maxConnectionsPerAddress}) and a budget of new sessions per address and per verified user
 * ({@code webchat.newSessionsPerAddress}, {@code webchat.newSessionsPerUser}), so that one client looping over
 * connect, {@code hello}, close cannot fill {@code webchat.maxSessions} and lock every other visitor out.
 *
 * <p>An IPv6 client is counted by its /64 network, which one subscriber usually holds whole: counting single
 * addresses would give such a client 2<sup>64</sup> budgets. The tables hold an entry per client with an open socket
 * or a budget in use; {@link #prune()} (called by the server's sweep) forgets the rest, so they stay as small as the
 * set of recently active clients. Thread-safe.
 */
final class ClientAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAdmission.class);
    private static final double SECONDS_PER_MINUTE = 60.0;

    private final ClientLimits limits;
    private final java.util.Set<InetAddress> trustedProxies;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Integer> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RateLimiter> addressBudgets = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RateLimiter> userBudgets = new ConcurrentHashMap<>();
    private final LogThrottle refusedConnections = new LogThrottle(Duration.ofSeconds(10));
    private final LogThrottle refusedSessions = new LogThrottle(Duration.ofSeconds(10));
    private final LogThrottle refusedHellos = new LogThrottle(Duration.ofSeconds(10));

    ClientAdmission(ClientLimits limits, LongSupplier nanoTime) {
        this.limits = requireNonNull(limits, "limits is null");
        this.trustedProxies = limits.trustedProxies().stream().map(ClientAdmission::literal).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** The key a remote address is counted under: the IP address, or an IPv6 address's /64 network. */
    static String clientKey(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return clientKey(inet.getAddress());
        }
        return String.valueOf(remote);
    }

    /**
     * The key of the client behind a request: its TCP peer, or, when the peer is one of {@code webchat.trustedProxies},
     * the last address of {@code X-Forwarded-For} that is not a trusted proxy itself (the client as the outermost
     * trusted proxy saw it; addresses further left were written by the client and prove nothing).
     */
    String clientKey(SocketAddress remote, Optional<String> forwardedFor) {
        if (forwardedFor.isEmpty() || trustedProxies.isEmpty() || !(remote instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !trustedProxies.contains(inet.getAddress())) {
            return clientKey(remote);
        }
        String[] hops = forwardedFor.get().split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!isIpLiteral(hop)) {
                break; // malformed: the proxy's own address is all that can be believed
            }
            InetAddress address = literal(hop);
            if (!trustedProxies.contains(address)) {
                return clientKey(address);
            }
        }
        return clientKey(remote);
    }

    /** Whether {@code text} is an IPv4 or IPv6 address literal (never a host name, which would need a lookup). */
    static boolean isIpLiteral(String text) {
        String value = text.trim();
        if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : value.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return value.matches("[0-9A-Fa-f:]+(\\.[0-9.]+)?") && value.contains(":") && literal(value) != null;
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text.trim()); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static String clientKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /**
     * Counts a new socket from {@code client} in; false (counting nothing) when the client already has
     * {@code webchat.maxConnectionsPerAddress} open. Every true must be matched by one {@link #connectionClosed}.
     */
    boolean connectionOpened(String client) {
        boolean[] admitted = {false};
        connections.compute(client, (key, open) -> {
            int count = open == null ? 0 : open;
            if (count >= limits.maxConnectionsPerAddress()) {
                return open;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            long suppressed = refusedConnections.admit();
            if (suppressed >= 0) {
                LOG.warn("refused a chat socket: a client has {} open (webchat.maxConnectionsPerAddress; {} similar refusals not logged)",
                        limits.maxConnectionsPerAddress(), suppressed);
            }
        }
        return admitted[0];
    }

    /** Counts a socket of {@code client} out. */
    void connectionClosed(String client) {
        connections.computeIfPresent(client, (key, open) -> open <= 1 ? null : open - 1);
    }

    /** How many sockets {@code client} has open. */
    int openConnections(String client) {
        return connections.getOrDefault(client, 0);
    }

    /**
     * Takes one new session from the budgets of {@code client} and, when the user is verified, of that user; false
     * (taking nothing) when either is spent.
     */
    boolean admitNewSession(String client, Optional<String> verifiedUser) {
        RateLimiter byAddress = addressBudgets.computeIfAbsent(client, k -> budget(limits.newSessionsPerAddress()));
        Optional<RateLimiter> byUser = verifiedUser.map(u -> userBudgets.computeIfAbsent(u, k -> budget(limits.newSessionsPerUser())));
        boolean admitted;
        // Both budgets under one lock each, in a fixed order (address, then user), so that a refusal by the user's
        // budget does not spend the address's.
        synchronized (byAddress) {
            if (byUser.isEmpty()) {
                admitted = byAddress.tryAcquire();
            } else {
                synchronized (byUser.get()) {
                    admitted = byAddress.tryAcquire() && (byUser.get().tryAcquire() || refund(byAddress));
                }
            }
        }
        if (!admitted) {
            long suppressed = refusedSessions.admit();
            if (suppressed >= 0) {
                LOG.warn("refused a new session: a client spent its budget of new sessions (webchat.newSessionsPerAddress or"
                        + " webchat.newSessionsPerUser; {} similar refusals not logged)", suppressed);
            }
        }
        return admitted;
    }

    private static boolean refund(RateLimiter bucket) {
        bucket.take(-1);
        return false;
    }

    private RateLimiter budget(int perMinute) {
        return new RateLimiter(perMinute, perMinute / SECONDS_PER_MINUTE, nanoTime);
    }

    /**
     * Whether to log a hello refused for its user token now: the number of such lines held back since the last one,
     * or -1 to hold this one back too (a client repeating a bad token must not fill the log).
     */
    long refusedHelloLog() {
        return refusedHellos.admit();
    }

    /** Forgets the budgets that are full again (their clients are back where a stranger starts). */
    void prune() {
        addressBudgets.values().removeIf(b -> {
            synchronized (b) {
                return b.isFull();
            }
        });
        userBudgets.values().removeIf(b -> {
            synchronized (b) {
                return b.isFull();
            }
        });
    }

    /** How many clients the tables hold an entry for (for tests of their bound). */
    int trackedClients() {
        return Math.max(connections.size(), Math.max(addressBudgets.size(), userBudgets.size()));
    }
}

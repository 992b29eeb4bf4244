package io.deskbridge.webchat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load balancer in front of the web chat processes of the multi-instance tests: HAProxy from the operating
 * system's packages where it is installed ({@code .ci/run} installs it), otherwise a small TCP proxy in the test.
 * {@link Mode#STICKY} keeps every page on the first healthy process (what cookie stickiness does for one page);
 * {@link Mode#ROUND_ROBIN} sends each new connection to the next process, so a page's reconnect lands elsewhere.
 */
abstract class LoadBalancer implements AutoCloseable {

    enum Mode { STICKY, ROUND_ROBIN }

    /** The URL pages connect to. */
    abstract URI uri();

    /** What balances: "HAProxy" or "in-test TCP proxy". */
    abstract String kind();

    @Override
    public abstract void close();

    /** HAProxy when it is installed, otherwise the in-test proxy, over {@code backends} (in order of preference). */
    static LoadBalancer start(Mode mode, List<URI> backends, Path directory) {
        // -Ddeskbridge.test.loadBalancer=tcp runs the tests through the in-test proxy even where HAProxy is installed.
        Optional<Path> haproxy = "tcp".equals(System.getProperty("deskbridge.test.loadBalancer")) ? Optional.empty() : findHaproxy();
        if (haproxy.isPresent()) {
            return new HaProxy(haproxy.get(), mode, backends, directory);
        }
        return new TcpProxy(mode, backends);
    }

    static Optional<Path> findHaproxy() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "haproxy");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HAProxy in the foreground with a configuration like the one docs/deploying.md shows. */
    private static final class HaProxy extends LoadBalancer {
        private final Process process;
        private final int port;

        HaProxy(Path binary, Mode mode, List<URI> backends, Path directory) {
            this.port = freePort();
            StringBuilder config = new StringBuilder();
            config.append("global\n  maxconn 256\n")
                    .append("defaults\n  mode http\n  timeout connect 1s\n  timeout client 60s\n  timeout server 60s\n")
                    .append("  timeout tunnel 60s\n  retries 3\n  option redispatch 1\n")
                    // a process that is stopping answers the upgrade with 503: try the next one
                    .append("  retry-on conn-failure empty-response 503\n")
                    .append("frontend chat\n  bind 127.0.0.1:").append(port).append("\n  default_backend webchat\n")
                    .append("backend webchat\n  balance ").append(mode == Mode.STICKY ? "first" : "roundrobin").append("\n")
                    .append("  option httpchk GET /health\n  default-server inter 200ms fall 1 rise 2\n");
            for (int i = 0; i < backends.size(); i++) {
                config.append("  server web").append(i).append(" 127.0.0.1:").append(backends.get(i).getPort()).append(" check\n");
            }
            try {
                Path file = directory.resolve("haproxy-" + port + ".cfg");
                Files.writeString(file, config);
                this.process = new ProcessBuilder(binary.toString(), "-f", file.toString(), "-db")
                        .redirectErrorStream(true).redirectOutput(directory.resolve("haproxy-" + port + ".log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("HAProxy could not start", e);
            }
            awaitListening(port, process);
        }

        @Override
        URI uri() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }

        @Override
        String kind() {
            return "HAProxy";
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitListening(int port, Process process) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("HAProxy exited with " + process.exitValue());
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("HAProxy did not listen on " + port);
    }

    /**
     * A TCP proxy: each connection goes to the first backend that accepts (sticky) or to the next in turn that
     * accepts (round robin). It cannot read HTTP, so a stopping process's 503 reaches the page, which tries again.
     */
    private static final class TcpProxy extends LoadBalancer {
        private final ServerSocket server;
        private final List<Socket> open = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        TcpProxy(Mode mode, List<URI> backends) {
            try {
                server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        int first = mode == Mode.STICKY ? 0 : Math.floorMod(next.getAndIncrement(), backends.size());
                        Socket upstream = null;
                        for (int i = 0; i < backends.size() && upstream == null; i++) {
                            URI backend = backends.get((first + i) % backends.size());
                            Socket candidate = new Socket();
                            try {
                                candidate.connect(new InetSocketAddress("127.0.0.1", backend.getPort()), 1000);
                                upstream = candidate;
                            } catch (IOException refused) {
                                candidate.close();
                            }
                        }
                        if (upstream == null) {
                            client.close();
                            continue;
                        }
                        synchronized (open) {
                            open.add(client);
                            open.add(upstream);
                        }
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "test-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void pipe(Socket from, Socket to) {
            Thread copier = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException e) {
                        // already closed
                    }
                }
            }, "test-proxy-pipe");
            copier.setDaemon(true);
            copier.start();
        }

        @Override
        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
        }

        @Override
        String kind() {
            return "in-test TCP proxy";
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closed
            }
            synchronized (open) {
                for (Socket socket : open) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }
        }
    }
}

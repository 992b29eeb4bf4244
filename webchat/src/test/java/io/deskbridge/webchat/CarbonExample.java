package io.deskbridge.webchat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The Carbon AI Chat example ({@code webchat/examples/carbon-ai-chat}) for the browser tests: installed with npm
 * ({@code npm ci}: the real {@code @carbon/ai-chat} from the registry, or npm's cache), built with its own
 * {@code npm run build}, and served from {@code dist/} on a loopback port of its own, so that the page runs on
 * another origin than the web chat, as a host site's page does.
 */
final class CarbonExample implements AutoCloseable {
    static final Path DIRECTORY = Path.of("examples", "carbon-ai-chat");
    private static volatile boolean built;

    private final HttpServer server;

    private CarbonExample(HttpServer server) {
        this.server = server;
    }

    /**
     * Installs and builds the example once per test run; skips the calling test, saying why, when Node.js or npm is
     * missing or the packages cannot be installed (no registry and nothing in npm's cache).
     */
    static synchronized void build() throws IOException {
        if (built) {
            return;
        }
        Assumptions.assumeTrue(NodeTool.installed("node") && NodeTool.installed("npm"),
                "Carbon AI Chat tests skipped: Node.js 18+ and npm are not installed (Debian: apt-get install -y nodejs npm)");
        Map<String, String> quiet = Map.of("npm_config_fund", "false", "npm_config_audit", "false", "npm_config_update_notifier", "false");
        if (!installed()) {
            NodeTool.Result install = NodeTool.run(DIRECTORY, Duration.ofMinutes(10), quiet, "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund");
            Assumptions.assumeTrue(install.exitCode() == 0 && installed(), "Carbon AI Chat tests skipped: npm ci in " + DIRECTORY
                    + " failed (is the npm registry reachable?):\n" + tail(install.output()));
        }
        NodeTool.Result build = NodeTool.run(DIRECTORY, Duration.ofMinutes(5), quiet, "npm", "run", "build");
        if (build.exitCode() != 0 || !Files.isRegularFile(DIRECTORY.resolve("dist/index.html"))) {
            throw new AssertionError("npm run build of the Carbon AI Chat example failed:\n" + build.output());
        }
        built = true;
    }

    private static boolean installed() {
        return Files.isRegularFile(DIRECTORY.resolve("node_modules/@carbon/ai-chat/package.json"))
                && Files.isDirectory(DIRECTORY.resolve("node_modules/esbuild"));
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }

    /** Serves the built page on a free loopback port. */
    static CarbonExample serve() throws IOException {
        Path root = DIRECTORY.resolve("dist").toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String name = file.getFileName().toString();
                exchange.getResponseHeaders().set("Content-Type", name.endsWith(".html") ? "text/html; charset=utf-8"
                        : name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "application/octet-stream");
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return new CarbonExample(server);
    }

    /** The page's origin, for {@code webchat.allowedOrigins}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The page, pointed at the web chat on {@code webChatPort}. */
    URI page(int webChatPort) {
        return URI.create(origin() + "/?server=http://127.0.0.1:" + webChatPort + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

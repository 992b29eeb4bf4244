package io.deskbridge.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer sizes of the JDK's {@code java.net.http} client, which every desk's vendor sockets and REST calls use.
 * The JDK's default is 16 KiB for each of three buffers, and an idle WebSocket holds all three: its write buffer, its
 * text encoder's buffer and the read buffer its last frame came in. With one socket per chat that is about 48 KiB of
 * heap per idle chat, more than the rest of the chat together (see {@code docs/performance.md}). Vendor frames are a
 * few hundred bytes (a Genesys web messaging message frame is about 800 bytes), so a 1 KiB buffer reads one in one go;
 * a larger frame or answer (a history page) is read and written in more steps, nothing is cut. Measured with the
 * benchmark at 2,000 chats (docs/performance.md): 16, 4, 2 and 1 KiB cost the same CPU per message within the noise,
 * and hold 78, 41, 34 and 31 KiB of heap per idle chat.
 *
 * <p>The JDK reads these sizes from system properties only: {@code jdk.httpclient.bufsize} once, when the JVM first
 * uses {@code java.net.http}; the two WebSocket sizes for each socket opened. So {@code deskbridge.httpBufferSize}
 * sets them as the runtime starts, before it creates its HTTP client, and a property the JVM was started with wins
 * (its value is kept and logged). An application that used {@code java.net.http} before starting deskbridge keeps the
 * JDK's read buffer size; it can pass {@code -Djdk.httpclient.bufsize=1024} to its JVM.
 */
public final class HttpClientBuffers {
    /** The default of {@code deskbridge.httpBufferSize}, in bytes: measured, see {@code docs/performance.md}. */
    public static final int DEFAULT_BYTES = 1024;

    static final String READ = "jdk.httpclient.bufsize";
    static final String WEBSOCKET_WRITE = "jdk.httpclient.websocket.writeBufferSize";
    static final String WEBSOCKET_ENCODER = "jdk.httpclient.websocket.intermediateBufferSize";

    private static final Logger LOG = LoggerFactory.getLogger(HttpClientBuffers.class);

    private HttpClientBuffers() {}

    /**
     * Sets the three JDK properties to {@code bytes} where the JVM does not set them itself.
     *
     * @return the size in effect for each property
     */
    public static synchronized Map<String, Integer> apply(int bytes) {
        if (bytes < 512) {
            throw new IllegalArgumentException("the HTTP buffer size must be at least 512 bytes: " + bytes);
        }
        Map<String, Integer> inEffect = new LinkedHashMap<>();
        for (String property : new String[] {READ, WEBSOCKET_WRITE, WEBSOCKET_ENCODER}) {
            String given = System.getProperty(property);
            if (given == null) {
                System.setProperty(property, Integer.toString(bytes));
                inEffect.put(property, bytes);
            } else {
                int value;
                try {
                    value = Integer.parseInt(given.trim());
                } catch (NumberFormatException e) {
                    value = -1;
                }
                inEffect.put(property, value);
                if (value != bytes) {
                    LOG.info("-D{}={} is kept (deskbridge.httpBufferSize={} applies where the JVM sets no size)", property, given, bytes);
                }
            }
        }
        return inEffect;
    }
}

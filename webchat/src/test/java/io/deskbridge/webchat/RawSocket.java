package io.deskbridge.webchat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client that writes the bytes itself, for what a well-behaved client library will not send: invalid
 * UTF-8, reserved bits, compressed frames that inflate to far more than they weigh, sockets that never finish, and
 * connections from another loopback address (127.0.0.2 is another client to the server). Blocking and
 * single-threaded; every read is bounded by a timeout.
 */
final class RawSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean deflate;
    private final Random masks = new Random(7);
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    final int status;
    final String responseHead;

    private RawSocket(Socket socket, boolean deflate, int status, String responseHead) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.deflate = deflate;
        this.status = status;
        this.responseHead = responseHead;
    }

    /** A socket that is only connected: no HTTP request yet. */
    static Socket tcp(URI server, Optional<InetAddress> from) throws IOException {
        Socket socket = new Socket();
        if (from.isPresent()) {
            socket.bind(new InetSocketAddress(from.get(), 0));
        }
        socket.connect(new InetSocketAddress(server.getHost().equals("localhost") ? "127.0.0.1" : server.getHost(), server.getPort()), 5000);
        socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
        return socket;
    }

    /** Opens {@code /chat}; {@link #status} is 101 when the upgrade succeeded. */
    static RawSocket open(URI server, Optional<InetAddress> from, boolean deflate) throws IOException {
        return open(server, from, deflate, "");
    }

    /** Opens {@code /chat} with extra request header lines ({@code "Name: value\r\n"} each). */
    static RawSocket open(URI server, Optional<InetAddress> from, boolean deflate, String extraHeaders) throws IOException {
        Socket socket = tcp(server, from);
        byte[] key = new byte[16];
        new Random().nextBytes(key);
        String request = "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + extraHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        boolean negotiated = head.toLowerCase(java.util.Locale.ROOT).contains("permessage-deflate");
        if (deflate && status == 101 && !negotiated) {
            throw new IllegalStateException("the server did not accept permessage-deflate: " + head);
        }
        return new RawSocket(socket, deflate && negotiated, status, head);
    }

    static RawSocket open(URI server) throws IOException {
        return open(server, Optional.empty(), false);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), false, true);
    }

    /** A text frame compressed with permessage-deflate (RSV1 set). */
    void sendCompressedText(String text) throws IOException {
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        byte[] bytes = compressed.toByteArray();
        byte[] payload = java.util.Arrays.copyOf(bytes, bytes.length - 4); // without the 00 00 ff ff tail
        sendFrame(TEXT, payload, true, true);
    }

    void sendFrame(int opcode, byte[] payload, boolean rsv1, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        masks.nextBytes(mask);
        frame.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.write(masked);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** The next frame, or empty when the server closed the connection (or it timed out). */
    Optional<Frame> read() throws IOException {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return Optional.empty();
            }
            int b1 = readByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if ((b0 & 0x40) != 0 && deflate) {
                payload = inflate(payload);
            }
            return Optional.of(new Frame(b0 & 0x0f, payload));
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return Optional.empty();
        }
    }

    /** Reads until the server's close frame (its code) or the end of the connection (-1 when it ended without one). */
    int awaitClose() throws IOException {
        while (true) {
            Optional<Frame> frame = read();
            if (frame.isEmpty()) {
                return -1;
            }
            if (frame.get().opcode() == CLOSE) {
                return frame.get().closeCode();
            }
        }
    }

    /** Reads until a text frame containing {@code fragment}; empty if the connection ended first. */
    Optional<String> awaitText(String fragment) throws IOException {
        while (true) {
            Optional<Frame> frame = read();
            if (frame.isEmpty() || frame.get().opcode() == CLOSE) {
                return Optional.empty();
            }
            if (frame.get().opcode() == TEXT && frame.get().text().contains(fragment)) {
                return Optional.of(frame.get().text());
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private byte[] inflate(byte[] payload) throws IOException {
        byte[] input = java.util.Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xff;
        input[payload.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buffer)) > 0) {
                output.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        return output.toByteArray();
    }

    boolean isClosedByServer() {
        try {
            socket.setSoTimeout(100);
            int b = in.read();
            return b < 0;
        } catch (IOException e) {
            return e instanceof SocketTimeoutException ? false : true;
        } finally {
            try {
                socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    @Override
    public void close() {
        deflater.end();
        inflater.end();
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

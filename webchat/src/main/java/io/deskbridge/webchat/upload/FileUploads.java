package io.deskbridge.webchat.upload;

import static java.util.Objects.requireNonNull;

import io.deskbridge.spi.FileUpload;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.UploadRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files pages upload, between the {@code upload} frame and the message that sends them to the desk.
 *
 * <p>The upload step of the protocol: the chat socket's session checks a file's announced name, type and size
 * against the desk's rules, then {@linkplain #reserve reserves} it here, which checks the size cap and hands out a
 * single-use upload URL ({@code /upload/TOKEN}, 256 random bits, valid for {@link #TICKET_LIFETIME}). The page
 * {@code PUT}s the bytes there ({@link #receive}); they are written to a private temporary directory, never held in
 * memory, and must be exactly the size announced. A message then names the file by its id and the session hands the
 * desk a {@link FileUpload} that reads the stored bytes ({@link #file}). Stored files are deleted once the message
 * was delivered ({@link #release}), when the chat or session ends ({@link #releaseSession}), and at the latest
 * {@link #FILE_LIFETIME} after their upload ({@link #purgeExpired}).
 *
 * <p>Thread-safe: sessions reserve and look up on their executors, Jetty's threads receive bodies.
 */
public final class FileUploads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileUploads.class);
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    /** The path the upload URLs start with. */
    public static final String PATH_PREFIX = "/upload/";
    /** How long an upload URL may be used after {@code uploadReady}. */
    public static final Duration TICKET_LIFETIME = Duration.ofMinutes(5);
    /** How long an uploaded file waits for the message that sends it. */
    public static final Duration FILE_LIFETIME = Duration.ofMinutes(30);
    /** The most files a session may have reserved or stored and not yet sent. */
    public static final int MAX_FILES_PER_SESSION = 20;

    private final long maxBytes;
    private final Optional<Path> directory;
    private final Clock clock;
    private final SecureRandom random;
    private final ConcurrentMap<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Stored>> sessions = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();

    private FileUploads(long maxBytes, Optional<Path> directory, Clock clock, SecureRandom random) {
        this.maxBytes = maxBytes;
        this.directory = directory;
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * Uploads of at most {@code maxBytes} a file, stored in a new private temporary directory.
     *
     * @throws UncheckedIOException when the directory cannot be created
     */
    public static FileUploads open(long maxBytes, Clock clock, SecureRandom random) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive (use off() for no uploads): " + maxBytes);
        }
        try {
            return new FileUploads(maxBytes, Optional.of(Files.createTempDirectory("deskbridge-uploads-")), clock, random);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the directory for uploaded files", e);
        }
    }

    /** No uploads: every {@link #reserve} is refused with {@link UploadRefusal#FILES_NOT_ACCEPTED}. */
    public static FileUploads off() {
        return new FileUploads(0, Optional.empty(), Clock.systemUTC(), new SecureRandom());
    }

    /** Whether the server takes files at all. */
    public boolean enabled() {
        return directory.isPresent();
    }

    /** The largest file accepted, in bytes (0 when uploads are off). */
    public long maxBytes() {
        return maxBytes;
    }

    /** The outcome of {@link #reserve}. */
    public sealed interface Reservation {
        /** The page may send the bytes to {@code path} (relative to the server) before {@code expiresIn} passes. */
        record Ready(String path, Duration expiresIn) implements Reservation {}

        /** The file may not be uploaded; {@code messageToUser} says why. */
        record Refused(UploadRefusal code, String messageToUser) implements Reservation {}
    }

    /**
     * Reserves an upload for a file the desk's rules accepted: checks the size cap and the session's number of
     * files, and returns the upload URL.
     */
    public Reservation reserve(String sessionId, ClientFrame.Upload upload) {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(upload, "upload is null");
        if (!enabled()) {
            return new Reservation.Refused(UploadRefusal.FILES_NOT_ACCEPTED, "Files cannot be sent in this chat.");
        }
        if (upload.size() > maxBytes) {
            return new Reservation.Refused(UploadRefusal.FILE_TOO_LARGE,
                    upload.fileName() + " is larger than the largest file accepted (" + readableSize(maxBytes) + ").");
        }
        ConcurrentMap<String, Stored> files = sessions.computeIfAbsent(sessionId, s -> new ConcurrentHashMap<>());
        synchronized (files) {
            Stored existing = files.get(upload.fileId());
            if (existing != null && existing.isStored()) {
                return new Reservation.Refused(UploadRefusal.DUPLICATE_FILE_ID, "The file id " + upload.fileId() + " was already used.");
            }
            if (existing != null) {
                // Announced again before its bytes came (its URL expired, or the page checks it again): a new URL
                // replaces the old one.
                files.remove(upload.fileId());
                tickets.values().removeIf(t -> t.sessionId.equals(sessionId) && t.fileId.equals(upload.fileId()));
            }
            if (files.size() >= MAX_FILES_PER_SESSION) {
                return new Reservation.Refused(UploadRefusal.TOO_MANY_FILES, "Too many files are waiting to be sent ("
                        + MAX_FILES_PER_SESSION + " at most): send them or remove some first.");
            }
            String token = newToken();
            Instant now = clock.instant();
            Stored stored = new Stored(upload, now.plus(TICKET_LIFETIME));
            files.put(upload.fileId(), stored);
            tickets.put(token, new Ticket(sessionId, upload.fileId(), now.plus(TICKET_LIFETIME)));
            return new Reservation.Ready(PATH_PREFIX + token, TICKET_LIFETIME);
        }
    }

    /** The outcome of {@link #receive}: what the HTTP request is answered. */
    public sealed interface Received {
        /** The HTTP status of the answer. */
        int httpStatus();

        /** The bytes are stored under {@code fileId}. */
        record Stored(String fileId, long size) implements Received {
            @Override
            public int httpStatus() {
                return 200;
            }
        }

        /** The bytes were refused (and discarded). */
        record Refused(int httpStatus, UploadRefusal code, String messageToUser) implements Received {}
    }

    /**
     * Stores the body of an upload request.
     *
     * @param token the last segment of the upload URL
     * @param contentLength the request's {@code Content-Length}, if it sent one
     * @param body the request body, read at most to the announced size plus one byte
     */
    public Received receive(String token, OptionalLong contentLength, InputStream body) {
        requireNonNull(token, "token is null");
        requireNonNull(contentLength, "contentLength is null");
        requireNonNull(body, "body is null");
        Ticket ticket = tickets.remove(token);
        Instant now = clock.instant();
        if (ticket == null || ticket.expires.isBefore(now)) {
            return new Received.Refused(404, UploadRefusal.UPLOAD_NOT_FOUND,
                    "This upload link is unknown, expired or already used: select the file again.");
        }
        Optional<Stored> found = Optional.ofNullable(sessions.get(ticket.sessionId)).map(files -> files.get(ticket.fileId));
        if (found.isEmpty()) {
            return new Received.Refused(404, UploadRefusal.UPLOAD_NOT_FOUND, "This upload was cancelled: select the file again.");
        }
        Stored stored = found.get();
        long announced = stored.upload.size();
        if (contentLength.isEmpty()) {
            forget(ticket.sessionId, ticket.fileId, stored);
            return new Received.Refused(411, UploadRefusal.SIZE_MISMATCH, "The upload must state its length (Content-Length).");
        }
        if (contentLength.getAsLong() > maxBytes) {
            forget(ticket.sessionId, ticket.fileId, stored);
            return new Received.Refused(413, UploadRefusal.FILE_TOO_LARGE,
                    stored.upload.fileName() + " is larger than the largest file accepted (" + readableSize(maxBytes) + ").");
        }
        if (contentLength.getAsLong() != announced) {
            forget(ticket.sessionId, ticket.fileId, stored);
            return new Received.Refused(400, UploadRefusal.SIZE_MISMATCH, "The upload is " + contentLength.getAsLong()
                    + " bytes but the file was announced as " + announced + " bytes.");
        }
        Path path = directory.orElseThrow().resolve("f" + names.incrementAndGet());
        long written;
        try (OutputStream out = Files.newOutputStream(path)) {
            written = copy(body, out, announced + 1);
        } catch (IOException e) {
            delete(path);
            forget(ticket.sessionId, ticket.fileId, stored);
            LOG.info("upload of file {} failed: {}", ticket.fileId, e.toString());
            return new Received.Refused(503, UploadRefusal.STORAGE_FAILED, "The file could not be received: please try again.");
        }
        if (written != announced) {
            delete(path);
            forget(ticket.sessionId, ticket.fileId, stored);
            return new Received.Refused(400, UploadRefusal.SIZE_MISMATCH, "The upload is not the " + announced + " bytes announced.");
        }
        if (!stored.complete(path, now.plus(FILE_LIFETIME))) {
            delete(path); // the session released the file while the bytes travelled
            return new Received.Refused(404, UploadRefusal.UPLOAD_NOT_FOUND, "This upload was cancelled: select the file again.");
        }
        LOG.debug("file {} of session {} stored ({} bytes)", ticket.fileId, ticket.sessionId, written);
        return new Received.Stored(ticket.fileId, written);
    }

    /** The uploaded file {@code fileId} of the session, ready for the desk; empty when it was not (fully) uploaded. */
    public Optional<FileUpload> file(String sessionId, String fileId) {
        return Optional.ofNullable(sessions.get(sessionId)).map(files -> files.get(fileId)).flatMap(Stored::fileUpload);
    }

    /** Deletes files a delivered message carried. */
    public void release(String sessionId, Collection<String> fileIds) {
        ConcurrentMap<String, Stored> files = sessions.get(sessionId);
        if (files == null) {
            return;
        }
        for (String fileId : fileIds) {
            Stored stored = files.remove(fileId);
            if (stored != null) {
                stored.discard();
            }
        }
    }

    /** Deletes every file of a session whose chat or session ended, and voids its upload URLs. */
    public void releaseSession(String sessionId) {
        ConcurrentMap<String, Stored> files = sessions.remove(sessionId);
        if (files != null) {
            files.values().forEach(Stored::discard);
        }
        tickets.values().removeIf(t -> t.sessionId.equals(sessionId));
    }

    /** Deletes expired upload URLs and files never sent; returns how many files were deleted. */
    public int purgeExpired() {
        Instant now = clock.instant();
        tickets.values().removeIf(t -> t.expires.isBefore(now));
        int purged = 0;
        for (Map.Entry<String, ConcurrentMap<String, Stored>> session : sessions.entrySet()) {
            ConcurrentMap<String, Stored> files = session.getValue();
            for (Map.Entry<String, Stored> file : files.entrySet()) {
                if (file.getValue().expired(now) && files.remove(file.getKey(), file.getValue())) {
                    file.getValue().discard();
                    purged++;
                }
            }
            if (files.isEmpty()) {
                sessions.remove(session.getKey(), files);
            }
        }
        return purged;
    }

    /** How many files are reserved or stored, for tests and health. */
    public int size() {
        return sessions.values().stream().mapToInt(Map::size).sum();
    }

    /** Deletes every stored file and the directory. */
    @Override
    public void close() {
        tickets.clear();
        sessions.values().forEach(files -> files.values().forEach(Stored::discard));
        sessions.clear();
        directory.ifPresent(dir -> {
            try (Stream<Path> left = Files.walk(dir)) {
                left.sorted(Comparator.reverseOrder()).forEach(FileUploads::delete);
            } catch (IOException e) {
                LOG.warn("could not delete the uploads directory {}: {}", dir, e.toString());
            }
        });
    }

    private void forget(String sessionId, String fileId, Stored stored) {
        ConcurrentMap<String, Stored> files = sessions.get(sessionId);
        if (files != null) {
            files.remove(fileId, stored);
        }
        stored.discard();
    }

    private String newToken() {
        byte[] value = new byte[32];
        random.nextBytes(value);
        return TOKEN_ENCODING.encodeToString(value);
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
        }
    }

    /** {@code 10 MB}, {@code 512 KB} or {@code 100 bytes}. */
    public static String readableSize(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }

    private record Ticket(String sessionId, String fileId, Instant expires) {}

    /** One file of a session: reserved, then stored. */
    private static final class Stored {
        final ClientFrame.Upload upload;
        private Instant expires;
        private Path path;
        private boolean discarded;

        Stored(ClientFrame.Upload upload, Instant expires) {
            this.upload = upload;
            this.expires = expires;
        }

        synchronized boolean complete(Path stored, Instant newExpiry) {
            if (discarded) {
                return false;
            }
            this.path = stored;
            this.expires = newExpiry;
            return true;
        }

        synchronized boolean isStored() {
            return path != null && !discarded;
        }

        synchronized boolean expired(Instant now) {
            return expires.isBefore(now);
        }

        synchronized Optional<FileUpload> fileUpload() {
            if (path == null || discarded) {
                return Optional.empty();
            }
            Path bytes = path;
            return Optional.of(new FileUpload(upload.fileId(), upload.fileName(), upload.contentType(), upload.size(),
                    () -> Files.newInputStream(bytes)));
        }

        synchronized void discard() {
            discarded = true;
            if (path != null) {
                delete(path);
                path = null;
            }
        }
    }
}

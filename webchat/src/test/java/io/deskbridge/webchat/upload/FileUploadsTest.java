package io.deskbridge.webchat.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.FileUpload;
import io.deskbridge.webchat.protocol.ClientFrame;
import io.deskbridge.webchat.protocol.UploadRefusal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Uploaded files between the upload frame and the message")
class FileUploadsTest {
    private final MovingClock clock = new MovingClock();
    private final FileUploads uploads = FileUploads.open(1000, clock, new SecureRandom());

    @AfterEach
    void close() {
        uploads.close();
    }

    private static ClientFrame.Upload file(String id, long size) {
        return new ClientFrame.Upload(id, id + ".txt", "text/plain", size);
    }

    private String reserve(String session, String id, long size) {
        FileUploads.Reservation reservation = uploads.reserve(session, file(id, size));
        assertThat(reservation).isInstanceOf(FileUploads.Reservation.Ready.class);
        return ((FileUploads.Reservation.Ready) reservation).path().substring(FileUploads.PATH_PREFIX.length());
    }

    private FileUploads.Received put(String token, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return uploads.receive(token, OptionalLong.of(bytes.length), new ByteArrayInputStream(bytes));
    }

    private static String read(FileUpload file) throws IOException {
        try (InputStream in = file.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("stored bytes are read back as the desk's FileUpload, only by their own session, and deleted once released")
    void storeReadRelease() throws IOException {
        String token = reserve("s-1", "f-1", 5);
        assertThat(uploads.file("s-1", "f-1")).as("not uploaded yet").isEmpty();
        assertThat(put(token, "hello")).isEqualTo(new FileUploads.Received.Stored("f-1", 5));
        FileUpload stored = uploads.file("s-1", "f-1").orElseThrow();
        assertThat(stored.fileName()).isEqualTo("f-1.txt");
        assertThat(stored.contentType()).isEqualTo("text/plain");
        assertThat(stored.sizeBytes()).isEqualTo(5);
        assertThat(read(stored)).isEqualTo("hello");
        assertThat(uploads.file("s-2", "f-1")).as("another session's file").isEmpty();

        uploads.release("s-1", List.of("f-1"));
        assertThat(uploads.file("s-1", "f-1")).isEmpty();
        assertThat(uploads.size()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read(stored)).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("an upload URL expires after its lifetime, and a file never sent is purged after the file lifetime")
    void expiry() {
        String late = reserve("s-1", "f-late", 3);
        String token = reserve("s-1", "f-1", 3);
        assertThat(put(token, "abc")).isInstanceOf(FileUploads.Received.Stored.class);
        clock.advance(FileUploads.TICKET_LIFETIME.plusSeconds(1));
        assertThat(put(late, "abc")).isInstanceOf(FileUploads.Received.Refused.class)
                .extracting(r -> ((FileUploads.Received.Refused) r).code()).isEqualTo(UploadRefusal.UPLOAD_NOT_FOUND);
        uploads.purgeExpired();
        assertThat(uploads.file("s-1", "f-1")).as("stored, waiting for its message").isPresent();
        clock.advance(FileUploads.FILE_LIFETIME);
        assertThat(uploads.purgeExpired()).isEqualTo(1);
        assertThat(uploads.file("s-1", "f-1")).isEmpty();
        assertThat(uploads.size()).isZero();
    }

    @Test
    @DisplayName("the cap, the session's file count and duplicate ids are refused; announcing a file again replaces its URL")
    void refusals() {
        assertThat(uploads.reserve("s-1", file("big", 1001))).isEqualTo(new FileUploads.Reservation.Refused(UploadRefusal.FILE_TOO_LARGE,
                "big.txt is larger than the largest file accepted (1000 bytes)."));
        String first = reserve("s-1", "f-1", 3);
        String second = reserve("s-1", "f-1", 3);
        assertThat(put(first, "abc")).as("the replaced URL").isInstanceOf(FileUploads.Received.Refused.class);
        assertThat(put(second, "abc")).isInstanceOf(FileUploads.Received.Stored.class);
        assertThat(uploads.reserve("s-1", file("f-1", 3))).extracting(r -> ((FileUploads.Reservation.Refused) r).code())
                .isEqualTo(UploadRefusal.DUPLICATE_FILE_ID);
        for (int i = 2; i <= FileUploads.MAX_FILES_PER_SESSION; i++) {
            reserve("s-1", "f-" + i, 1);
        }
        assertThat(uploads.reserve("s-1", file("one-more", 1))).extracting(r -> ((FileUploads.Reservation.Refused) r).code())
                .isEqualTo(UploadRefusal.TOO_MANY_FILES);
        reserve("s-2", "f-1", 1);
        assertThat(FileUploads.off().reserve("s-1", file("f", 1))).extracting(r -> ((FileUploads.Reservation.Refused) r).code())
                .isEqualTo(UploadRefusal.FILES_NOT_ACCEPTED);
    }

    @Test
    @DisplayName("a body without a length, over the cap, shorter or longer than announced is refused and nothing is kept")
    void badBodies() {
        String token = reserve("s-1", "f-1", 3);
        FileUploads.Received noLength = uploads.receive(token, OptionalLong.empty(), new ByteArrayInputStream(new byte[3]));
        assertThat(noLength).isEqualTo(new FileUploads.Received.Refused(411, UploadRefusal.SIZE_MISMATCH,
                "The upload must state its length (Content-Length)."));
        assertThat(uploads.size()).isZero();

        token = reserve("s-1", "f-2", 3);
        assertThat(uploads.receive(token, OptionalLong.of(5000), new ByteArrayInputStream(new byte[5000])).httpStatus()).isEqualTo(413);
        token = reserve("s-1", "f-3", 3);
        assertThat(uploads.receive(token, OptionalLong.of(3), new ByteArrayInputStream(new byte[2])).httpStatus()).isEqualTo(400);
        token = reserve("s-1", "f-4", 3);
        assertThat(uploads.receive(token, OptionalLong.of(3), new ByteArrayInputStream(new byte[4])).httpStatus())
                .as("a body longer than its Content-Length").isEqualTo(400);
        assertThat(uploads.size()).isZero();
    }

    @Test
    @DisplayName("releasing a session deletes its files and voids its URLs")
    void releaseSession() {
        String stored = reserve("s-1", "f-1", 1);
        put(stored, "x");
        String pending = reserve("s-1", "f-2", 1);
        uploads.releaseSession("s-1");
        assertThat(uploads.file("s-1", "f-1")).isEmpty();
        assertThat(put(pending, "x").httpStatus()).isEqualTo(404);
        assertThat(uploads.size()).isZero();
    }

    private static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T09:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package io.deskbridge.webchat.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Finding 2 of the hostile probe: 50 sessions of 200 messages of 4,000 non-ASCII characters took 1.7 MB of heap each. */
@DisplayName("A chat's transcript")
class TranscriptTest {
    private static final String LONG_NON_ASCII = "é€😀".repeat(1334); // 4,002 code points, 12,008 UTF-8 bytes

    private static TranscriptEntry message(int i) {
        return TranscriptEntry.user("m" + i, LONG_NON_ASCII, Instant.EPOCH);
    }

    @Test
    @DisplayName("keeps at most webchat.transcriptMaxBytes of messages, dropping the oldest, and always the newest")
    void boundedPerChat() {
        TranscriptBudget budget = new TranscriptBudget(64 * 1024, 1024 * 1024);
        Transcript transcript = new Transcript(200, budget);
        for (int i = 0; i < 200; i++) {
            transcript.add(message(i));
        }
        assertThat(transcript.bytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(transcript.entries()).hasSizeLessThan(10).last().extracting(TranscriptEntry::id).isEqualTo("m199");
        assertThat(budget.used()).isEqualTo(transcript.bytes());

        Transcript huge = new Transcript(200, new TranscriptBudget(1024, 1024));
        huge.add(message(1));
        assertThat(huge.entries()).hasSize(1);
    }

    @Test
    @DisplayName("all chats together keep about webchat.transcriptTotalBytes: at most one message per chat beyond it; an ended chat gives its bytes back")
    void boundedPerProcess() {
        TranscriptBudget budget = new TranscriptBudget(256 * 1024, 1024 * 1024);
        List<Transcript> chats = new ArrayList<>();
        for (int chat = 0; chat < 50; chat++) {
            Transcript transcript = new Transcript(200, budget);
            chats.add(transcript);
            for (int i = 0; i < 200; i++) {
                transcript.add(message(i));
            }
        }
        long oneMessage = Transcript.sizeOf(message(0));
        assertThat(budget.used()).isLessThanOrEqualTo(1024 * 1024 + 50 * oneMessage);
        assertThat(budget.used()).isEqualTo(chats.stream().mapToLong(Transcript::bytes).sum());
        chats.forEach(t -> assertThat(t.entries()).isNotEmpty());

        chats.forEach(Transcript::release);
        assertThat(budget.used()).isZero();
        chats.get(0).release();
        assertThat(budget.used()).isZero();
    }
}

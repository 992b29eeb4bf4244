package io.deskbridge.webchat.session;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on transcript text: how much one chat's transcript keeps ({@code webchat.transcriptMaxBytes}) and how
 * much the whole process keeps ({@code webchat.transcriptTotalBytes}). Without it the only bound was
 * {@code maxSessions} × {@code transcriptSize} × the longest message: about 34 GB at the defaults.
 *
 * <p>A message's size is the UTF-8 length of its text, id, agent id and agent name, plus {@value #ENTRY_OVERHEAD}
 * bytes for what surrounds them: roughly what it costs on the wire and in the session store, and within a small
 * factor of its heap. A transcript over its own bound drops its oldest messages; while the process is over its total,
 * every transcript that grows drops its oldest messages until the total fits or it holds only its newest, so the total
 * can pass its bound by at most one message per chat. A transcript gives its bytes back when its chat is replaced or
 * its session ends, and, should a path forget to, when it is garbage collected. Thread-safe.
 */
public final class TranscriptBudget {
    /** The default of {@code webchat.transcriptMaxBytes}: 256 KiB. */
    public static final long DEFAULT_PER_TRANSCRIPT = 256 * 1024;
    /** The default of {@code webchat.transcriptTotalBytes}: 256 MiB. */
    public static final long DEFAULT_TOTAL = 256L * 1024 * 1024;
    /** The bytes counted per message besides its texts. */
    public static final int ENTRY_OVERHEAD = 64;

    private static final Cleaner CLEANER = Cleaner.create();

    private final long perTranscript;
    private final long total;
    private final AtomicLong used = new AtomicLong();

    public TranscriptBudget(long perTranscript, long total) {
        if (perTranscript < 1024 || total < perTranscript) {
            throw new IllegalArgumentException("perTranscript must be at least 1024 and total at least as large: " + perTranscript
                    + ", " + total);
        }
        this.perTranscript = perTranscript;
        this.total = total;
    }

    /** The documented defaults. */
    public static TranscriptBudget defaults() {
        return new TranscriptBudget(DEFAULT_PER_TRANSCRIPT, DEFAULT_TOTAL);
    }

    public long perTranscript() {
        return perTranscript;
    }

    public long total() {
        return total;
    }

    /** The bytes all live transcripts hold now. */
    public long used() {
        return used.get();
    }

    boolean overTotal() {
        return used.get() > total;
    }

    /** The bytes of one transcript, given back once (explicitly or when the transcript is collected). */
    Account open(Object owner) {
        Account account = new Account(used);
        CLEANER.register(owner, account::release);
        return account;
    }

    /** One transcript's share; holds no reference to the transcript, so that the cleaner can run. */
    static final class Account {
        private final AtomicLong used;
        private final AtomicLong held = new AtomicLong();
        private volatile boolean released;

        private Account(AtomicLong used) {
            this.used = used;
        }

        void add(long bytes) {
            if (!released) {
                held.addAndGet(bytes);
                used.addAndGet(bytes);
            }
        }

        void remove(long bytes) {
            if (!released) {
                held.addAndGet(-bytes);
                used.addAndGet(-bytes);
            }
        }

        void release() {
            released = true;
            used.addAndGet(-held.getAndSet(0));
        }
    }
}

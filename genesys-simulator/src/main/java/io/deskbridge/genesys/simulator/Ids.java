package io.deskbridge.genesys.simulator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Deterministic UUID-shaped ids: a kind in the second group and a counter in the last, so that two runs of the same
 * test see the same ids and a person reading a log can tell a conversation id from a message id.
 */
final class Ids {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    enum Kind {
        CONVERSATION(0xc0),
        MEMBER(0xa0),
        MESSAGE(0xe0),
        EVENT(0xe1),
        CORRELATION(0xcc),
        QUEUE(0x90),
        TOKEN(0x70);

        private final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    private final AtomicLong counter = new AtomicLong();

    String next(Kind kind) {
        return String.format("5e1e0000-%04x-4000-8000-%012x", kind.code, counter.incrementAndGet());
    }

    static boolean isUuid(String value) {
        return UUID.matcher(value).matches();
    }
}

package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A message from the user to the agent.
 *
 * @param id the application's id of the message; a desk posts each id at most once, however often it is sent
 * @param text the text; empty only when files are attached
 * @param files files attached to the message (needs {@link Capability#FILE_UPLOADS})
 *
 * <p><b>Length.</b> A message's length is counted in Unicode code points ({@link #length(String)}), everywhere in
 * deskbridge: the chat protocol's limit, every desk's limit and every message that states one. An emoji is one
 * character, as a user counts it, not the two UTF-16 units Java's {@code String.length()} would count.
 */
public record UserMessage(String id, String text, List<FileUpload> files) {
    public UserMessage {
        requireNonBlank(id, "id");
        requireNonNull(text, "text is null");
        files = List.copyOf(requireNonNull(files, "files is null"));
        if (text.isBlank() && files.isEmpty()) {
            throw new IllegalArgumentException("a message needs text or files");
        }
    }

    public UserMessage(String id, String text) {
        this(id, text, List.of());
    }

    /** The length of this message's text in Unicode code points (see {@link #length(String)}). */
    public int textLength() {
        return length(text);
    }

    /**
     * The length of a message text as deskbridge counts it: in Unicode code points, so that a limit of 4,000
     * characters admits 4,000 emoji as well as 4,000 letters. Every limit on message text uses this definition.
     */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

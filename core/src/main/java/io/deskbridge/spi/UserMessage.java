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
}

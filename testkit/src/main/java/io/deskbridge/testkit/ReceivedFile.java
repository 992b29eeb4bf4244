package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A file as the vendor received it from the user, read back by the agent driver ({@link AgentSideChat#userFiles()}):
 * the kit checks that the name and the bytes the user sent arrived unchanged.
 *
 * @param fileName the name the vendor shows the agent
 * @param contentType the media type the vendor recorded (vendors may normalise it), empty if it records none
 * @param content the bytes the vendor stored
 */
public record ReceivedFile(String fileName, String contentType, byte[] content) {
    public ReceivedFile {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(contentType, "contentType is null");
        content = requireNonNull(content, "content is null").clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReceivedFile file && file.fileName.equals(fileName) && file.contentType.equals(contentType)
                && Arrays.equals(file.content, content);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * fileName.hashCode() + contentType.hashCode()) + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "ReceivedFile[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
    }
}

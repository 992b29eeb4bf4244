package io.deskbridge.genesys.guestchat.wire;

import static java.util.Objects.requireNonNull;

/** The body of {@code POST …/members/{memberId}/messages}. */
public record CreateMessageRequest(String body, BodyType bodyType) {
    /** The most characters Genesys accepts in one message body. */
    public static final int MAX_BODY_CHARACTERS = 4000;

    public CreateMessageRequest {
        requireNonNull(body, "body is null");
        requireNonNull(bodyType, "bodyType is null");
    }

    public static CreateMessageRequest standard(String body) {
        return new CreateMessageRequest(body, BodyType.STANDARD);
    }
}

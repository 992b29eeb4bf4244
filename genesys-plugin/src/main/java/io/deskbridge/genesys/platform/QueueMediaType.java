package io.deskbridge.genesys.platform;

/**
 * The media type of the conversations a transport puts in the queue, so that queue figures count those and no
 * others: guest chats are Genesys's {@code chat}, web messaging conversations its {@code message}.
 */
public enum QueueMediaType {
    /** Guest chat conversations: {@code mediaType} {@code chat}, estimated-wait intent {@code CHAT}. */
    CHAT("chat", "CHAT"),
    /** Web messaging conversations: {@code mediaType} {@code message}, estimated-wait intent {@code MESSAGE}. */
    MESSAGE("message", "MESSAGE");

    private final String observationValue;
    private final String intent;

    QueueMediaType(String observationValue, String intent) {
        this.observationValue = observationValue;
        this.intent = intent;
    }

    /**
     * The value of the {@code mediaType} group of queue observations, and the {@code mediaType} path segment of the
     * queue's estimated wait.
     */
    public String observationValue() {
        return observationValue;
    }

    /** The {@code intent} of the matching estimated-wait prediction. */
    public String intent() {
        return intent;
    }
}

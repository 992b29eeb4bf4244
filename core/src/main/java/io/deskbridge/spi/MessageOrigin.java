package io.deskbridge.spi;

/** Who wrote a message the desk delivers to the user. */
public enum MessageOrigin {
    /** A human agent. */
    AGENT,
    /** A bot or flow on the vendor side (not an agent: it never counts as a join). */
    BOT,
    /** A notice from the vendor's system (for example "your chat was transferred"). */
    SYSTEM
}

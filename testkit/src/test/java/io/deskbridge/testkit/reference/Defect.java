package io.deskbridge.testkit.reference;

/** A deliberate bug the reference desk can be built with, so that the kit's tests can check the kit catches it. */
public enum Defect {
    /** A correct desk. */
    NONE,
    /** Never calls {@code agentJoined} (rule 3). */
    NEVER_JOINS,
    /** Calls {@code agentEndedChat} twice (rule 6). */
    ENDS_TWICE,
    /** Delivers every agent message twice (rule 8). */
    DUPLICATES_MESSAGES,
    /** Calls {@code agentEndedChat} a second after the user's {@code endChat} completed (rule 7). */
    CALLS_BACK_AFTER_END_CHAT,
    /** Delivers each agent message from two threads at once (rule 12). */
    CONCURRENT_CALLBACKS,
    /** Declares {@code USER_READ_RECEIPTS} without implementing {@code userReadMessages} (rule 14). */
    UNDECLARED_CAPABILITY,
    /** Leaves {@code agentTyping(true)} on through a transfer and the agent's end of the chat (rule 9). */
    TYPING_LEFT_ON,
    /** Accepts {@code userTyping} although it does not declare {@code USER_TYPING} (rule 14). */
    ACCEPTS_UNDECLARED_METHOD
}

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
    ACCEPTS_UNDECLARED_METHOD,
    /** Delivers each batch of agent messages the vendor pushed at once sorted by message id as text, {@code -10} before {@code -2} (rule 8). */
    SORTS_BATCH_BY_TEXT,
    /** After a lost connection, resumes one event early and forgets what it delivered: the last agent message comes twice (rules 10 and 8). */
    REDELIVERS_AFTER_DROP,
    /** Keeps every delivered message id in its persisted state, which grows with the chat (rule 13). */
    PERSISTED_STATE_GROWS,
    /** Catches up after an outage newest first, so only the last message of the outage arrives (rule 10). */
    OUTAGE_NEWEST_ONLY,
    /** Sends a message with files without its files (rule 14, FILE_UPLOADS). */
    DROPS_ATTACHMENTS,
    /** {@code updateState} completes and does nothing (rule 14, UPDATE_STATE). */
    IGNORES_UPDATE_STATE,
    /** Does not report a file the vendor refuses when it is selected (rule 14, FILE_UPLOADS). */
    NO_CHECK_ON_SELECTION,
    /** Passes on the vendor's queue updates after the agent joined (rule 3). */
    QUEUE_AFTER_JOIN,
    /** Puts its secret setting {@code reference.vendorPassphrase} into the persisted state (rule 13). */
    PERSISTS_SECRET,
    /** {@code detach} completes but keeps the vendor subscription: agent activity still reaches the callback (rule 7). */
    CALLS_BACK_AFTER_DETACH,
    /** {@code detach} ends the chat at the vendor as {@code endChat} does, so no other process can resume it (rule 14, RECONNECT). */
    DETACH_ENDS_CHAT,
    /** Remembers a message id as sent before the vendor accepted it, so the retry of a failed message does nothing (rule 11). */
    RETRY_OF_FAILED_MESSAGE_DROPPED,
    /** Completes {@code sendMessageToAgent} while the connection is down but never sends the message (rule 10). */
    LOSES_MESSAGES_IN_OUTAGE,
    /** Announces every capability with {@code updateCapabilities} when an agent joins, more than it declares (rule 14). */
    ANNOUNCES_UNDECLARED_CAPABILITY,
    /** Posts each user message on its own, the longer later, so messages sent without waiting overtake each other. */
    SENDS_IN_PARALLEL,
    /** Posts a message sent while the user waits for an agent, but its stage never completes (rule 11). */
    SEND_HANGS_WHILE_WAITING,
    /** Starts a periodic keep-alive with each chat and never stops it: every ended chat leaves a timer behind (rule 7). */
    KEEP_ALIVE_OUTLIVES_CHAT,
    /** Catches up after an outage with the agent's messages only: a join, transfer, leave or end during it is lost (rule 10). */
    CATCHES_UP_MESSAGES_ONLY
}

package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** One event of a conversation's stream (see {@link TemplateVendorClient#connect}). */
public sealed interface VendorEvent {

    /** The customer's place in the queue changed. */
    record QueueUpdated(OptionalInt position, Optional<Duration> estimatedWait) implements VendorEvent {
        public QueueUpdated {
            requireNonNull(position, "position is null");
            requireNonNull(estimatedWait, "estimatedWait is null");
        }
    }

    /** A participant joined: the first agent, or the next one after a transfer. */
    record ParticipantJoined(VendorParticipant participant) implements VendorEvent {
        public ParticipantJoined {
            requireNonNull(participant, "participant is null");
        }
    }

    /** The agent in the conversation handed it to another agent (who is known, or not yet). */
    record TransferStarted(Optional<VendorParticipant> to) implements VendorEvent {
        public TransferStarted {
            requireNonNull(to, "to is null");
        }
    }

    /** A participant left the conversation; the conversation goes on. */
    record ParticipantLeft(VendorParticipant participant) implements VendorEvent {
        public ParticipantLeft {
            requireNonNull(participant, "participant is null");
        }
    }

    /** A participant is typing now. There is no "stopped typing": the indication lapses. */
    record Typing(VendorParticipant participant) implements VendorEvent {
        public Typing {
            requireNonNull(participant, "participant is null");
        }
    }

    /** A participant read the conversation's messages. */
    record Read(VendorParticipant participant) implements VendorEvent {
        public Read {
            requireNonNull(participant, "participant is null");
        }
    }

    /** A message was posted (the customer's own messages are echoed too). */
    record MessagePosted(VendorMessage message) implements VendorEvent {
        public MessagePosted {
            requireNonNull(message, "message is null");
        }
    }

    /** The conversation ended, by an agent or by the vendor. */
    record ConversationEnded() implements VendorEvent {}

    /** The stream dropped; the client is reconnecting. */
    record ConnectionLost(String reason) implements VendorEvent {
        public ConnectionLost {
            requireNonNull(reason, "reason is null");
        }
    }

    /** The stream is back; events of the gap were not replayed. */
    record ConnectionRestored() implements VendorEvent {}
}

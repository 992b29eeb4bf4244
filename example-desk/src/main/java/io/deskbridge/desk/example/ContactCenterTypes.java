package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a desk and the agents exchange with the {@link ExampleContactCenter}: its agents, chat requests, files,
 * connections and refusals. {@code ExampleContactCenter} implements this interface, so the types read as
 * {@code ExampleContactCenter.Agent} and so on where they are used.
 */
public interface ContactCenterTypes {

    /**
     * An agent of the contact center.
     *
     * @param id the contact center's stable id of the agent
     * @param name the name users see
     * @param avatar a picture of the agent
     */
    record Agent(String id, String name, Optional<URI> avatar) {
        public Agent {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(avatar, "avatar is null");
        }
    }

    /**
     * What a desk sends to open a chat.
     *
     * @param firstMessage the user's first message for the agent (the bot's hand-over summary)
     * @param userName the name the agent sees
     * @param attributes routing hints and data for the agent
     */
    record ChatRequest(Optional<String> firstMessage, Optional<String> userName, Map<String, String> attributes) {
        public ChatRequest {
            requireNonNull(firstMessage, "firstMessage is null");
            requireNonNull(userName, "userName is null");
            attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
        }
    }

    /**
     * A file the user sent with a message.
     *
     * @param fileName the name of the user's file
     * @param contentType its media type
     * @param content its bytes
     */
    record Attachment(String fileName, String contentType, byte[] content) {
        public Attachment {
            requireNonNull(fileName, "fileName is null");
            requireNonNull(contentType, "contentType is null");
            content = requireNonNull(content, "content is null").clone();
        }

        /** A copy of the bytes. */
        @Override
        public byte[] content() {
            return content.clone();
        }

        /** The size in bytes. */
        public int size() {
            return content.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Attachment a && a.fileName.equals(fileName) && a.contentType.equals(contentType)
                    && java.util.Arrays.equals(a.content, content);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(fileName, contentType, java.util.Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Attachment[" + fileName + ", " + contentType + ", " + content.length + " bytes]";
        }
    }

    /**
     * A connection to a chat's event stream is open.
     *
     * @param chatId the contact center's id of the chat
     * @param missed the durable events after the sequence number the desk connected from, in order
     * @param agent the agent in the chat as of that sequence number (before the missed events)
     * @param agentJoined whether any agent had joined as of that sequence number
     * @param ended whether the agent ended the chat (its {@link ContactCenterEvent.ChatEnded} is in the history)
     */
    record Opened(String chatId, List<ContactCenterEvent> missed, Optional<Agent> agent, boolean agentJoined, boolean ended) {
        public Opened {
            requireNonNull(chatId, "chatId is null");
            missed = List.copyOf(requireNonNull(missed, "missed is null"));
            requireNonNull(agent, "agent is null");
        }
    }

    /** Why a connection to a chat closed, or could not open. */
    enum CloseReason {
        /** {@link ExampleContactCenter#openChat}: the contact center refused the new chat (no agents, or an outage). */
        REFUSED,
        /** The connection was lost; the chat goes on and can be connected to again later. */
        DROPPED,
        /** {@link ExampleContactCenter#connect}: the contact center does not accept connections to this chat right now; try again later. */
        UNAVAILABLE,
        /** Another connection to the same chat replaced this one (a new desk instance resumed the chat). */
        SUPERSEDED,
        /** {@link ExampleContactCenter#connect}: the contact center knows no chat with this id. */
        UNKNOWN_CHAT,
        /** {@link ExampleContactCenter#connect}: the user ended the chat. */
        ENDED
    }

    /**
     * A desk's connection to one chat. The contact center calls it on the chat's lane, one call at a time: first
     * {@link #onOpened} or {@link #onClosed}; after {@code onOpened}, {@link #onEvent} for each event until
     * {@link #onClosed} or until the desk {@linkplain ExampleContactCenter#disconnect disconnects}.
     */
    interface Listener {
        void onOpened(Opened opened);

        void onEvent(ContactCenterEvent event);

        void onClosed(CloseReason reason, String detail);
    }

    /** The agents' console: what agents (the simulated agent, a test) hear about chats. Called on the chat's lane. */
    interface ConsoleListener {
        /** A user opened a chat; it waits in the queue. */
        default void chatOpened(String chatId) {}

        /** A user sent a message (the first message of a chat is reported by {@link #chatOpened} only). */
        default void userMessage(String chatId, String text) {}

        /** A user sent files, with the message just reported through {@link #userMessage} if it had text. */
        default void userFiles(String chatId, List<Attachment> files) {}

        /** The user ended the chat. */
        default void chatEndedByUser(String chatId) {}
    }

    /** A request of the user side the contact center refused. */
    final class RequestRefused extends RuntimeException {
        /** Why a request was refused. */
        enum Reason {
            /** The contact center could not serve the request now; a retry may work. */
            UNAVAILABLE,
            /** The request is not acceptable (too long, for example); a retry will not work. */
            REJECTED,
            /** The chat does not exist. */
            UNKNOWN_CHAT,
            /** The chat is over. */
            CHAT_ENDED
        }

        private final Reason reason;

        public RequestRefused(Reason reason, String message) {
            super(message);
            this.reason = requireNonNull(reason, "reason is null");
        }

        public Reason reason() {
            return reason;
        }
    }
}

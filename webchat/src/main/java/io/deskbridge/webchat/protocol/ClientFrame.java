package io.deskbridge.webchat.protocol;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A validated frame from the browser on the chat socket. {@link ClientFrameParser} is the only way to get one from
 * text: every field here has been checked for presence, type and size.
 */
public sealed interface ClientFrame {

    /** The frame's {@code type} as written on the wire. */
    String type();

    /**
     * The first frame of every connection.
     *
     * @param resumeToken the token of an earlier {@code welcome}, to resume that browser session
     * @param authToken the host site's signed token for the user (required when the server authenticates users)
     * @param user what the page knows about the user; not verified
     */
    record Hello(Optional<String> resumeToken, Optional<String> authToken, Optional<UserInfo> user) implements ClientFrame {
        public Hello {
            requireNonNull(resumeToken, "resumeToken is null");
            requireNonNull(authToken, "authToken is null");
            requireNonNull(user, "user is null");
        }

        @Override
        public String type() {
            return "hello";
        }
    }

    /**
     * The unverified user details of {@code hello}.
     *
     * @param id the page's id of the user
     * @param name the name the user gave
     * @param locale a BCP 47 language tag
     */
    record UserInfo(Optional<String> id, Optional<String> name, Optional<String> locale) {
        public UserInfo {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(locale, "locale is null");
        }
    }

    /** Asks whether agents are online. */
    record AgentsOnline() implements ClientFrame {
        @Override
        public String type() {
            return "agentsOnline";
        }
    }

    /**
     * Asks for an agent.
     *
     * @param topic what the chat is about
     * @param messageToAgent the summary the agent sees first
     */
    record StartChat(Optional<String> topic, Optional<String> messageToAgent) implements ClientFrame {
        public StartChat {
            requireNonNull(topic, "topic is null");
            requireNonNull(messageToAgent, "messageToAgent is null");
        }

        @Override
        public String type() {
            return "startChat";
        }
    }

    /**
     * A user message. Sending the same id again retries it; it is never posted twice.
     *
     * @param id the page's id of the message
     * @param text the text, not blank
     */
    record Message(String id, String text) implements ClientFrame {
        public Message {
            requireNonNull(id, "id is null");
            requireNonNull(text, "text is null");
        }

        @Override
        public String type() {
            return "message";
        }
    }

    /** The user started or stopped typing. */
    record Typing(boolean isTyping) implements ClientFrame {
        @Override
        public String type() {
            return "typing";
        }
    }

    /** The user has read the agent's messages. */
    record Read() implements ClientFrame {
        @Override
        public String type() {
            return "read";
        }
    }

    /** The user ends the chat. */
    record EndChat() implements ClientFrame {
        @Override
        public String type() {
            return "endChat";
        }
    }
}

package io.deskbridge.webchat.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;
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
     * @param text the text, not blank unless files are attached
     * @param files the ids of files uploaded in this chat (see {@link Upload}) sent with the message
     */
    record Message(String id, String text, List<String> files) implements ClientFrame {
        public Message {
            requireNonNull(id, "id is null");
            requireNonNull(text, "text is null");
            files = List.copyOf(requireNonNull(files, "files is null"));
        }

        /** A message with text only. */
        public Message(String id, String text) {
            this(id, text, List.of());
        }

        @Override
        public String type() {
            return "message";
        }
    }

    /**
     * Asks to upload a file: the server checks it against its size cap and the desk's rules before any byte travels,
     * and answers {@code uploadReady} (with the URL the bytes go to, over HTTP) or {@code uploadRefused}.
     *
     * @param fileId the page's id of the file, unique in the chat
     * @param fileName the name of the user's file
     * @param contentType its media type, such as {@code image/png}
     * @param size its size in bytes
     */
    record Upload(String fileId, String fileName, String contentType, long size) implements ClientFrame {
        public Upload {
            requireNonNull(fileId, "fileId is null");
            requireNonNull(fileName, "fileName is null");
            requireNonNull(contentType, "contentType is null");
            if (size < 0) {
                throw new IllegalArgumentException("size is negative: " + size);
            }
        }

        @Override
        public String type() {
            return "upload";
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

package io.deskbridge.webchat.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.spi.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the text of a client frame into a {@link ClientFrame}, or refuses it with a {@link ProtocolException} that
 * names the problem. Every field is checked: presence, JSON type, length. Fields the parser does not know are
 * ignored, so a newer page can talk to an older server. Thread-safe.
 */
public final class ClientFrameParser {

    /** The longest message id, resume token or user field. */
    public static final int MAX_ID_LENGTH = 200;
    /** The longest user token. */
    public static final int MAX_AUTH_TOKEN_LENGTH = 16 * 1024;

    /** The most files one message may carry. */
    public static final int MAX_FILES_PER_MESSAGE = 10;
    /** The longest file name of an upload. */
    public static final int MAX_FILE_NAME_LENGTH = 255;

    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    /** {@code type/subtype} as RFC 6838 allows them, without parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private final ObjectMapper json;
    private final int maxFrameBytes;
    private final int maxTextLength;

    /**
     * @param maxFrameBytes the largest frame accepted, in UTF-8 bytes
     * @param maxTextLength the longest message text, in characters (Unicode code points)
     */
    public ClientFrameParser(int maxFrameBytes, int maxTextLength) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxTextLength = maxTextLength;
        this.json = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The largest frame accepted, in UTF-8 bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Parses and validates one frame. */
    public ClientFrame parse(String text) throws ProtocolException {
        long bytes = utf8Length(text);
        if (bytes > maxFrameBytes) {
            throw new ProtocolException(BadRequest.FRAME_TOO_LARGE,
                    "The frame is " + bytes + " bytes; the largest accepted is " + maxFrameBytes + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(BadRequest.MALFORMED_JSON, "The frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(BadRequest.MALFORMED_JSON, "A frame must be one JSON object with a \"type\" field");
        }
        JsonNode type = root.get("type");
        if (type == null || type.isNull()) {
            throw new ProtocolException(BadRequest.UNKNOWN_TYPE, "The frame has no \"type\" field");
        }
        if (!type.isTextual()) {
            throw new ProtocolException(BadRequest.UNKNOWN_TYPE, "The field \"type\" must be a string, not " + describe(type));
        }
        switch (type.asText()) {
            case "hello":
                return hello(root);
            case "agentsOnline":
                return new ClientFrame.AgentsOnline();
            case "startChat":
                return new ClientFrame.StartChat(
                        optionalString(root, "topic", MAX_ID_LENGTH, "startChat"),
                        optionalString(root, "messageToAgent", maxTextLength, "startChat"));
            case "message":
                return message(root);
            case "upload":
                return upload(root);
            case "typing":
                return new ClientFrame.Typing(requiredBoolean(root, "isTyping", "typing"));
            case "read":
                return new ClientFrame.Read();
            case "endChat":
                return new ClientFrame.EndChat();
            default:
                throw new ProtocolException(BadRequest.UNKNOWN_TYPE, "Unknown frame type \"" + truncate(type.asText())
                        + "\" (expected hello, agentsOnline, startChat, message, upload, typing, read or endChat)");
        }
    }

    private ClientFrame hello(JsonNode root) throws ProtocolException {
        Optional<String> resumeToken = optionalString(root, "resumeToken", MAX_ID_LENGTH, "hello");
        Optional<String> authToken = optionalString(root, "authToken", MAX_AUTH_TOKEN_LENGTH, "hello");
        Optional<ClientFrame.UserInfo> user = Optional.empty();
        JsonNode userNode = root.get("user");
        if (userNode != null && !userNode.isNull()) {
            if (!userNode.isObject()) {
                throw new ProtocolException(BadRequest.INVALID_FIELD, "hello.user must be an object, not " + describe(userNode));
            }
            Optional<String> locale = optionalString(userNode, "locale", 35, "hello.user");
            if (locale.isPresent() && !LOCALE.matcher(locale.get()).matches()) {
                throw new ProtocolException(BadRequest.INVALID_FIELD,
                        "hello.user.locale must be a language tag such as en-GB, not \"" + truncate(locale.get()) + "\"");
            }
            user = Optional.of(new ClientFrame.UserInfo(
                    optionalString(userNode, "id", MAX_ID_LENGTH, "hello.user"),
                    optionalString(userNode, "name", MAX_ID_LENGTH, "hello.user"),
                    locale));
        }
        return new ClientFrame.Hello(resumeToken, authToken, user);
    }

    private ClientFrame message(JsonNode root) throws ProtocolException {
        String id = requiredString(root, "id", "message");
        if (id.length() > MAX_ID_LENGTH) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "message.id is longer than " + MAX_ID_LENGTH + " characters");
        }
        Optional<String> messageId = Optional.of(id);
        JsonNode textNode = root.get("text");
        if (textNode == null || textNode.isNull()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "message.text is required", messageId);
        }
        if (!textNode.isTextual()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "message.text must be a string, not " + describe(textNode), messageId);
        }
        String text = textNode.asText();
        List<String> files = files(root, messageId);
        if (text.isBlank() && files.isEmpty()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "message.text is empty", messageId);
        }
        int length = UserMessage.length(text);
        if (length > maxTextLength) {
            throw new ProtocolException(BadRequest.TEXT_TOO_LONG,
                    "The message is " + length + " characters long; the longest accepted is " + maxTextLength, messageId);
        }
        return new ClientFrame.Message(id, text, files);
    }

    /** {@code message.files}: absent, or an array of distinct file ids. */
    private static List<String> files(JsonNode root, Optional<String> messageId) throws ProtocolException {
        JsonNode node = root.get("files");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "message.files must be an array of file ids, not " + describe(node), messageId);
        }
        if (node.size() > MAX_FILES_PER_MESSAGE) {
            throw new ProtocolException(BadRequest.INVALID_FIELD,
                    "message.files holds " + node.size() + " files; a message may carry at most " + MAX_FILES_PER_MESSAGE, messageId);
        }
        List<String> files = new ArrayList<>();
        for (JsonNode file : node) {
            if (!file.isTextual() || file.asText().isBlank() || file.asText().length() > MAX_ID_LENGTH) {
                throw new ProtocolException(BadRequest.INVALID_FIELD,
                        "message.files must hold file ids (strings of 1 to " + MAX_ID_LENGTH + " characters)", messageId);
            }
            if (files.contains(file.asText())) {
                throw new ProtocolException(BadRequest.INVALID_FIELD, "message.files names " + truncate(file.asText()) + " twice", messageId);
            }
            files.add(file.asText());
        }
        return files;
    }

    private ClientFrame upload(JsonNode root) throws ProtocolException {
        String fileId = requiredString(root, "fileId", "upload");
        if (fileId.length() > MAX_ID_LENGTH) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "upload.fileId is longer than " + MAX_ID_LENGTH + " characters");
        }
        String fileName = requiredString(root, "fileName", "upload");
        if (fileName.length() > MAX_FILE_NAME_LENGTH) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "upload.fileName is longer than " + MAX_FILE_NAME_LENGTH + " characters");
        }
        if (fileName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "upload.fileName holds control characters");
        }
        String contentType = requiredString(root, "contentType", "upload");
        if (!MEDIA_TYPE.matcher(contentType).matches()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD,
                    "upload.contentType must be a media type such as image/png, not \"" + truncate(contentType) + "\"");
        }
        JsonNode size = root.get("size");
        if (size == null || size.isNull()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "upload.size is required");
        }
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, "upload.size must be a whole number of bytes, 0 or more");
        }
        return new ClientFrame.Upload(fileId, fileName, contentType.toLowerCase(java.util.Locale.ROOT), size.asLong());
    }

    private static String requiredString(JsonNode node, String field, String where) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " is required");
        }
        if (!value.isTextual()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " must be a string, not " + describe(value));
        }
        if (value.asText().isBlank()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " is empty");
        }
        return value.asText();
    }

    private static Optional<String> optionalString(JsonNode node, String field, int maxLength, String where) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " must be a string, not " + describe(value));
        }
        String text = value.asText();
        if (text.length() > maxLength) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " is longer than " + maxLength + " characters");
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static boolean requiredBoolean(JsonNode node, String field, String where) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " is required");
        }
        if (!value.isBoolean()) {
            throw new ProtocolException(BadRequest.INVALID_FIELD, where + "." + field + " must be true or false, not " + describe(value));
        }
        return value.booleanValue();
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    private static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** The UTF-8 length of {@code text}, without encoding it. */
    public static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

package io.deskbridge.webchat;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.deskbridge.core.ChatLogContext;

/**
 * {@code %chat} in a Logback pattern: {@code chat=<id> } for a line a chat caused (the id from the MDC, see
 * {@link ChatLogContext}), nothing for other lines, and nothing when the message already names the chat in the same
 * form ({@code chat=<id>}, as deskbridge's own lines do), so every line shows the chat once, in one format, whichever
 * module or library wrote it.
 */
public final class ChatIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        String chatId = event.getMDCPropertyMap().get(ChatLogContext.MDC_KEY);
        if (chatId == null) {
            return "";
        }
        String tag = "chat=" + chatId;
        String message = event.getFormattedMessage();
        return message != null && names(message, tag) ? "" : tag + " ";
    }

    /** Whether {@code message} holds {@code tag} as a whole word ({@code chat=c-1} is not in {@code chat=c-10}). */
    private static boolean names(String message, String tag) {
        for (int at = message.indexOf(tag); at >= 0; at = message.indexOf(tag, at + 1)) {
            int end = at + tag.length();
            if (end == message.length() || !isIdCharacter(message.charAt(end))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdCharacter(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }
}

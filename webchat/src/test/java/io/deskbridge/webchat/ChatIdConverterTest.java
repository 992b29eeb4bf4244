package io.deskbridge.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("%chat in the log pattern")
class ChatIdConverterTest {
    private final ChatIdConverter converter = new ChatIdConverter();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(Map<String, String> mdc, String message, Object... args) {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("test"), Level.INFO, message, null, args);
        event.setMDCPropertyMap(mdc);
        return event;
    }

    @Test
    @DisplayName("prints chat=<id> from the MDC on a line a chat caused, once: not when the message names the chat itself, nothing without one")
    void oncePerLine() {
        assertThat(converter.convert(event(Map.of("chat", "chat-1"), "the web messaging socket {}", "failed"))).isEqualTo("chat=chat-1 ");
        assertThat(converter.convert(event(Map.of("chat", "chat-1"), "chat={} ended by the agent", "chat-1"))).isEmpty();
        assertThat(converter.convert(event(Map.of("chat", "chat-1"), "session={} chat={} started", "s-1", "chat-1"))).isEmpty();
        assertThat(converter.convert(event(Map.of(), "web chat stopped"))).isEmpty();
        // another chat named in the message does not hide the one whose thread logged it
        assertThat(converter.convert(event(Map.of("chat", "chat-1"), "chat={} was replaced", "chat-2"))).isEqualTo("chat=chat-1 ");
        assertThat(converter.convert(event(Map.of("chat", "chat-1"), "chat={} started", "chat-10"))).isEqualTo("chat=chat-1 ");
    }
}

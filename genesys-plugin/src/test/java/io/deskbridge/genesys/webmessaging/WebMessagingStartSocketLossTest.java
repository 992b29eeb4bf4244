package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A start whose socket goes away after the session was configured, before Genesys confirmed the first message. */
class WebMessagingStartSocketLossTest {
    private WebMessagingHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    @DisplayName("The socket lost before the first message's echo: startChat fails at once with Connecting, instead of never completing")
    void socketLostBeforeTheFirstMessageIsConfirmed() {
        harness = WebMessagingHarness.start();
        AtomicBoolean dropped = new AtomicBoolean();
        // The simulator records the first message, then the connection resets before its echo leaves.
        harness.simulator.addInboundListener((session, message) -> {
            if (dropped.compareAndSet(false, true)) {
                session.dropConnection();
            }
        });
        var chat = harness.newChat();
        long before = System.nanoTime();
        Throwable failure = awaitFailure(chat.desk().startChat(ConnectRequest.of("billing", "The user asks about an invoice"),
                StartChatOptions.none()));
        assertThat(dropped).isTrue();
        assertThat(failure).isInstanceOf(ServiceDeskException.class);
        assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_UNAVAILABLE);
        // Long before the send timeout (8 s): nothing waited for an answer that could not come.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - before)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                .hasOnlyElementsOfType(ErrorInfo.Connecting.class).hasSize(1);
    }
}

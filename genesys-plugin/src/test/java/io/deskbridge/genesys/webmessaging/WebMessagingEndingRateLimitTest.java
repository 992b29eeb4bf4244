package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.UserMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The user's end when Genesys asks to slow down ({@code TooManyRequestsErrorMessage}, 429 / 4029 with
 * {@code retryAfter}): the end waits as a user message does, within the send timeout, and never hangs.
 */
class WebMessagingEndingRateLimitTest {
    private WebMessagingHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private List<JsonNode> onMessages(String marker) {
        return harness.simulator.receivedFrames().stream()
                .filter(f -> f.path("action").asText().equals("onMessage") && f.path("message").toString().contains(marker))
                .toList();
    }

    @Test
    @DisplayName("A 4029 on Presence Clear: Clear is sent again after retryAfter and clears the conversation (no closing message instead)")
    void clearRetriedAfterRetryAfter() {
        harness = WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withClearEnabled(true));
        var chat = harness.joined();
        chat.session().rateLimitNext(1);
        long before = System.nanoTime();
        await(chat.desk().endChat(EndChatInfo.none()));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(chat.session().endedByUser()).isTrue();
        assertThat(onMessages("\"Clear\"")).hasSize(2);
        assertThat(chat.session().userTexts()).doesNotContain("The customer has left the chat.");
    }

    @Test
    @DisplayName("A 4029 on the closing message: it is sent again after retryAfter and reaches the agent once")
    void closingMessageRetriedAfterRetryAfter() {
        harness = WebMessagingHarness.start();
        var chat = harness.joined();
        chat.session().rateLimitNext(1);
        long before = System.nanoTime();
        await(chat.desk().endChat(EndChatInfo.none()));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(chat.session().userTexts()).filteredOn("The customer has left the chat."::equals).hasSize(1);
        assertThat(onMessages("The customer has left the chat.")).hasSize(2);
        awaitTrue(() -> chat.session().openConnections() == 0, "no socket left open");
    }

    @Test
    @DisplayName("The end is paced behind the user's messages: with genesys.webMessagingOutboundRate=1, Clear waits its turn and is never refused")
    void endPacedBehindTheUsersMessages() {
        harness = new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withClearEnabled(true),
                Map.of("genesys.webMessagingOutboundRate", "1"), Optional.empty());
        var chat = harness.joined();
        await(chat.desk().sendMessageToAgent(new UserMessage("u-1", "one more thing")));
        long sent = System.nanoTime();
        await(chat.desk().endChat(EndChatInfo.none()));
        // The message took the bucket's only token: the Clear leaves a second later, not at once.
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(onMessages("\"Clear\"")).hasSize(1);
        assertThat(chat.session().endedByUser()).isTrue();
    }

    @Test
    @DisplayName("A retryAfter beyond the send timeout: the end gives up at once, says why in the log, and still ends the chat here")
    void budgetSpent() {
        harness = new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withClearEnabled(true),
                Map.of("genesys.webMessagingSendTimeout", "2s"), Optional.empty());
        var chat = harness.joined();
        chat.session().rateLimitNext(30);
        String log = capturingStandardError(() -> {
            long before = System.nanoTime();
            await(chat.desk().endChat(EndChatInfo.none()));
            // Well below retryAfter: the end does not wait out what it cannot use.
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        });
        assertThat(onMessages("\"Clear\"")).hasSize(1);
        assertThat(chat.session().endedByUser()).isFalse();
        awaitTrue(() -> chat.session().openConnections() == 0, "no socket left open");
        assertThat(log).contains("could not tell Genesys that the user ended the chat")
                .contains("Genesys asked to wait").contains("past the end's budget");
        // The chat is over here all the same: nothing more is sent for it.
        CompletionStage<Void> late = chat.desk().sendMessageToAgent(new UserMessage("late", "after the end"));
        assertThat(late.toCompletableFuture()).failsWithin(WebMessagingHarness.WAIT);
    }

    /** What the code under test writes to standard error (slf4j-simple's output) while {@code action} runs. */
    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }
}

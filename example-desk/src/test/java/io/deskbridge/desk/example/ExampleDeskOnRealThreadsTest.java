package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.ChatStatus;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.CallbackMatchers;
import io.deskbridge.testkit.RecordingCallback;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Many chats at once on the real, multi-threaded shared pools, with short delays: each chat's callbacks still arrive
 * one at a time and in a lawful order. Waits are bounded; nothing sleeps.
 */
@DisplayName("The example desk on real threads")
class ExampleDeskOnRealThreadsTest {

    private static final int CHATS = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    @DisplayName("50 simultaneous chats each get the whole script, serially, with no rule broken")
    void manyChatsAtOnce() throws Exception {
        Configuration configuration = Configuration.of(Map.ofEntries(
                Map.entry("desk", "example"),
                Map.entry("deskbridge.schedulerThreads", "4"),
                Map.entry("deskbridge.workerThreads", "4"),
                Map.entry("example.joinDelay", "30ms"),
                Map.entry("example.queueUpdateInterval", "10ms"),
                Map.entry("example.readDelay", "5ms"),
                Map.entry("example.typingPause", "10ms")));
        try (Deskbridge deskbridge = Deskbridge.builder()
                .configuration(configuration)
                .providers(ServiceDeskProviders.of(List.of(new ExampleServiceDeskProvider())))
                .build()) {
            Clock clock = deskbridge.getInstance(Clock.class);
            List<RecordingCallback> recordings = new ArrayList<>();
            List<ChatSession> sessions = new ArrayList<>();
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < CHATS; i++) {
                RecordingCallback recording = new RecordingCallback(clock, Duration.ofSeconds(30));
                recording.chatStarting();
                ChatSession session = deskbridge.openChat("load-" + i, recording);
                starts.add(session.startChat(ConnectRequest.empty(), StartChatOptions.none())
                        .whenComplete((ok, failure) -> recording.chatStarted()).toCompletableFuture());
                recordings.add(recording);
                sessions.add(session);
            }
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            for (int i = 0; i < CHATS; i++) {
                RecordingCallback recording = recordings.get(i);
                recording.awaitEvent(CallbackMatchers.messageWithText(SimulatedAgent.instructions(SimulatedAgent.FIRST)),
                        "the instructions in chat " + i, TIMEOUT);
                sessions.get(i).sendMessageToAgent(new UserMessage("bye-" + i, "end chat")).toCompletableFuture()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (int i = 0; i < CHATS; i++) {
                recordings.get(i).awaitEvent(CallbackMatchers.agentEnded(), "agentEndedChat in chat " + i, TIMEOUT);
            }

            for (int i = 0; i < CHATS; i++) {
                assertThat(recordings.get(i).violations()).as("violations in chat %d", i).isEmpty();
                assertThat(sessions.get(i).status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
                assertThat(recordings.get(i).count(CallbackMatchers.anyMessage())).as("messages in chat %d", i).isEqualTo(3);
            }
        }
    }
}

package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.RecordingCallback;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the example desk does beyond the conformance kit's rules, with the simulated agent off and the test playing
 * the agent through the contact center, on virtual time.
 */
@DisplayName("The example desk")
class ExampleServiceDeskTest {

    private final VirtualRuntime runtime = new VirtualRuntime(Map.of(
            "example.autopilot", "false",
            "example.maxMessageLength", "20",
            "example.typingTimeout", "5s",
            "example.maxFileSize", "16"));
    private final ExampleContactCenter center = runtime.center();
    private final RecordingCallback recording = runtime.recording();
    private final ServiceDesk desk = runtime.desk("chat-under-test", recording);

    @AfterEach
    void stop() {
        try {
            assertThat(recording.violations()).as("contract violations").isEmpty();
        } finally {
            runtime.close();
        }
    }

    @Test
    @DisplayName("a message longer than example.maxMessageLength is refused as VENDOR_REJECTED with UserMessage; the next one goes through")
    void tooLongMessage() {
        String chat = start();
        Throwable failure = failure(desk.sendMessageToAgent(new UserMessage("long", "x".repeat(21))));

        assertThat(failure).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED));
        assertThat(errors()).containsExactly(new ErrorInfo.UserMessage("long", "The message is longer than 20 characters."));
        runtime.complete(desk.sendMessageToAgent(new UserMessage("short", "x".repeat(20))));
        assertThat(center.userMessages(chat)).containsExactly("x".repeat(20));
    }

    @Test
    @DisplayName("the length limit counts Unicode code points, as the chat protocol does: 20 emoji pass, 21 do not")
    void lengthInCodePoints() {
        String chat = start();
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        runtime.complete(desk.sendMessageToAgent(new UserMessage("emoji", emoji.repeat(20))));
        assertThat(center.userMessages(chat)).containsExactly(emoji.repeat(20));

        Throwable failure = failure(desk.sendMessageToAgent(new UserMessage("long", emoji.repeat(21))));
        assertThat(failure).isInstanceOf(ServiceDeskException.class);
        assertThat(UserMessage.length(emoji.repeat(21))).isEqualTo(21);
    }

    @Test
    @DisplayName("the persisted state is the contact center's chat id and the last durable event, updated after each")
    void persistedState() {
        String chat = start();
        assertThat(recording.lastPersistedState()).contains(state(chat, 0));

        center.agentJoins(chat, SimulatedAgent.FIRST);
        center.agentTyping(chat, true);
        center.agentSends(chat, "hello");
        runtime.advance(Duration.ZERO);

        assertThat(recording.eventsOf(CallbackEvent.PersistedStateUpdated.class))
                .extracting(CallbackEvent.PersistedStateUpdated::state)
                .containsExactly(state(chat, 0), state(chat, 1), state(chat, 3));
    }

    @Test
    @DisplayName("reconnect() needs persisted state, and the example desk's own")
    void reconnectNeedsItsState() {
        assertThat(failure(desk.reconnect())).isInstanceOf(IllegalStateException.class).hasMessageContaining("persisted state");

        ServiceDesk foreign = runtime.desk("foreign", runtime.recording(), new PersistedState(Map.of("conversationId", "x")));
        assertThat(failure(foreign.reconnect())).isInstanceOfSatisfying(ServiceDeskException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.INTERNAL))
                .hasMessageContaining(ExampleServiceDesk.STATE_CHAT_ID).hasMessageContaining(ExampleServiceDesk.STATE_LAST_EVENT);

        ServiceDesk unknown = runtime.desk("unknown", runtime.recording(), state("chat-404", 0));
        assertThat(runtime.complete(unknown.reconnect())).as("reconnect to a chat the contact center does not know").isFalse();
    }

    @Test
    @DisplayName("a new instance resumes after the last event its predecessor delivered: messages missed arrive once, then live ones")
    void resumeDeliversMissedMessagesOnce() {
        String chat = start();
        center.agentJoins(chat, SimulatedAgent.FIRST);
        String seen = center.agentSends(chat, "seen by the first desk");
        runtime.advance(Duration.ZERO);
        PersistedState state = recording.lastPersistedState().orElseThrow();
        String missed1 = center.agentSends(chat, "missed 1");
        String missed2 = center.agentSends(chat, "missed 2");
        runtime.advance(Duration.ZERO);

        RecordingCallback next = runtime.recording();
        ServiceDesk resumed = runtime.desk("chat-under-test", next, state);
        next.chatStarting();
        assertThat(runtime.complete(resumed.reconnect())).isTrue();
        next.chatReconnected(true);
        String live = center.agentSends(chat, "live");
        runtime.advance(Duration.ZERO);

        assertThat(next.messages()).extracting(m -> m.id()).containsExactly(missed1, missed2, live).doesNotContain(seen);
        assertThat(next.violations()).isEmpty();
        assertThat(center.isConnected(chat)).isTrue();
        runtime.complete(resumed.endChat(EndChatInfo.none()));
    }

    @Test
    @DisplayName("an agent typing indicator with no news is turned off after example.typingTimeout")
    void typingTimesOut() {
        String chat = start();
        center.agentJoins(chat, SimulatedAgent.FIRST);
        center.agentTyping(chat, true);
        runtime.advance(Duration.ofSeconds(3));
        center.agentTyping(chat, true);
        runtime.advance(Duration.ofSeconds(10));

        assertThat(runtime.script(recording, 0)).containsExactly("+0s agentJoined Ada", "+0s typing on", "+8s typing off");
    }

    @Test
    @DisplayName("the chat ending during an outage is delivered on restore: the missed message, then agentEndedChat")
    void endedDuringOutage() {
        String chat = start();
        center.agentJoins(chat, SimulatedAgent.FIRST);
        runtime.advance(Duration.ZERO);
        center.dropConnection(chat);
        runtime.advance(Duration.ofSeconds(2));
        center.agentSends(chat, "bye while you were away");
        center.agentEnds(chat);
        center.restoreConnection(chat);
        runtime.advance(Duration.ofSeconds(2));

        assertThat(runtime.script(recording, 0)).containsExactly(
                "+0s agentJoined Ada",
                "+0s error Disconnected[isDisconnected=true]",
                "+3s error Disconnected[isDisconnected=false]",
                "+3s ada: bye while you were away",
                "+3s agentEnded");
        assertThat(runtime.scheduler.pendingTasks()).as("retry timers left").isZero();
    }

    @Test
    @DisplayName("with no agent online, startChat reports Connecting and fails")
    void noAgentOnline() {
        center.setAgentsOnline(false);
        recording.chatStarting();
        Throwable failure = failure(desk.startChat(ConnectRequest.empty(), StartChatOptions.none()));
        recording.chatStartFailed();

        assertThat(failure).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_UNAVAILABLE));
        assertThat(errors()).containsExactly(ErrorInfo.Connecting.of("No agent is online."));
        assertThat(center.chats()).isEmpty();
    }

    @Test
    @DisplayName("endChat before the contact center answered startChat ends the chat there, with no callback")
    void endBeforeOpened() {
        recording.chatStarting();
        CompletionStage<Void> started = desk.startChat(ConnectRequest.empty(), StartChatOptions.none());
        CompletionStage<Void> ended = desk.endChat(EndChatInfo.none());
        runtime.complete(ended);
        recording.chatEndedByUser();
        runtime.advance(Duration.ofMinutes(1));

        assertThat(started.toCompletableFuture()).isDone();
        assertThat(center.endedByUser("chat-1")).isTrue();
        assertThat(recording.size()).isZero();
    }

    @Test
    @DisplayName("calls before the chat started or after it ended fail with VENDOR_REJECTED and no callback")
    void callsOutsideTheChat() {
        assertThat(failure(desk.userTyping(true))).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED));
        start();
        runtime.complete(desk.endChat(EndChatInfo.none()));
        recording.chatEndedByUser();
        assertThat(failure(desk.userReadMessages())).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED));
        assertThat(failure(desk.sendMessageToAgent(new UserMessage("late", "hello")))).isInstanceOf(ServiceDeskException.class);
        assertThat(errors()).isEmpty();
    }

    @Test
    @DisplayName("selected files are checked against the contact center's types and size; each refused one is reported")
    void selectedFilesAreChecked() {
        start();
        FileUpload text = file("ok", "notes.txt", "text/plain", "hello");
        FileUpload exe = file("exe", "setup.exe", "application/x-msdownload", "MZ");
        FileUpload big = new FileUpload("big", "photo.png", "image/png", 17, () -> new ByteArrayInputStream(new byte[17]));

        runtime.complete(desk.filesSelectedForUpload(List.of(text, exe, big)));

        assertThat(recording.eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status).containsExactly(
                FileUploadStatus.failed("exe", "setup.exe is a application/x-msdownload file; the service desk accepts "
                        + "image/png, image/jpeg, image/gif, application/pdf, text/plain."),
                FileUploadStatus.failed("big", "photo.png is larger than 16 bytes."));
    }

    @Test
    @DisplayName("a message with a file reaches the contact center with the file's bytes, and the file is reported accepted")
    void fileIsSent() {
        String chat = start();
        FileUpload notes = file("f1", "notes.txt", "text/plain", "hello");

        runtime.complete(desk.sendMessageToAgent(new UserMessage("m1", "see attached", List.of(notes))));

        assertThat(center.userMessages(chat)).containsExactly("see attached");
        assertThat(center.userFiles(chat)).containsExactly(
                new ExampleContactCenter.Attachment("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(recording.eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .containsExactly(FileUploadStatus.accepted("f1"));
    }

    @Test
    @DisplayName("a file larger than it claimed is refused on its actual bytes: the message fails, nothing is posted")
    void fileLargerThanDeclared() {
        String chat = start();
        FileUpload liar = new FileUpload("f1", "small.txt", "text/plain", 3, () -> new ByteArrayInputStream(new byte[100]));

        Throwable failure = failure(desk.sendMessageToAgent(new UserMessage("m1", "tiny file", List.of(liar))));

        assertThat(failure).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED));
        assertThat(recording.eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                .containsExactly(FileUploadStatus.failed("f1", "small.txt is larger than 16 bytes."));
        assertThat(errors()).containsExactly(new ErrorInfo.UserMessage("m1", "small.txt is larger than 16 bytes."));
        assertThat(center.userMessages(chat)).isEmpty();
    }

    @Test
    @DisplayName("a file that cannot be read fails its message as INTERNAL, naming the file")
    void unreadableFile() {
        start();
        FileUpload broken = new FileUpload("f1", "gone.txt", "text/plain", 3, () -> {
            throw new IOException("deleted");
        });

        Throwable failure = failure(desk.sendMessageToAgent(new UserMessage("m1", "here", List.of(broken))));

        assertThat(failure).isInstanceOfSatisfying(ServiceDeskException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.INTERNAL));
        assertThat(errors()).containsExactly(new ErrorInfo.UserMessage("m1", "gone.txt could not be read."));
    }

    @Test
    @DisplayName("the contact center forgets a chat example.chatRetention after it ended; reconnecting to it then answers false")
    void endedChatsAreForgotten() {
        String chat = start();
        runtime.complete(desk.endChat(EndChatInfo.none()));
        recording.chatEndedByUser();
        PersistedState state = recording.lastPersistedState().orElseThrow();

        runtime.advance(Duration.ofMinutes(59));
        ServiceDesk second = runtime.desk("second", runtime.recording());
        runtime.complete(second.startChat(ConnectRequest.empty(), StartChatOptions.none()));
        assertThat(center.chats()).containsExactly(chat, "chat-2");

        runtime.advance(Duration.ofMinutes(1));
        ServiceDesk third = runtime.desk("third", runtime.recording());
        runtime.complete(third.startChat(ConnectRequest.empty(), StartChatOptions.none()));
        assertThat(center.chats()).containsExactly("chat-2", "chat-3");
        assertThat(runtime.complete(runtime.desk("late", runtime.recording(), state).reconnect())).isFalse();
    }

    @Test
    @DisplayName("an agent who joins twice is announced once (rule 3)")
    void joinOnce() {
        String chat = start();
        center.agentJoins(chat, SimulatedAgent.FIRST);
        center.agentJoins(chat, SimulatedAgent.FIRST);
        runtime.advance(Duration.ZERO);

        assertThat(recording.count(e -> e instanceof CallbackEvent.AgentJoined)).isEqualTo(1);
    }

    // ---- helpers ----

    private String start() {
        recording.chatStarting();
        runtime.complete(desk.startChat(ConnectRequest.empty(), StartChatOptions.none()));
        recording.chatStarted();
        List<String> chats = center.chats();
        return chats.get(chats.size() - 1);
    }

    private Throwable failure(CompletionStage<?> stage) {
        runtime.scheduler.runDueTasks();
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertThat(future).as("the stage").isCompletedExceptionally();
        try {
            future.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static FileUpload file(String id, String name, String type, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new FileUpload(id, name, type, bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    private List<ErrorInfo> errors() {
        return recording.eventsOf(CallbackEvent.ErrorStatus.class).stream().map(CallbackEvent.ErrorStatus::error).toList();
    }

    private static PersistedState state(String chat, long lastEvent) {
        return new PersistedState(Map.of(ExampleServiceDesk.STATE_CHAT_ID, chat, ExampleServiceDesk.STATE_LAST_EVENT, Long.toString(lastEvent)));
    }
}

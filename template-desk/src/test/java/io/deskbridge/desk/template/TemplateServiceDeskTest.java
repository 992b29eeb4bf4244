package io.deskbridge.desk.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.ChatSession;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.desk.template.fake.FakeConversation;
import io.deskbridge.desk.template.fake.FakeTemplateVendor;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the template desk does beyond the kit: the vendor's echoes, bots, files it refuses, and a detached chat resumed. */
class TemplateServiceDeskTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Deskbridge deskbridge;
    private FakeTemplateVendor vendor;
    private final List<CallbackEvent> events = new CopyOnWriteArrayList<>();
    private ChatSession chat;
    private FakeConversation conversation;

    @BeforeEach
    void startChat() throws Exception {
        deskbridge = Deskbridge.builder()
                .providers(ServiceDeskProviders.of(List.of(new FakeVendorProvider())))
                .configuration(Configuration.of(Map.of(
                        Configuration.DESK_KEY, TemplateServiceDeskProvider.NAME,
                        "template.baseUrl", "https://api.template.invalid/v1",
                        "template.apiKey", "k-123456",
                        "template.allowedFileTypes", "txt,pdf",
                        "template.maxFileSize", "100")))
                .build();
        vendor = deskbridge.getInstance(FakeTemplateVendor.class);
        chat = deskbridge.openChat("chat-1", CallbackEvent.recorder(events::add));
        await(chat.startChat(ConnectRequest.empty(), StartChatOptions.none()));
        conversation = vendor.awaitConversation(TIMEOUT).orElseThrow();
        conversation.agentJoins("agent-1", "Ada", Optional.empty());
        awaitEvent(e -> e instanceof CallbackEvent.AgentJoined, "agentJoined");
    }

    @AfterEach
    void stop() {
        deskbridge.close();
    }

    @Test
    @DisplayName("The vendor's echo of the user's own message never reaches the user; a bot's message arrives as BOT")
    void echoesAndBots() throws Exception {
        await(chat.sendMessageToAgent(new UserMessage("u1", "hello from the user")));
        String botId = conversation.botSends("A survey follows this chat.");
        String agentId = conversation.agentSends("Hi!");

        AgentMessage fromAgent = ((CallbackEvent.MessageToUser) awaitEvent(message(agentId), "the agent's message")).message();
        AgentMessage fromBot = messages().stream().filter(m -> m.id().equals(botId)).findFirst().orElseThrow();

        assertThat(fromBot.origin()).isEqualTo(MessageOrigin.BOT);
        assertThat(fromBot.agentId()).isEmpty();
        assertThat(fromAgent.origin()).isEqualTo(MessageOrigin.AGENT);
        assertThat(messages()).extracting(AgentMessage::text).doesNotContain("hello from the user");
        assertThat(conversation.customerMessages()).containsExactly("hello from the user");
    }

    @Test
    @DisplayName("A file the vendor would refuse is reported when selected, and a message carrying it fails naming it")
    void refusedFiles() throws Exception {
        FileUpload program = file("f1", "setup.exe", 10);
        FileUpload large = file("f2", "scan.pdf", 1000);
        FileUpload notes = file("f3", "notes.txt", 10);

        await(chat.filesSelectedForUpload(List.of(program, large, notes)));
        awaitEvent(e -> e instanceof CallbackEvent.FileStatus s && s.status().fileId().equals("f2"), "the large file refused");
        List<String> refused = events.stream().filter(e -> e instanceof CallbackEvent.FileStatus).map(e -> ((CallbackEvent.FileStatus) e).status())
                .filter(s -> s.isError()).map(s -> s.fileId() + ": " + s.errorMessage().orElseThrow()).toList();
        assertThat(refused).containsExactly(
                "f1: setup.exe cannot be sent: only pdf, txt files are accepted",
                "f2: scan.pdf cannot be sent: it is larger than 100 bytes");

        CompletionStage<Void> send = chat.sendMessageToAgent(new UserMessage("u1", "see attached", List.of(notes, program)));
        assertThatThrownBy(() -> send.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ServiceDeskException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED))
                .hasMessageContaining("setup.exe");
        awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error() instanceof ErrorInfo.UserMessage m && m.messageId().equals("u1"),
                "the failed message reported");

        await(chat.sendMessageToAgent(new UserMessage("u2", "see attached", List.of(notes))));
        assertThat(conversation.customerAttachments()).containsExactly("notes.txt");
        assertThat(conversation.customerMessages()).containsExactly("see attached");
    }

    @Test
    @DisplayName("Detach lets the chat go without ending it at the vendor: a desk resumed from its persisted state carries on")
    void detachAndResume() throws Exception {
        String before = conversation.agentSends("Before the move");
        awaitEvent(message(before), "the message before the move");
        PersistedState state = ((CallbackEvent.PersistedStateUpdated) events.stream().filter(e -> e instanceof CallbackEvent.PersistedStateUpdated)
                .reduce((first, second) -> second).orElseThrow()).state();

        await(chat.detach());
        assertThat(conversation.ended()).isFalse();
        assertThat(conversation.connections()).isZero();

        List<CallbackEvent> moved = new CopyOnWriteArrayList<>();
        ChatSession resumed = deskbridge.resumeChat("chat-1", state, CallbackEvent.recorder(moved::add));
        assertThat(await(resumed.reconnect())).isTrue();
        String after = conversation.agentSends("After the move");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (moved.stream().noneMatch(message(after)) && System.nanoTime() < deadline) {
            synchronized (moved) {
                moved.wait(5);
            }
        }
        assertThat(moved).anyMatch(message(after)).noneMatch(message(before));
        assertThat(events).noneMatch(message(after));
        await(resumed.endChat(EndChatInfo.none()));
        assertThat(conversation.endedByCustomer()).isTrue();
    }

    private static FileUpload file(String id, String name, int size) {
        return new FileUpload(id, name, "application/octet-stream", size, () -> new ByteArrayInputStream(new byte[size]));
    }

    private List<AgentMessage> messages() {
        return events.stream().filter(e -> e instanceof CallbackEvent.MessageToUser).map(e -> ((CallbackEvent.MessageToUser) e).message()).toList();
    }

    private static Predicate<CallbackEvent> message(String id) {
        return e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(id);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private CallbackEvent awaitEvent(Predicate<CallbackEvent> predicate, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CallbackEvent> found = events.stream().filter(predicate).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            synchronized (events) {
                events.wait(5);
            }
        }
        throw new AssertionError(what + " did not happen within " + TIMEOUT + "; callbacks: " + events);
    }
}

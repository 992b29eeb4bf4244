package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ServiceDesk;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.RecordingCallback;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulated agent's scripts, with the default delays, on virtual time: what a user of the example desk sees and
 * when. Every test also checks that the recorded sequence keeps the contract.
 */
@DisplayName("The simulated agent")
class SimulatedAgentTest {

    private static final List<String> GREETING_BY_ADA = List.of(
            "+6s agentJoined Ada",
            "+6s typing on",
            "+8s typing off",
            "+8s ada: Hi Kim! I'm Ada, a simulated agent of the example service desk.",
            "+8s typing on",
            "+10s typing off",
            "+10s ada: Here is what you can ask me:");

    private VirtualRuntime runtime;
    private RecordingCallback recording;
    private ServiceDesk desk;
    private int messages;

    @BeforeEach
    void startChat() {
        runtime = new VirtualRuntime(Map.of());
        recording = runtime.recording();
        desk = runtime.desk("chat-under-test", recording);
        runtime.complete(desk.updateState(ChatState.empty().withDisplayName("Kim")));
        recording.chatStarting();
        runtime.complete(desk.startChat(ConnectRequest.of("help with an order", "Kim asks about order 17"), StartChatOptions.none()));
        recording.chatStarted();
    }

    @AfterEach
    void stop() {
        try {
            assertThat(recording.violations()).as("contract violations").isEmpty();
        } finally {
            runtime.close();
        }
    }

    @Test
    @DisplayName("a new chat hears its queue position every 2 s, then Ada joins, greets the user by name and lists the commands")
    void startScript() {
        runtime.advance(Duration.ofSeconds(10));

        assertThat(runtime.script(recording, 0)).containsExactly(concat(List.of(
                "+0s queue position 3, wait 6s",
                "+2s queue position 2, wait 4s",
                "+4s queue position 1, wait 2s"), GREETING_BY_ADA));
        AgentProfile ada = recording.eventsOf(CallbackEvent.AgentJoined.class).get(0).agent();
        assertThat(ada.avatarUrl()).hasValueSatisfying(uri -> assertThat(uri.toString()).startsWith("data:image/svg+xml;base64,"));
        assertThat(lastMessage().text()).contains("**help**", "**someone else**", "**leave**", "**disconnect and reconnect**", "**end chat**");
        assertThat(runtime.center().userMessages("chat-1")).containsExactly("Kim asks about order 17\nTopic: help with an order");
    }

    @Test
    @DisplayName("help: a read receipt, typing, then the list of commands again")
    void help() {
        afterGreeting("  HeLp ");

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: Here is what you can ask me:");
    }

    @Test
    @DisplayName("anything else: a read receipt, typing, then the agent's next canned reply")
    void anythingElse() {
        afterGreeting("How do I reset my password?");
        send("And my username?");
        runtime.advance(Duration.ofSeconds(5));

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: Thanks, I have noted that.",
                "+13.5s read",
                "+13.5s typing on",
                "+15.5s typing off",
                "+15.5s ada: Let me check... everything looks fine on my side.");
    }

    @Test
    @DisplayName("someone else: transfer to Sam, Ada leaves, Sam joins 1.5 s later and greets the user")
    void someoneElse() {
        afterGreeting(" Someone Else ");
        runtime.advance(Duration.ofSeconds(6));

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s transfer to Sam",
                "+10.5s agentLeft",
                "+12s agentJoined Sam",
                "+12s typing on",
                "+14s typing off",
                "+14s sam: Hi Kim! I'm Sam, a simulated agent of the example service desk.",
                "+14s typing on",
                "+16s typing off",
                "+16s sam: Here is what you can ask me:");
        assertThat(lastMessage().text()).contains("talk to Ada instead");
        assertThat(runtime.center().agentIn("chat-1")).contains(SimulatedAgent.SECOND);
    }

    @Test
    @DisplayName("leave: Ada says goodbye and leaves, the chat waits in the queue again, and Sam joins after the join delay")
    void leave() {
        afterGreeting("leave");
        runtime.advance(Duration.ofSeconds(13));

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: I have to go now. Sam will be with you shortly.",
                "+12.5s agentLeft",
                "+12.5s queue position 3, wait 6s",
                "+14.5s queue position 2, wait 4s",
                "+16.5s queue position 1, wait 2s",
                "+18.5s agentJoined Sam",
                "+18.5s typing on",
                "+20.5s typing off",
                "+20.5s sam: Hi Kim! I'm Sam, a simulated agent of the example service desk.",
                "+20.5s typing on",
                "+22.5s typing off",
                "+22.5s sam: Here is what you can ask me:");
        assertThat(recording.count(e -> e instanceof CallbackEvent.AgentEnded)).isZero();
    }

    @Test
    @DisplayName("disconnect and reconnect: Disconnected(true), 3 s of outage, Disconnected(false), and the message written meanwhile arrives once")
    void disconnectAndReconnect() {
        afterGreeting("Disconnect and reconnect");
        runtime.advance(Duration.ofSeconds(10));

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: I'm dropping your connection for a moment.",
                "+12.5s error Disconnected[isDisconnected=true]",
                "+15.5s error Disconnected[isDisconnected=false]",
                "+15.5s ada: I wrote this while you were disconnected: you see it once, when you are back.");
        assertThat(recording.messages().stream().map(AgentMessage::id)).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("end chat: Ada says goodbye and ends the chat; nothing follows and no timer is left")
    void endChat() {
        afterGreeting("END CHAT");
        runtime.advance(Duration.ofMinutes(5));

        assertThat(scriptFromCommand()).containsExactly(
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: Thank you for chatting with us. Goodbye!",
                "+12.5s agentEnded");
        assertThat(runtime.center().isOver("chat-1")).isTrue();
        assertThat(runtime.scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
    }

    @Test
    @DisplayName("files: the agent confirms each file's name and size")
    void files() {
        runtime.advance(Duration.ofSeconds(10));
        commandAt = recording.size();
        byte[] bytes = "a receipt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.deskbridge.spi.FileUpload receipt = new io.deskbridge.spi.FileUpload("f1", "receipt.txt", "text/plain", bytes.length,
                () -> new java.io.ByteArrayInputStream(bytes));
        runtime.complete(desk.sendMessageToAgent(new UserMessage("m1", "", List.of(receipt))));
        runtime.advance(Duration.ofSeconds(3));

        assertThat(scriptFromCommand()).containsExactly(
                "+10s setFileUploadStatus",
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: Thanks, I received receipt.txt (9 bytes).");
    }

    @Test
    @DisplayName("a message sent while waiting in the queue is answered once the agent has greeted the user")
    void messageWhileWaiting() {
        runtime.advance(Duration.ofSeconds(1));
        send("Is anyone there?");
        runtime.advance(Duration.ofSeconds(12));

        assertThat(runtime.script(recording, 0)).endsWith(
                "+10s ada: Here is what you can ask me:",
                "+10.5s read",
                "+10.5s typing on",
                "+12.5s typing off",
                "+12.5s ada: Thanks, I have noted that.");
    }

    @Test
    @DisplayName("when the user ends the chat mid-script, the agent stops: no callback, no timer left")
    void userEndsMidScript() {
        runtime.advance(Duration.ofSeconds(7));
        runtime.complete(desk.endChat(EndChatInfo.none()));
        int endedAt = recording.chatEndedByUser();
        runtime.advance(Duration.ofMinutes(5));

        assertThat(recording.size()).as("callbacks after endChat").isEqualTo(endedAt);
        assertThat(runtime.center().endedByUser("chat-1")).isTrue();
        assertThat(runtime.scheduler.pendingTasks()).as("tasks left on the scheduler").isZero();
    }

    // ---- helpers ----

    private int commandAt;

    /** Lets the greeting finish (t = 10 s), then sends {@code text} and lets the reaction play out. */
    private void afterGreeting(String text) {
        runtime.advance(Duration.ofSeconds(10));
        assertThat(runtime.script(recording, 0)).endsWith(GREETING_BY_ADA.toArray(String[]::new));
        commandAt = recording.size();
        send(text);
        runtime.advance(Duration.ofSeconds(3));
    }

    private List<String> scriptFromCommand() {
        return runtime.script(recording, commandAt);
    }

    private void send(String text) {
        runtime.complete(desk.sendMessageToAgent(new UserMessage("m" + (++messages), text)));
    }

    private AgentMessage lastMessage() {
        List<AgentMessage> all = recording.messages();
        return all.get(all.size() - 1);
    }

    private static String[] concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toArray(String[]::new);
    }
}

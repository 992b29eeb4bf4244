package io.deskbridge.desk.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.ChatStatus;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.RecordingCallback;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The example desk as an application sees it: through {@code ChatSession}, on virtual time (clock, scheduler and
 * worker pool are one virtual scheduler, so the whole chat runs on the test thread in a fixed order).
 */
@DisplayName("A ChatSession over the example desk")
class ChatSessionOverExampleDeskTest {

    @Test
    @DisplayName("delivers the simulated agent's whole script to the application, one callback at a time, in order")
    void wholeChat() {
        try (VirtualRuntime runtime = new VirtualRuntime(Map.of())) {
            RecordingCallback application = runtime.recording();
            ChatSession session = runtime.runtime.openChat("web-1", application);
            runtime.complete(session.updateState(ChatState.empty().withDisplayName("Kim")));
            application.chatStarting();
            runtime.complete(session.startChat(ConnectRequest.of("orders", "Kim asks about order 17"), StartChatOptions.none()));
            application.chatStarted();
            assertThat(session.status()).isEqualTo(ChatStatus.WAITING);

            runtime.advance(Duration.ofSeconds(10));
            assertThat(session.status()).isEqualTo(ChatStatus.JOINED);
            assertThat(session.agent()).hasValueSatisfying(agent -> assertThat(agent.nickname()).isEqualTo("Ada"));

            send(runtime, session, "m1", "Where is my parcel?");
            runtime.advance(Duration.ofSeconds(3));
            send(runtime, session, "m2", "someone else");
            runtime.advance(Duration.ofSeconds(6));
            assertThat(session.agent()).hasValueSatisfying(agent -> assertThat(agent.nickname()).isEqualTo("Sam"));
            send(runtime, session, "m3", "end chat");
            runtime.advance(Duration.ofMinutes(1));

            assertThat(runtime.script(application, 0)).containsExactly(
                    "+0s queue position 3, wait 6s",
                    "+2s queue position 2, wait 4s",
                    "+4s queue position 1, wait 2s",
                    "+6s agentJoined Ada",
                    "+6s typing on",
                    "+8s typing off",
                    "+8s ada: Hi Kim! I'm Ada, a simulated agent of the example service desk.",
                    "+8s typing on",
                    "+10s typing off",
                    "+10s ada: Here is what you can ask me:",
                    "+10.5s read",
                    "+10.5s typing on",
                    "+12.5s typing off",
                    "+12.5s ada: Thanks, I have noted that.",
                    "+13.5s read",
                    "+13.5s transfer to Sam",
                    "+13.5s agentLeft",
                    "+15s agentJoined Sam",
                    "+15s typing on",
                    "+17s typing off",
                    "+17s sam: Hi Kim! I'm Sam, a simulated agent of the example service desk.",
                    "+17s typing on",
                    "+19s typing off",
                    "+19s sam: Here is what you can ask me:",
                    "+19.5s read",
                    "+19.5s typing on",
                    "+21.5s typing off",
                    "+21.5s sam: Thank you for chatting with us. Goodbye!",
                    "+21.5s agentEnded");
            assertThat(application.violations()).as("contract violations seen by the application").isEmpty();
            assertThat(application.entries()).as("threads that delivered callbacks")
                    .extracting(RecordingCallback.Entry::thread).containsOnly(Thread.currentThread().getName());
            assertThat(session.status()).isEqualTo(ChatStatus.ENDED_BY_AGENT);
            assertThat(session.persistedState()).hasValueSatisfying(state ->
                    assertThat(state.get(ExampleServiceDesk.STATE_CHAT_ID)).contains("chat-1"));
            assertThat(runtime.center().userMessages("chat-1")).containsExactly(
                    "Kim asks about order 17\nTopic: orders", "Where is my parcel?", "someone else", "end chat");
        }
    }

    @Test
    @DisplayName("resumes a chat in a new session from the persisted state: what the agent did meanwhile arrives once, in order")
    void resumeInANewSession() {
        try (VirtualRuntime runtime = new VirtualRuntime(Map.of())) {
            RecordingCallback before = runtime.recording();
            ChatSession first = runtime.runtime.openChat("web-1", before);
            runtime.complete(first.startChat(ConnectRequest.empty(), StartChatOptions.none()));
            runtime.advance(Duration.ofSeconds(10));
            PersistedState state = first.persistedState().orElseThrow();

            // The user asks the agent to leave; the application then loses the session (a restart, say) before it
            // hears the answer: the first session keeps getting it, the state it stored does not reflect it.
            send(runtime, first, "m1", "leave");
            runtime.advance(Duration.ofSeconds(3));
            assertThat(runtime.script(before, 0)).contains("+12.5s agentLeft");

            RecordingCallback after = runtime.recording();
            ChatSession second = runtime.runtime.resumeChat("web-1", state, after);
            after.chatStarting();
            CompletionStage<Boolean> resumed = second.reconnect().whenComplete((ok, failure) -> after.chatReconnected(Boolean.TRUE.equals(ok)));
            assertThat(runtime.complete(resumed)).isTrue();
            int firstSessionCallbacks = before.size();
            runtime.advance(Duration.ofSeconds(10));

            assertThat(runtime.script(after, 0)).containsExactly(
                    "+13s ada: I have to go now. Sam will be with you shortly.",
                    "+13s agentLeft",
                    "+14.5s queue position 2, wait 4s",
                    "+16.5s queue position 1, wait 2s",
                    "+18.5s agentJoined Sam",
                    "+18.5s typing on",
                    "+20.5s typing off",
                    "+20.5s sam: Hi! I'm Sam, a simulated agent of the example service desk.",
                    "+20.5s typing on",
                    "+22.5s typing off",
                    "+22.5s sam: Here is what you can ask me:");
            assertThat(after.violations()).as("contract violations seen by the resumed application").isEmpty();
            assertThat(before.size()).as("callbacks to the first session after the second took over").isEqualTo(firstSessionCallbacks);
        }
    }

    private static void send(VirtualRuntime runtime, ChatSession session, String id, String text) {
        runtime.complete(session.sendMessageToAgent(new UserMessage(id, text)));
    }
}

package io.deskbridge.genesys;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.StartChatOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code detach()} on both Genesys transports: the desk lets go of the chat without ending it at Genesys, reports
 * nothing more, and a new desk elsewhere reconnects to the same conversation from the persisted state.
 */
@DisplayName("Genesys: detach leaves the conversation open for a desk elsewhere")
class GenesysDetachTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private GenesysSimulator genesys;
    private Deskbridge deskbridge;

    @BeforeEach
    void start() {
        genesys = GenesysSimulator.builder().console(false).build().start();
    }

    @AfterEach
    void stop() {
        if (deskbridge != null) {
            deskbridge.close();
        }
        genesys.close();
    }

    /** What the application sees of one chat. */
    private static final class Seen implements ServiceDeskCallback {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override public void updateAgentAvailability(AgentAvailability availability) {}
        @Override public void agentJoined(AgentProfile agent) { events.add("joined"); }
        @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) { events.add("transfer"); }
        @Override public void agentLeftChat() { events.add("left"); }
        @Override public void agentEndedChat() { events.add("ended"); }
        @Override public void agentTyping(boolean isTyping) {}
        @Override public void agentReadMessages() {}
        @Override public void sendMessageToUser(AgentMessage message) { texts.add(message.text()); }
        @Override public void setErrorStatus(ErrorInfo error) { events.add(error.toString()); }
        @Override public void setFileUploadStatus(FileUploadStatus status) {}
        @Override public void updateCapabilities(Set<Capability> capabilities) {}
        @Override public void updatePersistedState(PersistedState state) {}
    }

    /** The agent's side of the chat at Genesys. */
    private record Agent(Consumer<String> sends, BooleanSupplier endedByUser, BooleanSupplier socketsClosed) {}

    @Test
    @DisplayName("web messaging: the socket closes without closeSession, and a new desk resumes the conversation")
    void webMessaging() throws Exception {
        moveTo(SimulatedTransport.WEB_MESSAGING, () -> {
            SimulatedWebMessagingSession session = genesys.webMessaging().awaitSession(WAIT);
            session.agentJoins("Ada", Optional.empty());
            return new Agent(session::agentSends, session::endedByUser, () -> session.openConnections() == 0);
        });
    }

    @Test
    @DisplayName("guest chat: the guest stays in the conversation, and a new desk resumes it")
    void guestChat() throws Exception {
        moveTo(SimulatedTransport.GUEST_CHAT, () -> {
            SimulatedConversation conversation = genesys.awaitConversation(WAIT);
            assertThat(conversation.awaitRouted(WAIT)).isTrue();
            conversation.agentJoins("ada", "Ada");
            return new Agent(conversation::agentSends, conversation::endedByGuest, () -> true);
        });
    }

    private void moveTo(SimulatedTransport transport, java.util.function.Supplier<Agent> agentAtGenesys) throws Exception {
        deskbridge = Deskbridge.builder().configuration(Configuration.of(genesys.deskbridgeConfiguration(transport)))
                .providers(ServiceDeskProviders.of(List.of(new GenesysServiceDeskProvider()))).build();
        Seen first = new Seen();
        ChatSession chat = deskbridge.openChat("detach-" + transport, first);
        chat.startChat(ConnectRequest.empty(), StartChatOptions.none()).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Agent agent = agentAtGenesys.get();
        await(() -> first.events.contains("joined"), "the agent to join");
        Optional<PersistedState> beforeTheMessage = chat.persistedState();
        agent.sends().accept("before the move");
        await(() -> first.texts.contains("before the move"), "the first message");
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            // Web messaging's state names the last message delivered, reported right after the message itself: the
            // move must carry the state that includes it, as a web chat's store would hold it by then.
            await(() -> !chat.persistedState().equals(beforeTheMessage), "the persisted state to record the first message");
        }
        PersistedState state = chat.persistedState().orElseThrow();

        chat.detach().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(agent.socketsClosed(), "the detached desk's socket to close");
        agent.sends().accept("during the move");

        Seen second = new Seen();
        ChatSession resumed = deskbridge.resumeChat(chat.chatId(), state, second);
        assertThat(resumed.reconnect().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await(() -> second.texts.contains("during the move"), "the resumed desk to catch up");
        agent.sends().accept("after the move");
        await(() -> second.texts.contains("after the move"), "the resumed desk to receive the next message");

        // (on web messaging the agent's join is a greeting message, which the first desk also saw)
        assertThat(first.texts).containsOnlyOnce("before the move").doesNotContain("during the move", "after the move");
        assertThat(first.events).doesNotContain("ended");
        assertThat(second.texts).containsExactly("during the move", "after the move");
        assertThat(agent.endedByUser().getAsBoolean()).as("detach never ends the conversation at Genesys").isFalse();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}

package io.deskbridge.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("the contract's value types")
class ValueTypesTest {

    static FileUpload file(String id, String name, long size) {
        return new FileUpload(id, name, "image/png", size, () -> new ByteArrayInputStream(new byte[0]));
    }

    @Nested
    @DisplayName("reject blank ids and names, naming the field")
    class BlankIds {

        @Test
        void agentProfile() {
            assertThatThrownBy(() -> new AgentProfile(" ", "Alice")).isInstanceOf(IllegalArgumentException.class).hasMessage("id is blank");
            assertThatThrownBy(() -> new AgentProfile("a1", "")).isInstanceOf(IllegalArgumentException.class).hasMessage("nickname is blank");
            assertThatThrownBy(() -> new AgentProfile(null, "Alice")).isInstanceOf(NullPointerException.class).hasMessage("id is null");
            assertThatThrownBy(() -> new AgentProfile("a1", "Alice", null)).isInstanceOf(NullPointerException.class).hasMessage("avatarUrl is null");
        }

        @Test
        void agentMessage() {
            assertThatThrownBy(() -> AgentMessage.fromAgent("", "alice", "hi")).isInstanceOf(IllegalArgumentException.class).hasMessage("id is blank");
            assertThatThrownBy(() -> new AgentMessage("m1", Optional.empty(), "hi", MessageOrigin.AGENT, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent's id");
            assertThatThrownBy(() -> new AgentMessage("m1", Optional.empty(), null, MessageOrigin.BOT, Optional.empty()))
                    .isInstanceOf(NullPointerException.class).hasMessage("text is null");
            assertThat(AgentMessage.fromBot("m2", "hello").origin()).isEqualTo(MessageOrigin.BOT);
            assertThat(AgentMessage.notice("m3", "transferred").agentId()).isEmpty();
        }

        @Test
        void others() {
            assertThatThrownBy(() -> new UserMessage("\t", "hi")).isInstanceOf(IllegalArgumentException.class).hasMessage("id is blank");
            assertThatThrownBy(() -> new UserIdentity("")).isInstanceOf(IllegalArgumentException.class).hasMessage("id is blank");
            assertThatThrownBy(() -> new DeskContext(" ", new NoCallback())).isInstanceOf(IllegalArgumentException.class).hasMessage("chatId is blank");
            assertThatThrownBy(() -> new DeskContext("c1", null)).isInstanceOf(NullPointerException.class).hasMessage("callback is null");
            assertThatThrownBy(() -> file("", "a.png", 1)).isInstanceOf(IllegalArgumentException.class).hasMessage("id is blank");
            assertThatThrownBy(() -> file("f1", " ", 1)).isInstanceOf(IllegalArgumentException.class).hasMessage("fileName is blank");
            assertThatThrownBy(() -> FileUploadStatus.accepted("")).isInstanceOf(IllegalArgumentException.class).hasMessage("fileId is blank");
            assertThatThrownBy(() -> FileUploadStatus.failed("f1", " ")).isInstanceOf(IllegalArgumentException.class).hasMessage("errorMessage is blank");
            assertThatThrownBy(() -> new ErrorInfo.UserMessage("", "too long")).isInstanceOf(IllegalArgumentException.class).hasMessage("messageId is blank");
            assertThatThrownBy(() -> new ErrorInfo.UserMessage("u1", "")).isInstanceOf(IllegalArgumentException.class).hasMessage("reason is blank");
            assertThatThrownBy(() -> new ErrorInfo.Connecting(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    @DisplayName("reject negative sizes and empty messages")
    class Ranges {

        @Test
        void fileSize() {
            assertThatThrownBy(() -> file("f1", "a.png", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sizeBytes is negative");
            assertThat(file("f1", "a.png", 0).sizeBytes()).isZero();
        }

        @Test
        void availability() {
            assertThatThrownBy(() -> AgentAvailability.position(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positionInQueue");
            assertThatThrownBy(() -> AgentAvailability.waitTime(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("estimatedWait is negative");
            AgentAvailability availability = AgentAvailability.position(3).withEstimatedWait(Duration.ofMinutes(2)).withMessage("soon");
            assertThat(availability).isEqualTo(new AgentAvailability(OptionalInt.of(3), Optional.of(Duration.ofMinutes(2)), Optional.of("soon")));
            assertThat(AgentAvailability.connecting().positionInQueue()).isEmpty();
        }

        @Test
        void emptyUserMessage() {
            assertThatThrownBy(() -> new UserMessage("u1", "  ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs text or files");
            assertThat(new UserMessage("u1", "", List.of(file("f1", "a.png", 10))).files()).hasSize(1);
        }

        @Test
        void fileExtension() {
            assertThat(file("f1", "Report.PDF", 1).extension()).isEqualTo("pdf");
            assertThat(file("f1", "README", 1).extension()).isEmpty();
        }
    }

    @Nested
    @DisplayName("copy the collections they are given")
    class Copies {

        @Test
        void maps() {
            Map<String, String> source = new HashMap<>(Map.of("skill", "billing"));
            ConnectRequest request = new ConnectRequest(Optional.empty(), Optional.empty(), source);
            EndChatInfo end = new EndChatInfo(source);
            StartChatOptions options = new StartChatOptions(Optional.empty(), Optional.empty(), source);
            PersistedState state = new PersistedState(source);
            source.put("later", "x");

            assertThat(request.routingAttributes()).containsOnlyKeys("skill");
            assertThat(end.payload()).containsOnlyKeys("skill");
            assertThat(options.preStartPayload()).containsOnlyKeys("skill");
            assertThat(state.values()).containsOnlyKeys("skill");
            assertThatThrownBy(() -> request.routingAttributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> state.values().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void lists() {
            List<FileUpload> files = new ArrayList<>(List.of(file("f1", "a.png", 1)));
            UserMessage message = new UserMessage("u1", "see attached", files);
            files.add(file("f2", "b.png", 1));

            assertThat(message.files()).extracting(FileUpload::id).containsExactly("f1");
            assertThatThrownBy(() -> message.files().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    @DisplayName("PersistedState")
    class Persisted {

        @Test
        @DisplayName("toString shows the keys, never the values")
        void hidesValues() {
            PersistedState state = PersistedState.empty().with("token", "s3cr3t-value").with("conversation", "c-42");

            assertThat(state.toString()).contains("token", "conversation").doesNotContain("s3cr3t-value", "c-42");
        }

        @Test
        @DisplayName("with sets and removes keys; size counts keys and values")
        void with() {
            PersistedState state = PersistedState.empty().with("a", "123").with("b", "4");
            assertThat(state.get("a")).contains("123");
            assertThat(state.sizeInChars()).isEqualTo(6);
            assertThat(state.with("a", null).values()).containsOnlyKeys("b");
            assertThat(PersistedState.empty().isEmpty()).isTrue();
            assertThat(state.get("missing")).isEmpty();
        }
    }

    @Nested
    @DisplayName("ConnectRequest.connectSummary")
    class ConnectSummary {

        @Test
        void both() {
            assertThat(ConnectRequest.of("billing", "The user asks about an invoice").connectSummary())
                    .contains("The user asks about an invoice\nTopic: billing");
        }

        @Test
        void onlyOne() {
            assertThat(ConnectRequest.of("billing", null).connectSummary()).contains("Topic: billing");
            assertThat(ConnectRequest.of(null, "Needs help").connectSummary()).contains("Needs help");
        }

        @Test
        void none() {
            assertThat(ConnectRequest.empty().connectSummary()).isEmpty();
            assertThat(ConnectRequest.of(null, null).connectSummary()).isEmpty();
        }
    }

    @Nested
    @DisplayName("capabilities and unsupported methods (rule 14)")
    class Unsupported {

        @Test
        @DisplayName("an undeclared optional method fails with UnsupportedCapabilityException naming desk and capability")
        void defaults() {
            ServiceDesk desk = new MinimalDesk();

            assertUnsupported(desk.updateState(ChatState.empty()), Capability.UPDATE_STATE);
            assertUnsupported(desk.userTyping(true), Capability.USER_TYPING);
            assertUnsupported(desk.userReadMessages(), Capability.USER_READ_RECEIPTS);
            assertUnsupported(desk.areAnyAgentsOnline(ConnectRequest.empty()), Capability.AGENTS_ONLINE);
            assertUnsupported(desk.filesSelectedForUpload(List.of()), Capability.FILE_UPLOADS);
            assertUnsupported(desk.reconnect(), Capability.RECONNECT);
        }

        @Test
        @DisplayName("the message reads as a sentence for operators")
        void message() {
            UnsupportedCapabilityException e = new UnsupportedCapabilityException("example", Capability.FILE_UPLOADS);
            assertThat(e).hasMessage("The example service desk does not support file uploads (capability FILE_UPLOADS)");
            assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.UNSUPPORTED);
            assertThat(e.capability()).isEqualTo(Capability.FILE_UPLOADS);
        }

        @Test
        @DisplayName("the method capabilities are exactly those with a default method")
        void methodCapabilities() {
            assertThat(Set.of(Capability.values())).filteredOn(Capability::isMethod).containsExactlyInAnyOrder(
                    Capability.UPDATE_STATE, Capability.USER_TYPING, Capability.USER_READ_RECEIPTS, Capability.AGENTS_ONLINE,
                    Capability.FILE_UPLOADS, Capability.RECONNECT);
        }

        @Test
        @DisplayName("ServiceDeskException keeps its kind and the message for the user")
        void exception() {
            ServiceDeskException e = new ServiceDeskException(ServiceDeskException.Kind.VENDOR_REJECTED, "queue unknown", "Sorry", null);
            assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
            assertThat(e.messageToUser()).contains("Sorry");
            assertThat(new ServiceDeskException(ServiceDeskException.Kind.INTERNAL, "x").messageToUser()).isEmpty();
            assertThatThrownBy(() -> new ServiceDeskException(null, "x")).isInstanceOf(NullPointerException.class);
        }

        private void assertUnsupported(CompletionStage<?> stage, Capability capability) {
            assertThatThrownBy(() -> stage.toCompletableFuture().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(UnsupportedCapabilityException.class, e -> {
                        assertThat(e.capability()).isEqualTo(capability);
                        assertThat(e).hasMessageContaining("minimal").hasMessageContaining(capability.name());
                    });
        }
    }

    @Test
    @DisplayName("an agent profile may carry an avatar")
    void avatar() {
        assertThat(new AgentProfile("a", "Alice", Optional.of(URI.create("https://example.com/a.png"))).avatarUrl()).isPresent();
        assertThat(new AgentProfile("a", "Alice").avatarUrl()).isEmpty();
    }

    /** A desk with only the required methods. */
    static final class MinimalDesk implements ServiceDesk {
        @Override
        public String name() {
            return "minimal";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public CompletionStage<Void> startChat(ConnectRequest request, StartChatOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> endChat(EndChatInfo info) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> sendMessageToAgent(UserMessage message) {
            throw new UnsupportedOperationException();
        }
    }

    /** A callback that ignores everything. */
    static final class NoCallback implements ServiceDeskCallback {
        @Override public void updateAgentAvailability(AgentAvailability availability) {}
        @Override public void agentJoined(AgentProfile agent) {}
        @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {}
        @Override public void agentLeftChat() {}
        @Override public void agentEndedChat() {}
        @Override public void agentTyping(boolean isTyping) {}
        @Override public void agentReadMessages() {}
        @Override public void sendMessageToUser(AgentMessage message) {}
        @Override public void setErrorStatus(ErrorInfo error) {}
        @Override public void setFileUploadStatus(FileUploadStatus status) {}
        @Override public void updateCapabilities(Set<Capability> capabilities) {}
        @Override public void updatePersistedState(PersistedState state) {}
    }
}

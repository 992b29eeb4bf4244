package io.deskbridge.desk.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deskbridge.core.ChatSession;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.desk.template.fake.FakeConversation;
import io.deskbridge.desk.template.fake.FakeTemplateVendor;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskCallback;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The desk as an application gets it: found on the class path, wired, and driven through a {@link ChatSession}. */
class TemplateServiceDeskProviderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The desks on this class path, found the way deskbridge finds them ({@code ServiceLoader}). */
    private static ServiceDeskProviders providers() {
        return ServiceDeskProviders.load(TemplateServiceDeskProvider.class.getClassLoader());
    }

    private static Configuration configuration() {
        return Configuration.of(Map.of(
                Configuration.DESK_KEY, TemplateServiceDeskProvider.NAME,
                "template.baseUrl", "https://api.template.invalid/v1",
                "template.apiKey", "k-123456"));
    }

    @Test
    @DisplayName("The desk is registered for ServiceLoader under its name")
    void registered() {
        ServiceDeskProviders providers = providers();

        assertThat(providers.names()).contains(TemplateServiceDeskProvider.NAME);
        assertThat(providers.select(TemplateServiceDeskProvider.NAME)).isInstanceOf(TemplateServiceDeskProvider.class);
    }

    @Test
    @DisplayName("Selecting the desk with bad settings fails start-up naming the keys")
    void badSettingsFailStartUp() {
        assertThatThrownBy(() -> Deskbridge.builder().providers(providers())
                .configuration(Configuration.of(Map.of(Configuration.DESK_KEY, TemplateServiceDeskProvider.NAME))).build())
                .isInstanceOf(ServiceDeskException.class)
                .hasMessageContaining("template.baseUrl is required")
                .hasMessageContaining("template.apiKey is required");
    }

    @Test
    @DisplayName("Selected before its vendor client is written, the desk fails start-up saying what to write")
    void noVendorClientFailsStartUp() {
        assertThatThrownBy(() -> Deskbridge.builder().providers(providers()).configuration(configuration()).build())
                .isInstanceOfSatisfying(ServiceDeskException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION))
                .hasMessageContaining("no client for its vendor")
                .hasMessageContaining("TemplateModule.vendorClient()");
    }

    @Test
    @DisplayName("Wired by deskbridge with the fake vendor, a chat runs end to end through ChatSession")
    void chatThroughTheRuntime() throws Exception {
        try (Deskbridge deskbridge = Deskbridge.builder().providers(ServiceDeskProviders.of(List.of(new FakeVendorProvider())))
                .configuration(configuration()).build()) {
            assertThat(deskbridge.deskName()).isEqualTo("template");
            assertThat(deskbridge.capabilities()).isEqualTo(new TemplateServiceDeskProvider().capabilities());
            FakeTemplateVendor vendor = deskbridge.getInstance(FakeTemplateVendor.class);
            RecordingApplication application = new RecordingApplication();
            ChatSession chat = deskbridge.openChat("chat-1", application);

            chat.startChat(ConnectRequest.of("billing", "Invoice question"), StartChatOptions.none()).toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            FakeConversation conversation = vendor.awaitConversation(TIMEOUT).orElseThrow();
            conversation.agentJoins("agent-1", "Ada", Optional.empty());
            assertThat(application.joined.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(new AgentProfile("agent-1", "Ada"));

            chat.sendMessageToAgent(new UserMessage("m1", "hello")).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String id = conversation.agentSends("Hi, how can I help?");
            AgentMessage received = application.message.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(received.id()).isEqualTo(id);
            assertThat(received.text()).isEqualTo("Hi, how can I help?");
            assertThat(conversation.customerMessages()).containsExactly("Invoice question\nTopic: billing", "hello");

            chat.endChat(EndChatInfo.none()).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(conversation.endedByCustomer()).isTrue();
            assertThat(chat.persistedState()).hasValueSatisfying(state -> assertThat(state.get("conversationId")).contains(conversation.id()));
        }
    }

    /** The application's side of the chat, keeping the first join and the first message. */
    private static final class RecordingApplication implements ServiceDeskCallback {
        final CompletableFuture<AgentProfile> joined = new CompletableFuture<>();
        final CompletableFuture<AgentMessage> message = new CompletableFuture<>();

        @Override
        public void agentJoined(AgentProfile agent) {
            joined.complete(agent);
        }

        @Override
        public void sendMessageToUser(AgentMessage agentMessage) {
            message.complete(agentMessage);
        }

        @Override public void updateAgentAvailability(AgentAvailability availability) {}
        @Override public void beginTransferToAnotherAgent(Optional<AgentProfile> newAgent) {}
        @Override public void agentLeftChat() {}
        @Override public void agentEndedChat() {}
        @Override public void agentTyping(boolean isTyping) {}
        @Override public void agentReadMessages() {}
        @Override public void setErrorStatus(ErrorInfo error) {}
        @Override public void setFileUploadStatus(FileUploadStatus status) {}
        @Override public void updateCapabilities(Set<Capability> capabilities) {}
        @Override public void updatePersistedState(PersistedState state) {}
    }
}

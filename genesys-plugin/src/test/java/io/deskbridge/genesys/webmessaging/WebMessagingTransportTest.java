package io.deskbridge.genesys.webmessaging;

import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.WAIT;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.await;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitFailure;
import static io.deskbridge.genesys.webmessaging.WebMessagingHarness.awaitTrue;
import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.Configuration;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.EndChatInfo;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UnsupportedCapabilityException;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.CallbackMatchers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The web messaging transport against the simulator, one test per behaviour the transport promises. */
class WebMessagingTransportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<WebMessagingHarness> harnesses = new ArrayList<>();

    @AfterEach
    void close() {
        harnesses.forEach(WebMessagingHarness::close);
    }

    private WebMessagingHarness harness(WebMessagingHarness harness) {
        harnesses.add(harness);
        return harness;
    }

    /** The agent messages after the greeting with which the simulated agent joins ({@code agentJoins}). */
    private static List<AgentMessage> afterGreeting(List<AgentMessage> messages) {
        return messages.stream().filter(m -> !m.text().startsWith("Hello, this is ")).toList();
    }

    private static ConnectRequest request() {
        return ConnectRequest.of("billing", "The user asks about an invoice");
    }

    private static List<CallbackEvent> events(WebMessagingHarness.Started chat) {
        return chat.callback().events();
    }

    @Nested
    @DisplayName("Session")
    class Session {

        @Test
        @DisplayName("The random session token is persisted, so a new desk resumes the same Genesys session")
        void tokenPersisted() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            var state = chat.callback().lastPersistedState().orElseThrow();
            assertThat(state.get(WebMessagingPersistence.KEY_TOKEN)).contains(chat.session().token());
            assertThat(state.get(WebMessagingPersistence.KEY_TRANSPORT)).contains("web-messaging");
            var resumed = h.resumedChat(state);
            assertThat(await(resumed.desk().reconnect())).isTrue();
            awaitTrue(() -> chat.session().openConnections() == 2, "the resumed desk's socket on the same session");
            assertThat(h.simulator.session(chat.session().token())).isPresent();
        }

        @Test
        @DisplayName("The SessionResponse's allowed media decide the file rules; a deployment without files drops FILE_UPLOADS")
        void sessionResponseReadFully() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withFiles(List.of(), 0, List.of())));
            var chat = h.started(request());
            var update = chat.callback().awaitEvent(CallbackMatchers.any(CallbackEvent.CapabilitiesUpdated.class), "updateCapabilities", WAIT);
            assertThat(((CallbackEvent.CapabilitiesUpdated) update).capabilities()).doesNotContain(Capability.FILE_UPLOADS)
                    .contains(Capability.RECONNECT);
        }

        @Test
        @DisplayName("A socket that cannot be opened at start (500 on the handshake) is tried again with backoff, and the chat starts once it opens, "
                + "with one session")
        void startRetriesTheSocket() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            h.simulator.failNextHandshakes(2);
            var chat = h.started(request());
            assertThat(h.simulator.receivedFrames()).extracting(f -> f.path("action").asText()).startsWith("configureSession", "onMessage");
            assertThat(h.simulator.receivedFrames()).filteredOn(f -> f.path("action").asText().equals("configureSession")).hasSize(1);
            assertThat(chat.session().userTexts()).containsExactly(request().connectSummary().orElseThrow());
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
        }

        @Test
        @DisplayName("After genesys.webMessagingStartAttempts failed opens, startChat fails with Connecting and a sentence for the user")
        void startGivesUp() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingStartAttempts", "2")));
            h.simulator.failNextHandshakes(3);
            var chat = h.newChat();
            Throwable failure = awaitFailure(chat.desk().startChat(request(), StartChatOptions.none()));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("Cannot open the Genesys web messaging socket")
                    .hasMessageContaining("the handshake was answered HTTP 500");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_UNAVAILABLE);
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                    .containsExactly(new ErrorInfo.Connecting(Optional.of("The chat service cannot be reached right now. Please try again later.")));
            assertThat(h.simulator.receivedFrames()).isEmpty();
            h.simulator.failNextHandshakes(0);
            assertThat(h.started(request()).session().userTexts()).hasSize(1); // the next chat starts: one failed handshake was left
        }

        @Test
        @DisplayName("endChat while the start waits to open its socket again ends at once: no socket, no session at Genesys, no Connecting reported")
        void endWhileStartRetries() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingReconnectBackoff", "300ms",
                    "genesys.webMessagingReconnectBackoffMax", "300ms")));
            h.simulator.failNextHandshakes(1);
            var chat = h.newChat();
            CompletionStage<Void> start = chat.desk().startChat(request(), StartChatOptions.none());
            awaitTrue(() -> h.simulator.failedHandshakes() == 1, "the first handshake refused");
            await(chat.desk().endChat(EndChatInfo.none()));
            Throwable failure = awaitFailure(start);
            assertThat(failure).hasMessageContaining("ended");
            assertThat(h.simulator.receivedFrames()).isEmpty();
            assertThat(h.simulator.sessions()).isEmpty();
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
        }

        @Test
        @DisplayName("endChat on a resumed chat whose socket is still opening ends the Genesys session all the same")
        void endWhileResuming() throws Exception {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withClearEnabled(true)));
            var chat = h.joined();
            var resumed = h.resumedChat(chat.callback().lastPersistedState().orElseThrow());
            CompletionStage<Boolean> reconnecting = resumed.desk().reconnect();
            await(resumed.desk().endChat(EndChatInfo.none()));
            awaitTrue(() -> chat.session().endedByUser(), "the Genesys session ended by the user");
            assertThat(reconnecting.toCompletableFuture().handle((ok, failure) -> Boolean.TRUE.equals(ok))
                    .get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).as("the resume, overtaken by the end").isFalse();
        }

        @Test
        @DisplayName("A new chat whose session the simulator reports read-only starts a new conversation as Genesys lets it:"
                + " closeSession answered connected:false on the same socket, then configureSession with startNew")
        void readOnlyStartAgainstTheSimulator() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            h.simulator.readOnlyNextNewSession();
            var chat = h.started(request());
            assertThat(chat.session().isReadOnly()).isFalse();
            assertThat(chat.session().userTexts()).hasSize(1);
            assertThat(h.simulator.receivedFrames()).extracting(f -> f.path("action").asText())
                    .containsSubsequence("configureSession", "closeSession", "configureSession", "onMessage");
        }

        @Test
        @DisplayName("A session made read-only by the agent's disconnect is not resumed: reconnect answers false")
        void readOnlyNotResumed() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withReadOnlyDisconnect(true)));
            var chat = h.joined();
            chat.session().agentEnds();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            assertThat(chat.session().isReadOnly()).isTrue();
            var resumed = h.resumedChat(chat.callback().lastPersistedState().orElseThrow());
            assertThat(await(resumed.desk().reconnect())).isFalse();
        }
    }

    @Nested
    @DisplayName("Agent side")
    class AgentSide {

        @Test
        @DisplayName("Bot and flow messages reach the user as BOT and never count as an agent")
        void botMessages() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.started(request());
            String id = chat.session().botSends("Hi, I am the assistant.");
            chat.callback().awaitEvent(messageWithId(id), "the bot message", WAIT);
            AgentMessage message = chat.callback().messages().get(0);
            assertThat(message.origin()).isEqualTo(MessageOrigin.BOT);
            assertThat(message.agentId()).isEmpty();
            assertThat(chat.callback().count(agentJoined())).isZero();
        }

        @Test
        @DisplayName("The agent's name and picture come from channel.from when the deployment humanizes agents")
        void humanizedIdentity() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            AgentProfile agent = chat.callback().eventsOf(CallbackEvent.AgentJoined.class).get(0).agent();
            assertThat(agent).isEqualTo(new AgentProfile("Ada", "Ada", Optional.of(URI.create("https://example.com/ada.png"))));
        }

        @Test
        @DisplayName("An agent is known by the name shown: an id in channel.from (Genesys sends none) neither names nor changes the agent")
        void agentIdentityIsTheName() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            ObjectNode message = JSON.createObjectNode().put("id", "with-from-id").put("type", "Text").put("direction", "Outbound")
                    .put("originatingEntity", "Human").put("text", "still me");
            message.putObject("channel").putObject("from").put("id", "user-7f3a").put("nickname", "Ada");
            chat.session().pushOutbound(message);
            chat.callback().awaitEvent(messageWithId("with-from-id"), "Ada's message", WAIT);
            assertThat(chat.callback().messages()).last().extracting(AgentMessage::agentId).isEqualTo(Optional.of("Ada"));
            assertThat(chat.callback().count(transferStarted())).isZero();
            assertThat(chat.callback().count(agentJoined())).isEqualTo(1);
        }

        @Test
        @DisplayName("Without humanize, the first human message gives agentJoined with the configured fallback name")
        void fallbackIdentity() {
            WebMessagingHarness h = harness(new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withHumanize(false),
                    Map.of("genesys.webMessagingAgentName", "Support"), Optional.empty()));
            var chat = h.started(request());
            String id = chat.session().agentSends("Hello");
            chat.callback().awaitEvent(messageWithId(id), "the agent message", WAIT);
            assertThat(chat.callback().eventsOf(CallbackEvent.AgentJoined.class)).extracting(CallbackEvent.AgentJoined::agent)
                    .containsExactly(new AgentProfile(WebMessagingAgents.FALLBACK_AGENT_ID, "Support"));
            assertThat(chat.callback().messages().get(0).agentId()).contains(WebMessagingAgents.FALLBACK_AGENT_ID);
        }

        @Test
        @DisplayName("A different human agent gives beginTransferToAnotherAgent, then agentJoined for that agent")
        void transferToAnotherHuman() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().agentJoins("Grace", Optional.empty());
            chat.callback().awaitEvent(agentJoined(new AgentProfile("Grace", "Grace")), "Grace joined", WAIT);
            String id = chat.session().agentSends("I am taking over");
            chat.callback().awaitEvent(messageWithId(id), "Grace's message", WAIT);
            assertThat(chat.callback()).satisfies(c -> {
                int transfer = c.indexOf(transferStarted(), 0).orElseThrow();
                int joined = c.indexOf(agentJoined(new AgentProfile("Grace", "Grace")), 0).orElseThrow();
                assertThat(transfer).isLessThan(joined);
            });
            assertThat(chat.callback().messages()).last().extracting(AgentMessage::agentId).isEqualTo(Optional.of("Grace"));
            assertThat(chat.callback().count(agentJoined())).isEqualTo(2);
        }

        @Test
        @DisplayName("A Typing event shows the agent typing for its duration")
        void typingDuration() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            long before = System.nanoTime();
            chat.session().agentTypes(400);
            chat.callback().awaitEvent(agentTyping(true), "typing on", WAIT);
            chat.callback().awaitEvent(agentTyping(false), "typing off", WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
        }

        @Test
        @DisplayName("Presence Disconnect gives agentEndedChat, after which sends fail as VENDOR_REJECTED")
        void disconnectEnds() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().agentEnds();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            Throwable failure = awaitFailure(chat.desk().sendMessageToAgent(new UserMessage("late", "hello?")));
            assertThat(failure).isInstanceOf(ServiceDeskException.class);
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
        }

        @Test
        @DisplayName("Messages Genesys delivers out of order reach the user in channel.time order, within the reorder window")
        void outOfOrderDelivery() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingReorderWindow", "400ms")));
            var chat = h.joined();
            chat.session().holdNextOutbound(3);
            String first = chat.session().agentSends("first");
            String second = chat.session().agentSends("second");
            long released = System.nanoTime();
            String third = chat.session().agentSends("third");
            chat.callback().awaitEvent(messageWithId(first), "the first message", WAIT);
            chat.callback().awaitEvent(messageWithId(second), "the second message", WAIT);
            chat.callback().awaitEvent(messageWithId(third), "the third message", WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - released)).as("held no longer than the window (plus slack)")
                    .isLessThan(Duration.ofMillis(400 + 1500));
            assertThat(afterGreeting(chat.callback().messages())).extracting(AgentMessage::id).containsExactly(first, second, third);
        }

        @Test
        @DisplayName("With a zero reorder window, messages reach the user in arrival order (the window is what restores the order)")
        void zeroReorderWindow() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingReorderWindow", "0s")));
            var chat = h.joined();
            chat.session().holdNextOutbound(3);
            String first = chat.session().agentSends("first");
            String second = chat.session().agentSends("second");
            String third = chat.session().agentSends("third");
            chat.callback().awaitEvent(messageWithId(first), "the first message", WAIT);
            assertThat(afterGreeting(chat.callback().messages())).extracting(AgentMessage::id).containsExactly(third, second, first);
        }

        @Test
        @DisplayName("A Presence Disconnect delivered before the agent's last message ends the chat after that message, not before")
        void disconnectOvertakingMessage() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().holdNextOutbound(2);
            String last = chat.session().agentSends("Goodbye");
            chat.session().agentEnds();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            assertThat(chat.callback().indexOf(messageWithId(last), 0).orElseThrow())
                    .isLessThan(chat.callback().indexOf(agentEnded(), 0).orElseThrow());
        }

        @Test
        @DisplayName("A Receipt with status Read gives agentReadMessages")
        void receipts() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingReadReceipts", "true")));
            assertThat(h.factory.capabilities()).contains(Capability.AGENT_READ_RECEIPTS);
            var chat = h.joined();
            await(chat.desk().sendMessageToAgent(new UserMessage("u-1", "Did you get this?")));
            // Genesys's receipts carry the id of the message they refer to: Delivered and Read share it.
            chat.session().agentReceives();
            chat.session().agentReads();
            chat.callback().awaitEvent(CallbackMatchers.agentRead(), "agentReadMessages", WAIT);
        }

        @Test
        @DisplayName("Without genesys.webMessagingReadReceipts, no read receipts are declared: Genesys's messenger SDK shows none")
        void noReceiptsByDefault() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            assertThat(h.factory.capabilities()).doesNotContain(Capability.AGENT_READ_RECEIPTS);
        }

        @Test
        @DisplayName("Outbound messages of an unknown type or with unknown enum values are skipped, never coerced; later ones arrive")
        void unknownValuesSkipped() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            ObjectNode odd = JSON.createObjectNode().put("id", "odd-1").put("type", "Hologram").put("direction", "Outbound").put("text", "?");
            chat.session().pushOutbound(odd);
            ObjectNode lower = JSON.createObjectNode().put("id", "odd-2").put("type", "Text").put("direction", "outbound").put("text", "?");
            chat.session().pushOutbound(lower);
            // "Message" is no type of Genesys's messenger SDKs (Text, Structured, Event, Receipt): skipped as unknown.
            ObjectNode message = JSON.createObjectNode().put("id", "odd-3").put("type", "Message").put("direction", "Outbound").put("text", "?");
            chat.session().pushOutbound(message);
            chat.session().sendRawFrame("{not json");
            chat.session().sendRawFrame("{\"type\":\"message\",\"class\":\"HologramEvent\",\"code\":200,\"body\":{}}");
            String id = chat.session().agentSends("still here");
            chat.callback().awaitEvent(messageWithId(id), "the next message", WAIT);
            assertThat(afterGreeting(chat.callback().messages())).extracting(AgentMessage::id).containsExactly(id);
        }
    }

    @Nested
    @DisplayName("User side")
    class UserSide {

        @Test
        @DisplayName("A send completes on the echo; a retry and a concurrent duplicate of the same id post once")
        void idempotentSends() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            CompletionStage<Void> first = chat.desk().sendMessageToAgent(new UserMessage("m-1", "hello"));
            CompletionStage<Void> duplicate = chat.desk().sendMessageToAgent(new UserMessage("m-1", "hello"));
            await(first);
            await(duplicate);
            await(chat.desk().sendMessageToAgent(new UserMessage("m-1", "hello")));
            assertThat(chat.session().userTexts()).filteredOn("hello"::equals).hasSize(1);
        }

        @Test
        @DisplayName("User typing reaches Genesys at most once per 5 seconds")
        void typingThrottled() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withUserTypingIndicator(true)));
            var chat = h.joined();
            for (int i = 0; i < 5; i++) {
                await(chat.desk().userTyping(true));
                await(chat.desk().userTyping(false));
            }
            await(chat.desk().sendMessageToAgent(new UserMessage("after-typing", "done")));
            assertThat(chat.session().userTypingCount()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("Limits")
    class Limits {

        @Test
        @DisplayName("The outbound queue keeps to genesys.webMessagingOutboundRate messages per second, in order")
        void tokenBucket() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingOutboundRate", "2")));
            var chat = h.joined();
            long before = System.nanoTime();
            List<CompletionStage<Void>> sends = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                sends.add(chat.desk().sendMessageToAgent(new UserMessage("r-" + i, "rate " + i)));
            }
            sends.forEach(WebMessagingHarness::await);
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            // At most a full burst of 2 is available when the sends start: the other 3 wait half a second each.
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1450));
            assertThat(chat.session().userTexts()).endsWith("rate 1", "rate 2", "rate 3", "rate 4", "rate 5");
        }

        @Test
        @DisplayName("TooManyRequestsErrorMessage (4029): the message is sent again after retryAfter, once")
        void retryAfterHonoured() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().rateLimitNext(1);
            long before = System.nanoTime();
            await(chat.desk().sendMessageToAgent(new UserMessage("slow", "slow down")));
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(chat.session().userTexts()).filteredOn("slow down"::equals).hasSize(1);
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
        }

        @Test
        @DisplayName("A message too long (4011) fails with a UserMessage error that says so")
        void messageTooLong() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withLimits(2048, 100, 200)));
            var chat = h.joined();
            Throwable failure = awaitFailure(chat.desk().sendMessageToAgent(new UserMessage("long", "x".repeat(101))));
            assertThat(failure).isInstanceOf(WebMessagingException.class);
            assertThat(((WebMessagingException) failure).code()).isEqualTo(4011);
            var error = chat.callback().awaitEvent(CallbackMatchers.any(CallbackEvent.ErrorStatus.class), "UserMessage", WAIT);
            assertThat(((CallbackEvent.ErrorStatus) error).error())
                    .isEqualTo(new ErrorInfo.UserMessage("long", "Your message is too long for this chat. Please shorten it and send it again."));
            await(chat.desk().sendMessageToAgent(new UserMessage("long", "short now")));
            assertThat(chat.session().userTexts()).contains("short now");
        }

        @Test
        @DisplayName("Custom attributes too large (4013) fail the message with a UserMessage error")
        void customAttributesTooLarge() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().failNextMessage(4013, "Custom Attributes in channel metadata is larger than 2048 bytes");
            Throwable failure = awaitFailure(chat.desk().sendMessageToAgent(new UserMessage("attrs", "hello")));
            assertThat(((WebMessagingException) failure).code()).isEqualTo(4013);
            var error = chat.callback().awaitEvent(CallbackMatchers.any(CallbackEvent.ErrorStatus.class), "UserMessage", WAIT);
            assertThat(((ErrorInfo.UserMessage) ((CallbackEvent.ErrorStatus) error).error()).reason()).contains("too large");
        }

        @Test
        @DisplayName("Routing attributes that do not fit in maxCustomDataBytes are left out, the rest are sent")
        void attributesFitTheLimit() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(WebMessagingHarness.defaultDeployment().withLimits(60, 4000, 200)));
            var chat = h.started(new ConnectRequest(Optional.of("billing"), Optional.of("hi"), Map.of("big", "x".repeat(100))));
            JsonNode attributes = chat.session().userMessages().get(0).path("channel").path("metadata").path("customAttributes");
            assertThat(attributes.has("topic")).isTrue();
            assertThat(attributes.has("big")).isFalse();
        }
    }

    @Nested
    @DisplayName("Files")
    class Files {

        private FileUpload file(String name, String type, String content) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return new FileUpload("f-" + name, name, type, bytes.length, () -> new ByteArrayInputStream(bytes));
        }

        @Test
        @DisplayName("Selected files are checked early against allowedMedia and blockedExtensions")
        void earlyValidation() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            await(chat.desk().filesSelectedForUpload(List.of(file("ok.txt", "text/plain", "fine"), file("run.exe", "text/plain", "x"),
                    file("movie.mpg", "video/mpeg", "x"))));
            awaitTrue(() -> chat.callback().eventsOf(CallbackEvent.FileStatus.class).size() == 2, "two refusals");
            assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                    .extracting(FileUploadStatus::fileId).containsExactly("f-run.exe", "f-movie.mpg");
        }

        @Test
        @DisplayName("A file travels by onAttachment, the pre-signed PUT and UploadSuccessEvent, then as an attachment of the message")
        void upload() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            await(chat.desk().sendMessageToAgent(new UserMessage("with-file", "see attached", List.of(file("notes.txt", "text/plain", "hello")))));
            JsonNode sent = chat.session().userMessages().get(chat.session().userMessages().size() - 1);
            assertThat(sent.path("content").get(0).path("contentType").asText()).isEqualTo("Attachment");
            assertThat(sent.path("content").get(0).path("attachment").path("id").asText()).isNotBlank();
            assertThat(chat.callback().eventsOf(CallbackEvent.FileStatus.class)).extracting(CallbackEvent.FileStatus::status)
                    .containsExactly(FileUploadStatus.accepted("f-notes.txt"));
        }
    }

    @Nested
    @DisplayName("Resilience")
    class Resilience {

        @Test
        @DisplayName("An unanswered echo health check drops the socket: Disconnected(true), reconnect, Disconnected(false)")
        void healthCheck() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingHealthCheckInterval", "150ms")));
            var chat = h.joined();
            chat.session().ignoreEchoes(true);
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            chat.session().ignoreEchoes(false);
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(false)),
                    "Disconnected(false)", WAIT);
        }

        @Test
        @DisplayName("Messages missed while the socket was down come from the history over several pages, in order, each once")
        void historyCatchUp() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingHistoryPageSize", "2")));
            var chat = h.joined();
            String seen = chat.session().agentSends("before");
            chat.callback().awaitEvent(messageWithId(seen), "before", WAIT);
            chat.session().dropConnection();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            List<String> missed = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                missed.add(chat.session().agentSends("missed " + i));
            }
            chat.session().restoreConnection();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(false)),
                    "Disconnected(false)", WAIT);
            List<String> ids = afterGreeting(chat.callback().messages()).stream().map(AgentMessage::id).toList();
            List<String> expected = new ArrayList<>(List.of(seen));
            expected.addAll(missed);
            assertThat(ids).containsExactlyElementsOf(expected);
        }

        @Test
        @DisplayName("A message Genesys sent just before a later one that did arrive, then lost with the socket, comes from the history")
        void lostBehindADeliveredMessage() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().loseNextOutbound(1);
            String lost = chat.session().agentSends("sent, never arrived live");
            String arrived = chat.session().agentSends("arrived live");
            chat.callback().awaitEvent(messageWithId(arrived), "the message that arrived", WAIT);
            chat.session().dropConnection();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            chat.session().restoreConnection();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(false)),
                    "Disconnected(false)", WAIT);
            chat.callback().awaitEvent(messageWithId(lost), "the lost message, from the history", WAIT);
            assertThat(afterGreeting(chat.callback().messages())).extracting(AgentMessage::id).containsExactly(arrived, lost);
        }

        @Test
        @DisplayName("A message whose echo was lost with the socket is confirmed from the history, not sent twice")
        void lostEchoConfirmedFromHistory() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().dropConnection();
            CompletionStage<Void> send = chat.desk().sendMessageToAgent(new UserMessage("during", "sent during the outage"));
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            chat.session().restoreConnection();
            await(send);
            assertThat(chat.session().userTexts()).filteredOn("sent during the outage"::equals).hasSize(1);
        }

        @Test
        @DisplayName("SessionExpiredEvent ends the chat with agentEndedChat")
        void sessionExpired() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().expire();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        }

        @Test
        @DisplayName("ConnectionClosedEvent (session opened elsewhere) ends this chat with agentEndedChat")
        void connectionClosedElsewhere() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().openedElsewhere();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
        }

        @Test
        @DisplayName("LogoutEvent (the authenticated user was logged out) ends the chat with agentEndedChat")
        void logoutEnds() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().logout();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
            Throwable failure = awaitFailure(chat.desk().sendMessageToAgent(new UserMessage("after-logout", "hello?")));
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
        }

        @Test
        @DisplayName("A socket that stays down longer than genesys.webMessagingReconnectTimeout ends the chat, without Disconnected(false)")
        void reconnectTimeout() {
            WebMessagingHarness h = harness(WebMessagingHarness.start(Map.of("genesys.webMessagingReconnectTimeout", "400ms",
                    "genesys.webMessagingReconnectBackoffMax", "100ms")));
            var chat = h.joined();
            chat.session().dropConnection();
            long dropped = System.nanoTime();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat after the reconnect timeout", WAIT);
            assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                    .containsExactly(new ErrorInfo.Disconnected(true));
            assertThat(h.simulator.receivedFrames()).filteredOn(f -> f.path("action").asText().equals("configureSession"))
                    .as("reconnect attempts were made before giving up").hasSizeGreaterThan(1);
        }

        @Test
        @DisplayName("A connection closed without a close frame right behind an agent message is noticed every time, and the message arrives once (20 closes)")
        void closedRightBehindMessages() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                sent.add(chat.session().agentSends("message " + i));
                chat.session().closeWithoutCloseFrame();
                int round = i;
                awaitTrue(() -> chat.callback().count(e -> e instanceof CallbackEvent.ErrorStatus s
                        && s.error().equals(new ErrorInfo.Disconnected(true))) == round, "close " + i + " noticed");
                chat.session().restoreConnection();
                awaitTrue(() -> chat.callback().count(e -> e instanceof CallbackEvent.ErrorStatus s
                        && s.error().equals(new ErrorInfo.Disconnected(false))) == round, "reconnect " + i);
                chat.callback().awaitEvent(messageWithId(sent.get(i - 1)), "message " + i, WAIT);
            }
            assertThat(afterGreeting(chat.callback().messages())).extracting(AgentMessage::id).containsExactlyElementsOf(sent);
        }

        @Test
        @DisplayName("A session that expired while the socket was down (4006) ends the chat instead of reconnecting forever")
        void expiredWhileDown() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            chat.session().dropConnection();
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.ErrorStatus s && s.error().equals(new ErrorInfo.Disconnected(true)),
                    "Disconnected(true)", WAIT);
            chat.session().expire();
            chat.session().restoreConnection();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
        }

        @Test
        @DisplayName("reconnect() of a session Genesys does not know (4007) answers false")
        void unknownSession() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            var chat = h.joined();
            var state = chat.callback().lastPersistedState().orElseThrow();
            chat.session().expire();
            chat.callback().awaitEvent(agentEnded(), "agentEndedChat", WAIT);
            assertThat(await(h.resumedChat(state).desk().reconnect())).isFalse();
        }
    }

    @Nested
    @DisplayName("Availability")
    class Availability {

        @Test
        @DisplayName("areAnyAgentsOnline asks the platform API (OAuth, queue by name, observations): ONLINE, then OFFLINE")
        void agentsOnline() {
            WebMessagingHarness h = harness(WebMessagingHarness.withPlatform(Map.of()));
            assertThat(h.factory.capabilities()).contains(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS);
            var desk = h.newChat().desk();
            assertThat(await(desk.areAnyAgentsOnline(request()))).isEqualTo(AgentsOnline.ONLINE);
            h.platform.orElseThrow().defaultQueue().setAgentsOnline(false);
            // The queue figures are shared for genesys.availabilityRefreshInterval: OFFLINE once they are refreshed.
            awaitTrue(() -> await(desk.areAnyAgentsOnline(request())) == AgentsOnline.OFFLINE, "OFFLINE after a refresh");
            GenesysSimulator platform = h.platform.orElseThrow();
            assertThat(platform.requests(r -> r.path().equals("/api/v2/analytics/queues/observations/query"))).hasSizeGreaterThanOrEqualTo(2);
            assertThat(platform.requests(r -> r.path().equals("/api/v2/routing/queues"))).first()
                    .satisfies(r -> assertThat(r.queryParameter("name")).contains(GenesysSimulator.DEFAULT_QUEUE_NAME));
        }

        @Test
        @DisplayName("areAnyAgentsOnline answers UNKNOWN when Genesys cannot tell (no such queue)")
        void agentsOnlineUnknown() {
            WebMessagingHarness h = harness(WebMessagingHarness.withPlatform(Map.of("genesys.queueName", "No Such Queue")));
            assertThat(await(h.newChat().desk().areAnyAgentsOnline(request()))).isEqualTo(AgentsOnline.UNKNOWN);
        }

        @Test
        @DisplayName("While the user waits, the queue's waiting count and estimated wait are reported and refreshed, until an agent joins")
        void queueStatusUntilJoin() {
            WebMessagingHarness h = harness(WebMessagingHarness.withPlatform(Map.of()));
            var queue = h.platform.orElseThrow().defaultQueue();
            queue.setWaiting(3);
            queue.setEstimatedWait(Optional.of(Duration.ofSeconds(95)));
            var chat = h.started(request());
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.AvailabilityUpdated a
                    && a.availability().positionInQueue().equals(OptionalInt.of(3))
                    && a.availability().estimatedWait().equals(Optional.of(Duration.ofSeconds(95))), "3 waiting, 95 s", WAIT);
            queue.setWaiting(2);
            chat.callback().awaitEvent(e -> e instanceof CallbackEvent.AvailabilityUpdated a
                    && a.availability().positionInQueue().equals(OptionalInt.of(2)), "the refreshed count", WAIT);
            chat.session().botSends("A bot message does not end the wait");
            int before = chat.callback().eventsOf(CallbackEvent.AvailabilityUpdated.class).size();
            awaitTrue(() -> chat.callback().eventsOf(CallbackEvent.AvailabilityUpdated.class).size() > before, "refreshes after a bot message");
            chat.session().agentJoins("Ada", Optional.empty());
            chat.callback().awaitEvent(agentJoined(), "agentJoined", WAIT);
            int atJoin = chat.callback().indexOf(agentJoined(), 0).orElseThrow();
            String id = chat.session().agentSends("Hello");
            chat.callback().awaitEvent(messageWithId(id), "the agent's message", WAIT);
            long quietUntil = System.nanoTime() + Duration.ofMillis(600).toNanos();
            awaitTrue(() -> System.nanoTime() > quietUntil, "four refresh intervals");
            assertThat(chat.callback().indexOf(e -> e instanceof CallbackEvent.AvailabilityUpdated, atJoin)).isEmpty();
            assertThat(h.platform.orElseThrow().requests(r -> r.path().endsWith("/estimatedwaittime"))).allSatisfy(
                    r -> assertThat(r.queryParameter("conversationId")).isEmpty());
        }

        @Test
        @DisplayName("Without client credentials, neither AGENTS_ONLINE nor QUEUE_STATUS is declared, and areAnyAgentsOnline is refused")
        void withoutCredentials() {
            WebMessagingHarness h = harness(WebMessagingHarness.start());
            assertThat(h.factory.capabilities()).doesNotContain(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS);
            Throwable failure = awaitFailure(h.newChat().desk().areAnyAgentsOnline(request()));
            assertThat(failure).isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("AGENTS_ONLINE");
            var chat = h.joined();
            assertThat(chat.callback().eventsOf(CallbackEvent.AvailabilityUpdated.class)).isEmpty();
        }

        @Test
        @DisplayName("The provider declares for a configuration what the web messaging desk of that configuration declares")
        void providerTellsTheTruth() {
            GenesysServiceDeskProvider provider = new GenesysServiceDeskProvider();
            // Capabilities come from the desk's typed settings: each configuration here is one the desk starts with.
            Map<String, String> base = Map.of("genesys.transport", "web-messaging", "genesys.deploymentId", "d-1",
                    "genesys.environment", "mypurecloud.com");
            Map<String, String> withCredentials = new java.util.HashMap<>(base);
            withCredentials.putAll(Map.of("genesys.clientId", "id", "genesys.clientSecret", "secret", "genesys.organizationId", "o-1",
                    "genesys.queueName", "Support"));
            assertThat(provider.capabilities(Configuration.of(base))).isEqualTo(WebMessagingCapabilities.BASE);
            assertThat(provider.capabilities(Configuration.of(withCredentials)))
                    .contains(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS).containsAll(WebMessagingCapabilities.BASE);
            WebMessagingHarness plain = harness(WebMessagingHarness.start());
            WebMessagingHarness credentials = harness(WebMessagingHarness.withPlatform(Map.of()));
            assertThat(plain.factory.capabilities()).isEqualTo(provider.capabilities(Configuration.of(base)));
            assertThat(credentials.factory.capabilities()).isEqualTo(provider.capabilities(Configuration.of(withCredentials)));
        }
    }

    @Nested
    @DisplayName("Authentication")
    class Authentication {

        @Test
        @DisplayName("An authenticated deployment with no code source bound refuses the chat clearly, before any socket opens")
        void refusedWithoutCodeSource() {
            WebMessagingHarness h = harness(new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withAuthentication(Set.of("good")),
                    Map.of("genesys.authenticatedChat", "true"), Optional.empty()));
            var chat = h.newChat();
            Throwable failure = awaitFailure(chat.desk().startChat(request(), StartChatOptions.forUser(new UserIdentity("u-1"))));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("WebMessagingAuthCodeSource");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
            assertThat(chat.callback().eventsOf(CallbackEvent.ErrorStatus.class)).extracting(CallbackEvent.ErrorStatus::error)
                    .first().isInstanceOf(ErrorInfo.Connecting.class);
        }

        @Test
        @DisplayName("An authenticated chat without a verified user does not start")
        void refusedWithoutUser() {
            WebMessagingHarness h = harness(new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withAuthentication(Set.of("good")),
                    Map.of("genesys.authenticatedChat", "true"), Optional.empty()));
            var chat = h.newChat();
            Throwable failure = awaitFailure(chat.desk().startChat(request(), StartChatOptions.none()));
            assertThat(failure).hasMessageContaining("verifiedUser");
        }

        @Test
        @DisplayName("With the application's code source, configureAuthenticatedSession carries its Genesys JWT and the chat starts")
        void authenticatedSession() {
            String good = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl";
            String bad = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTIifQ.c2lnbmF0dXJl";
            List<String> asked = new CopyOnWriteArrayList<>();
            WebMessagingAuthCodeSource codes = (user, chatId) -> {
                asked.add(user.id());
                return CompletableFuture.completedFuture(user.id().equals("u-1") ? good : bad);
            };
            WebMessagingHarness h = harness(new WebMessagingHarness(WebMessagingHarness.defaultDeployment().withAuthentication(Set.of(good)),
                    Map.of("genesys.authenticatedChat", "true"), Optional.of(b -> b.bind(WebMessagingAuthCodeSource.class).toInstance(codes))));
            var chat = h.newChat();
            await(chat.desk().startChat(request(), StartChatOptions.forUser(new UserIdentity("u-1"))));
            JsonNode configure = h.simulator.receivedFrames().get(0);
            assertThat(configure.path("action").asText()).isEqualTo("configureAuthenticatedSession");
            assertThat(configure.path("data").path("code").asText()).isEqualTo(good);
            assertThat(asked).containsExactly("u-1");

            var other = h.newChat();
            Throwable failure = awaitFailure(other.desk().startChat(request(), StartChatOptions.forUser(new UserIdentity("u-2"))));
            assertThat(failure).isInstanceOf(WebMessagingException.class);
            assertThat(((WebMessagingException) failure).code()).isEqualTo(401);
        }

        @Test
        @DisplayName("A code source that answers a raw OAuth code instead of Genesys's JWT fails the start clearly, before Genesys sees it")
        void rawOAuthCodeRefused() {
            WebMessagingAuthCodeSource codes = (user, chatId) -> CompletableFuture.completedFuture("raw-oauth-authorization-code");
            WebMessagingHarness h = harness(new WebMessagingHarness(
                    WebMessagingHarness.defaultDeployment().withAuthentication(Set.of("raw-oauth-authorization-code")),
                    Map.of("genesys.authenticatedChat", "true"), Optional.of(b -> b.bind(WebMessagingAuthCodeSource.class).toInstance(codes))));
            Throwable failure = awaitFailure(h.newChat().desk().startChat(request(), StartChatOptions.forUser(new UserIdentity("u-1"))));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("oauthcodegrantjwtexchange");
            assertThat(h.simulator.receivedFrames()).noneMatch(f -> f.path("action").asText().equals("configureAuthenticatedSession"));
        }
    }
}

package io.deskbridge.genesys.guestchat;

import static io.deskbridge.genesys.guestchat.SimulatedGenesys.await;
import static io.deskbridge.genesys.guestchat.SimulatedGenesys.failure;
import static io.deskbridge.genesys.guestchat.SimulatedGenesys.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.genesys.guestchat.SimulatedGenesys.TestChat;
import io.deskbridge.genesys.simulator.GenesysSimulatorMain;
import io.deskbridge.genesys.simulator.RecordedRequest;
import io.deskbridge.genesys.simulator.RequestFault;
import io.deskbridge.genesys.simulator.GuestChatDeployment;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.AgentsOnline;
import io.deskbridge.spi.ChatState;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.StartChatOptions;
import io.deskbridge.spi.UserIdentity;
import io.deskbridge.spi.UserMessage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The guest chat desk against the Genesys simulator: the exact requests it sends (paths, headers, bodies, order),
 * and each behaviour of the seed checklist, item by item.
 */
@DisplayName("Genesys guest chat protocol")
class GuestChatProtocolTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONVERSATIONS = "/api/v2/webchat/guest/conversations";

    private SimulatedGenesys genesys;

    @AfterEach
    void stop() {
        if (genesys != null) {
            List<String> violations = genesys.violations();
            genesys.close();
            assertThat(violations).as("contract violations").isEmpty();
        }
    }

    private SimulatedGenesys genesys(Consumer<io.deskbridge.genesys.simulator.GenesysSimulatorBuilder> setup,
            Consumer<Map<String, String>> configure) {
        genesys = SimulatedGenesys.start(setup, configure);
        return genesys;
    }

    private SimulatedGenesys genesys() {
        return genesys(b -> { }, c -> { });
    }

    private static JsonNode json(RecordedRequest request) {
        try {
            return JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + request.body(), e);
        }
    }

    private static <T extends CallbackEvent> java.util.function.Predicate<CallbackEvent> is(Class<T> type) {
        return type::isInstance;
    }

    private static java.util.function.Predicate<CallbackEvent> error(java.util.function.Predicate<ErrorInfo> test) {
        return e -> e instanceof CallbackEvent.ErrorStatus s && test.test(s.error());
    }

    @Nested
    @DisplayName("Starting a chat (seed steps 4 and 5)")
    class Starting {

        @Test
        @DisplayName("Create with routing target and member info, no credentials; then the event stream; then the connect summary as first message")
        void createStreamSummary() {
            genesys(b -> { }, c -> {
                c.put("genesys.skills", "Billing,English");
                c.put("genesys.language", "English");
                c.put("genesys.priority", "2");
            });
            TestChat chat = genesys.newChat();
            await(chat.desk.updateState(new ChatState(Optional.of("u-42"), Optional.of("Jane Doe"), Optional.of("sess-7"), Optional.of("en-GB"))));
            chat.start(new ConnectRequest(Optional.of("billing"), Optional.of("The user asks about an invoice"), Map.of("customerId", "59606")),
                    new StartChatOptions(Optional.empty(), Optional.of("shk-1"), Map.of()));

            List<RecordedRequest> all = genesys.simulator.requests();
            RecordedRequest create = all.get(0);
            assertThat(create.line()).isEqualTo("POST " + CONVERSATIONS);
            assertThat(create.header("Authorization")).isEmpty();
            assertThat(create.header("Content-Type")).contains("application/json");
            JsonNode body = json(create);
            assertThat(body.get("organizationId").asText()).isEqualTo(genesys.simulator.organizationId());
            assertThat(body.get("deploymentId").asText()).isEqualTo(genesys.simulator.defaultDeployment().id());
            JsonNode target = body.get("routingTarget");
            assertThat(target.get("targetType").asText()).isEqualTo("QUEUE");
            assertThat(target.get("targetAddress").asText()).isEqualTo(genesys.simulator.defaultQueue().name());
            assertThat(target.get("skills")).extracting(JsonNode::asText).containsExactly("Billing", "English");
            assertThat(target.get("language").asText()).isEqualTo("English");
            assertThat(target.get("priority").asInt()).isEqualTo(2);
            JsonNode member = body.get("memberInfo");
            assertThat(member.get("displayName").asText()).isEqualTo("Jane Doe");
            assertThat(chat.conversation.guestDisplayName()).isEqualTo("Jane Doe");
            assertThat(chat.conversation.guestCustomFields()).containsEntry("topic", "billing").containsEntry("sessionHistoryKey", "shk-1")
                    .containsEntry("sessionId", "sess-7").containsEntry("locale", "en-GB").containsEntry("customerId", "59606")
                    .containsEntry("deskbridgeChatId", chat.id);
            assertThat(body.has("memberAuthToken")).isFalse();

            int streamAt = indexOf(all, r -> r.server() == RecordedRequest.Server.EVENT_STREAM);
            int summaryAt = indexOf(all, r -> r.line().equals("POST " + CONVERSATIONS + "/" + chat.conversation.id() + "/members/"
                    + chat.conversation.guestMemberId() + "/messages"));
            assertThat(streamAt).isGreaterThan(0).isLessThan(summaryAt);
            assertThat(all.get(streamAt).path()).isEqualTo(chat.conversation.eventStreamUri().getPath());
            RecordedRequest summary = all.get(summaryAt);
            assertThat(summary.header("Authorization")).contains("Bearer " + chat.conversation.jwt());
            assertThat(json(summary).get("body").asText()).isEqualTo("The user asks about an invoice\nTopic: billing");
            assertThat(json(summary).get("bodyType").asText()).isEqualTo("standard");
            assertThat(chat.conversation.guestMessages()).containsExactly("The user asks about an invoice\nTopic: billing");
            assertThat(chat.count(is(CallbackEvent.AgentJoined.class))).isZero();
        }

        @Test
        @DisplayName("Member info: first and last name and phone number from the routing attributes of those names, the email of the verified "
                + "user; the custom fields also carry the email and the topic as the chat widget names them (email, subject)")
        void memberInfoFields() {
            genesys();
            TestChat chat = genesys.newChat().start(new ConnectRequest(Optional.of("billing"), Optional.of("help"),
                    Map.of("firstName", "Ada", "lastName", "Lovelace", "phoneNumber", "+15555550100", "email", "other@example.com")),
                    StartChatOptions.forUser(new UserIdentity("u-1", Optional.of("Ada Lovelace"), Optional.of("ada@example.com"))));
            List<RecordedRequest> creates = genesys.simulator.requests(r -> r.line().equals("POST " + CONVERSATIONS));
            JsonNode member = json(creates.get(0)).get("memberInfo");
            assertThat(member.get("firstName").asText()).isEqualTo("Ada");
            assertThat(member.get("lastName").asText()).isEqualTo("Lovelace");
            assertThat(member.get("phoneNumber").asText()).isEqualTo("+15555550100");
            assertThat(member.get("email").asText()).isEqualTo("ada@example.com");
            assertThat(member.has("avatarImageUrl")).isFalse();
            assertThat(chat.conversation.guestCustomFields()).containsEntry("subject", "billing").containsEntry("topic", "billing")
                    .containsEntry("email", "other@example.com"); // the application's own attribute is kept

            TestChat plain = genesys.newChat().start();
            JsonNode bare = json(genesys.simulator.requests(r -> r.line().equals("POST " + CONVERSATIONS)).get(1)).get("memberInfo");
            assertThat(bare.has("firstName")).isFalse();
            assertThat(bare.has("phoneNumber")).isFalse();
            assertThat(bare.has("email")).isFalse();
            assertThat(plain.conversation.guestCustomFields()).containsEntry("subject", "billing").doesNotContainKey("email");
        }

        @Test
        @DisplayName("The display name falls back to the user id, then to \"Guest\"; the verified user's name comes first")
        void displayNameFallbacks() {
            genesys();
            TestChat anonymous = genesys.newChat().start();
            assertThat(anonymous.conversation.guestDisplayName()).isEqualTo("Guest");
            TestChat known = genesys.newChat();
            await(known.desk.updateState(ChatState.empty().withUserId("user-7")));
            known.start();
            assertThat(known.conversation.guestDisplayName()).isEqualTo("user-7");
            TestChat verified = genesys.newChat();
            await(verified.desk.updateState(ChatState.empty().withDisplayName("Nick")));
            verified.start(ConnectRequest.empty(), StartChatOptions.forUser(new UserIdentity("u-1", Optional.of("Ada Lovelace"), Optional.empty())));
            assertThat(verified.conversation.guestDisplayName()).isEqualTo("Ada Lovelace");
            assertThat(verified.conversation.guestMessages()).as("no summary without topic or message").isEmpty();
        }

        @Test
        @DisplayName("Once started, the state to resume (conversation, member, JWT, stream URI) is persisted, without the client secret")
        void persistedState() {
            genesys();
            TestChat chat = genesys.newChat().start();
            PersistedState state = chat.recording.lastPersistedState().orElseThrow();
            assertThat(state.values()).containsEntry("conversationId", chat.conversation.id())
                    .containsEntry("memberId", chat.conversation.guestMemberId())
                    .containsEntry("jwt", chat.conversation.jwt())
                    .containsEntry("eventStreamUri", chat.conversation.eventStreamUri().toString());
            assertThat(state.values().values()).noneMatch(v -> v.contains(io.deskbridge.genesys.simulator.GenesysSimulator.DEFAULT_CLIENT_SECRET));
            assertThat(state.sizeInChars()).isLessThan(PersistedState.RECOMMENDED_MAX_CHARS);
        }
    }

    @Nested
    @DisplayName("Events (seed steps 7 to 9)")
    class Events {

        @Test
        @DisplayName("The agent joins with nickname and avatar from GET member, read once per member")
        void agentProfile() {
            genesys();
            TestChat chat = genesys.newChat().start();
            chat.conversation.agentJoins("agent-1", "Alex Agent", URI.create("https://cdn.example.com/alex.png"));
            CallbackEvent joined = chat.awaitEvent(is(CallbackEvent.AgentJoined.class), "agentJoined");
            assertThat(((CallbackEvent.AgentJoined) joined).agent())
                    .isEqualTo(new AgentProfile("agent-1", "Alex Agent", Optional.of(URI.create("https://cdn.example.com/alex.png"))));
            chat.conversation.agentTypes();
            String first = chat.conversation.agentSends("Hello");
            String second = chat.conversation.agentSends("How can I help?");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(second), "second message");
            assertThat(chat.recording.messages()).extracting(AgentMessage::id).containsSubsequence(first, second);
            assertThat(chat.recording.messages()).filteredOn(m -> m.id().equals(first)).singleElement()
                    .satisfies(m -> assertThat(m.agentId()).contains("agent-1"));
            assertThat(genesys.requests("GET", "/members/agent-1")).hasSize(1);
            assertThat(genesys.requests("GET", "/members/agent-1").get(0).header("Authorization"))
                    .contains("Bearer " + chat.conversation.jwt());
        }

        @Test
        @DisplayName("Heartbeats, malformed frames and unknown events are skipped; notices reach the user as system messages")
        void robustStream() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.sendHeartbeat();
            chat.conversation.sendMalformedFrame();
            chat.conversation.sendUnknownEvent();
            String notice = chat.conversation.sendNotice("This chat is recorded");
            String text = chat.conversation.agentSends("Still here");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(text), "the message after bad frames");
            assertThat(chat.recording.messages()).filteredOn(m -> m.id().equals(notice)).singleElement()
                    .satisfies(m -> assertThat(m.origin()).isEqualTo(MessageOrigin.SYSTEM));
            assertThat(chat.count(is(CallbackEvent.AgentEnded.class))).isZero();
        }

        @Test
        @DisplayName("A transfer: begin transfer naming the new agent, the first agent leaves, the new agent joins")
        void transfer() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.transferTo(new io.deskbridge.genesys.simulator.GenesysAgent("agent-2", "Sam Second"));
            chat.awaitEvent(is(CallbackEvent.AgentLeft.class), "agentLeftChat");
            chat.conversation.agentJoins("agent-2", "Sam Second");
            chat.awaitEvent(e -> e instanceof CallbackEvent.AgentJoined j && j.agent().id().equals("agent-2"), "the new agent");
            List<CallbackEvent> events = chat.recording.events();
            int transfer = indexOf(events, is(CallbackEvent.TransferStarted.class));
            assertThat(transfer).isNotNegative().isLessThan(indexOf(events, is(CallbackEvent.AgentLeft.class)));
            assertThat(((CallbackEvent.TransferStarted) events.get(transfer)).newAgent()).map(AgentProfile::nickname).contains("Sam Second");
        }

        @Test
        @DisplayName("The agent ends the chat: agentEndedChat once; endChat afterwards sends no DELETE")
        void agentEnds() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.agentEndsChat();
            chat.awaitEvent(is(CallbackEvent.AgentEnded.class), "agentEndedChat");
            chat.end();
            assertThat(chat.count(is(CallbackEvent.AgentEnded.class))).isEqualTo(1);
            assertThat(chat.count(is(CallbackEvent.TransferStarted.class))).isZero();
            assertThat(genesys.requests("DELETE", CONVERSATIONS)).isEmpty();
        }

        @Test
        @DisplayName("Genesys (the flow, or a supervisor) ends the chat while it waits and no agent ever joined: agentEndedChat once, no join, "
                + "no transfer, the queue status stops, endChat afterwards sends no DELETE")
        void endedWhileWaiting() {
            genesys();
            TestChat chat = genesys.newChat().start();
            chat.awaitEvent(is(CallbackEvent.AvailabilityUpdated.class), "the queue status while waiting");
            chat.conversation.agentEndsChat();
            chat.awaitEvent(is(CallbackEvent.AgentEnded.class), "agentEndedChat");
            chat.end();
            assertThat(chat.count(is(CallbackEvent.AgentEnded.class))).isEqualTo(1);
            assertThat(chat.count(is(CallbackEvent.AgentJoined.class))).isZero();
            assertThat(chat.count(is(CallbackEvent.TransferStarted.class))).isZero();
            assertThat(chat.count(is(CallbackEvent.AgentLeft.class))).isZero();
            assertThat(genesys.requests("DELETE", CONVERSATIONS)).isEmpty();
            int endedAt = chat.recording.indexOf(is(CallbackEvent.AgentEnded.class), 0).orElseThrow();
            assertThat(chat.recording.indexOf(is(CallbackEvent.AvailabilityUpdated.class), endedAt)).isEmpty();
        }
    }

    @Nested
    @DisplayName("Sending (seed step 6)")
    class Sending {

        @Test
        @DisplayName("A message is posted once with the guest JWT, however often it is sent")
        void idempotent() {
            genesys();
            TestChat chat = genesys.newChat().start(ConnectRequest.empty(), StartChatOptions.none());
            UserMessage message = new UserMessage("m-1", "Where is my invoice?");
            await(chat.desk.sendMessageToAgent(message));
            await(chat.desk.sendMessageToAgent(message));
            List<RecordedRequest> posts = genesys.requests("POST", "/messages");
            assertThat(posts).hasSize(1);
            assertThat(posts.get(0).path()).isEqualTo(CONVERSATIONS + "/" + chat.conversation.id() + "/members/"
                    + chat.conversation.guestMemberId() + "/messages");
            assertThat(posts.get(0).header("Authorization")).contains("Bearer " + chat.conversation.jwt());
            assertThat(json(posts.get(0)).toString()).isEqualTo("{\"body\":\"Where is my invoice?\",\"bodyType\":\"standard\"}");
            assertThat(chat.conversation.guestMessages()).containsExactly("Where is my invoice?");
        }

        @Test
        @DisplayName("A message over 4,000 characters fails with a clear UserMessage error and never reaches Genesys")
        void tooLong() {
            genesys();
            TestChat chat = genesys.newChat().start(ConnectRequest.empty(), StartChatOptions.none());
            Throwable failure = failure(chat.desk.sendMessageToAgent(new UserMessage("long", "x".repeat(4001))));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("4001 characters");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.VENDOR_REJECTED);
            CallbackEvent error = chat.awaitEvent(error(e -> e instanceof ErrorInfo.UserMessage u && u.messageId().equals("long")), "UserMessage error");
            assertThat(((ErrorInfo.UserMessage) ((CallbackEvent.ErrorStatus) error).error()).reason()).contains("4,000 characters");
            assertThat(genesys.requests("POST", "/messages")).isEmpty();
            await(chat.desk.sendMessageToAgent(new UserMessage("ok", "x".repeat(4000))));
        }

        @Test
        @DisplayName("A send Genesys refuses because the chat is over fails cleanly, saying the chat has ended")
        void conversationStateError() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.failNextGuestMessage(400, "chat.error.conversation.state", "conversation is in a state which does not permit this action");
            Throwable failure = failure(chat.desk.sendMessageToAgent(new UserMessage("m-9", "hello?")));
            assertThat(failure).hasMessageContaining("chat.error.conversation.state");
            CallbackEvent error = chat.awaitEvent(error(e -> e instanceof ErrorInfo.UserMessage u && u.messageId().equals("m-9")), "UserMessage");
            assertThat(((ErrorInfo.UserMessage) ((CallbackEvent.ErrorStatus) error).error()).reason()).isEqualTo(GuestChatErrors.USER_ENDED);
            await(chat.desk.sendMessageToAgent(new UserMessage("m-9", "hello?")));
            assertThat(chat.conversation.guestMessages()).contains("hello?");
        }

        @Test
        @DisplayName("401 on a send (the guest's JWT expired): the chat is over, the user is told it ended; ending the chat then succeeds")
        void expiredGuestTokenOnSend() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.failNextGuestMessage(401, "credentials.expired", "The guest's credentials have expired");
            Throwable failure = failure(chat.desk.sendMessageToAgent(new UserMessage("m-7", "hello?")));
            assertThat(failure).hasMessageContaining("The chat has ended at Genesys").hasMessageContaining("credentials.expired");
            CallbackEvent error = chat.awaitEvent(error(e -> e instanceof ErrorInfo.UserMessage u && u.messageId().equals("m-7")), "UserMessage");
            assertThat(((ErrorInfo.UserMessage) ((CallbackEvent.ErrorStatus) error).error()).reason()).isEqualTo(GuestChatErrors.USER_ENDED);
            chat.conversation.expireGuestToken();
            chat.end();
        }

        @Test
        @DisplayName("User typing posts a typing indicator, at most once per interval; stopping posts nothing")
        void typingThrottled() {
            genesys();
            TestChat chat = genesys.newChat().start(ConnectRequest.empty(), StartChatOptions.none());
            await(chat.desk.userTyping(true));
            await(chat.desk.userTyping(true));
            await(chat.desk.userTyping(false));
            await(chat.desk.userTyping(true));
            List<RecordedRequest> typing = genesys.requests("POST", "/typing");
            assertThat(typing).hasSize(1);
            assertThat(typing.get(0).path()).isEqualTo(CONVERSATIONS + "/" + chat.conversation.id() + "/members/"
                    + chat.conversation.guestMemberId() + "/typing");
            assertThat(typing.get(0).body()).isEmpty();
            assertThat(typing.get(0).header("Content-Type")).as("as the guest chat SDK sends it").contains("application/json");
            assertThat(chat.conversation.guestTypingCount()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("Ending (seed step 8)")
    class Ending {

        @Test
        @DisplayName("endChat deletes the guest member with the JWT, once; nothing is called back afterwards")
        void userEnds() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.end();
            int after = chat.recording.size();
            chat.end();
            List<RecordedRequest> deletes = genesys.requests("DELETE", CONVERSATIONS);
            assertThat(deletes).hasSize(1);
            assertThat(deletes.get(0).path()).isEqualTo(CONVERSATIONS + "/" + chat.conversation.id() + "/members/" + chat.conversation.guestMemberId());
            assertThat(deletes.get(0).header("Authorization")).contains("Bearer " + chat.conversation.jwt());
            assertThat(deletes.get(0).status()).isEqualTo(204);
            waitUntil(chat.conversation::endedByGuest, "the simulator to see the guest leave");
            assertThat(chat.recording.size()).isEqualTo(after);
            assertThat(chat.count(is(CallbackEvent.AgentEnded.class))).isZero();
        }

        @Test
        @DisplayName("Ending a chat Genesys already ended (400 chat.error.conversation.state) is not an error")
        void alreadyEnded() {
            genesys();
            TestChat chat = genesys.newChat().start();
            genesys.simulator.injectFault(RequestFault.of(400, "chat.error.conversation.state", "conversation is in a state which does not permit this action")
                    .forRequests("DELETE", CONVERSATIONS));
            chat.end();
        }
    }

    @Nested
    @DisplayName("Errors (seed step 11)")
    class Errors {

        private void refused(Consumer<io.deskbridge.genesys.simulator.GenesysSimulatorBuilder> setup, Consumer<Map<String, String>> configure,
                Runnable fault, ServiceDeskException.Kind kind, String inMessage, String toUser) {
            genesys(setup, configure);
            fault.run();
            TestChat chat = genesys.newChat();
            Throwable failure = chat.startFailure(ConnectRequest.of("billing", "hello"), StartChatOptions.none());
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining(inMessage);
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(kind);
            assertThat(chat.recording.events()).anyMatch(error(e -> e instanceof ErrorInfo.Connecting c && c.messageToUser().equals(Optional.of(toUser))));
            assertThat(chat.count(error(e -> e instanceof ErrorInfo.Disconnected))).isZero();
        }

        @Test
        @DisplayName("400 chat.deployment.require.auth: the deployment needs authenticated chats")
        void requireAuth() {
            refused(b -> b.deployment(GuestChatDeployment.open(GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID).requiringAuthentication()),
                    c -> c.remove("genesys.authenticatedChat"), () -> { }, ServiceDeskException.Kind.CONFIGURATION,
                    "requires authenticated chats: set genesys.authenticatedChat=true", GuestChatErrors.USER_SIGN_IN);
        }

        @Test
        @DisplayName("400 chat.deployment.bad.auth: Genesys refused the signed-data token")
        void badAuth() {
            refused(b -> { }, c -> { }, () -> genesys.simulator.injectFault(RequestFault.of(400, "chat.deployment.bad.auth",
                    "The memberAuthToken was not accepted.")
                    .forRequests("POST", CONVERSATIONS)), ServiceDeskException.Kind.VENDOR_REJECTED,
                    "rejected the chat's authentication token", "We could not verify your identity for the chat.");
        }

        @Test
        @DisplayName("400 chat.error.invalid.queue: the configured queue is named in the error")
        void invalidQueue() {
            refused(b -> b.queue("Web Chat Queue").queue("Other"), c -> c.put("genesys.queueName", "No Such Queue"), () -> { },
                    ServiceDeskException.Kind.CONFIGURATION, "queue 'No Such Queue' (genesys.queueName)", GuestChatErrors.USER_UNAVAILABLE);
        }

        @Test
        @DisplayName("The create call's 400 codes for a request as configured (bad request, routing target, invalid property or value, "
                + "constraint validation) are CONFIGURATION errors naming the keys to check")
        void configurationCodes() {
            for (String code : List.of("chat.error.bad.request", "chat.error.createconversationrequest.routingtarget", "invalid.property",
                    "invalid.value", "constraint.validation")) {
                refused(b -> { }, c -> { }, () -> genesys.simulator.injectFault(RequestFault.of(400, code, "Refused: " + code)
                        .forRequests("POST", CONVERSATIONS)), ServiceDeskException.Kind.CONFIGURATION,
                        "genesys.deploymentId and genesys.queueName", GuestChatErrors.USER_CANNOT_START);
                assertThat(genesys.requests("POST", CONVERSATIONS)).as(code + " is not retried").hasSize(1);
                stop();
                genesys = null;
            }
        }

        @Test
        @DisplayName("403 missing.permissions on create: a CONFIGURATION error with Genesys's message")
        void createPermissionMissing() {
            refused(b -> { }, c -> { }, () -> genesys.simulator.injectFault(RequestFault.of(403, "missing.permissions",
                    "Missing permission conversation:webchat:create").forRequests("POST", CONVERSATIONS)),
                    ServiceDeskException.Kind.CONFIGURATION, "Missing permission conversation:webchat:create", GuestChatErrors.USER_CANNOT_START);
        }

        @Test
        @DisplayName("genesys.origin is sent as Origin on create, on every guest request and on the event stream handshake: a deployment "
                + "that restricts its domains accepts the chat")
        void originSent() {
            genesys(b -> b.deployment(GuestChatDeployment.open("5e1e0000-0000-4000-8000-0000000000ef").allowingOrigins("https://shop.example.com")),
                    c -> {
                        c.put("genesys.deploymentId", "5e1e0000-0000-4000-8000-0000000000ef");
                        c.put("genesys.origin", "https://shop.example.com");
                    });
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            await(chat.desk.sendMessageToAgent(new UserMessage("m-1", "hello")));
            RecordedRequest create = genesys.requests("POST", CONVERSATIONS).get(0);
            assertThat(create.header("Origin")).contains("https://shop.example.com");
            assertThat(genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.EVENT_STREAM)).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("Origin")).contains("https://shop.example.com"));
            assertThat(genesys.requests("POST", "/messages")).isNotEmpty().allSatisfy(r -> assertThat(r.header("Origin")).contains("https://shop.example.com"));
        }

        @Test
        @DisplayName("400 chat.deployment.disabled: the deployment is disabled")
        void disabled() {
            refused(b -> b.deployment(GuestChatDeployment.open("5e1e0000-0000-4000-8000-0000000000dd").asDisabled()), c -> { }, () -> { },
                    ServiceDeskException.Kind.CONFIGURATION, "genesys.deploymentId) is disabled", GuestChatErrors.USER_UNAVAILABLE);
        }

        @Test
        @DisplayName("403 origin.not.allowed: the deployment restricts the allowed domains")
        void originNotAllowed() {
            refused(b -> b.deployment(GuestChatDeployment.open("5e1e0000-0000-4000-8000-0000000000ee").allowingOrigins("https://shop.example.com")),
                    c -> { }, () -> { }, ServiceDeskException.Kind.CONFIGURATION, "set genesys.origin", GuestChatErrors.USER_UNAVAILABLE);
        }

        @Test
        @DisplayName("5xx on create is retried with a bounded backoff, then reported as Connecting and VENDOR_UNAVAILABLE")
        void serverErrorsBounded() {
            refused(b -> { }, c -> { }, () -> {
                for (int i = 0; i < 3; i++) {
                    genesys.simulator.injectFault(RequestFault.serviceUnavailable().forRequests("POST", CONVERSATIONS));
                }
            }, ServiceDeskException.Kind.VENDOR_UNAVAILABLE, "HTTP 503", GuestChatErrors.USER_UNAVAILABLE);
            assertThat(genesys.requests("POST", CONVERSATIONS)).hasSize(3); // the first attempt and genesys.maxRetries=2
        }

        @Test
        @DisplayName("429 on create is retried after Retry-After, and the chat starts")
        void rateLimited() {
            genesys();
            genesys.simulator.injectFault(RequestFault.tooManyRequests(1).forRequests("POST", CONVERSATIONS));
            long started = System.nanoTime();
            TestChat chat = genesys.newChat().start();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            List<RecordedRequest> creates = genesys.requests("POST", CONVERSATIONS + "");
            assertThat(creates.stream().filter(r -> r.path().equals(CONVERSATIONS)).map(RecordedRequest::status)).containsExactly(429, 200);
            assertThat(chat.conversation.isRouted()).isTrue();
        }

        @Test
        @DisplayName("A failed user message completes exceptionally and reports UserMessage with its id")
        void failedSend() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.failNextGuestMessage();
            Throwable failure = failure(chat.desk.sendMessageToAgent(new UserMessage("m-1", "hello")));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("chat.error.bad.request");
            chat.awaitEvent(error(e -> e instanceof ErrorInfo.UserMessage u && u.messageId().equals("m-1")), "UserMessage m-1");
        }
    }

    @Nested
    @DisplayName("A dropped event stream, and resuming")
    class Recovery {

        @Test
        @DisplayName("The stream drops: Disconnected(true); it reopens with backoff, catches up after the last message id; Disconnected(false); "
                + "nothing lost or doubled")
        void dropAndCatchUp() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            String before = chat.conversation.agentSends("before the drop");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(before), "first message");
            chat.conversation.dropStream();
            chat.awaitEvent(error(e -> e.equals(new ErrorInfo.Disconnected(true))), "Disconnected(true)");
            String during1 = chat.conversation.agentSends("sent during the outage");
            String during2 = chat.conversation.agentSends("and another");
            chat.conversation.restoreStream();
            chat.awaitEvent(error(e -> e.equals(new ErrorInfo.Disconnected(false))), "Disconnected(false)");
            String after = chat.conversation.agentSends("after the outage");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(after), "the message after");
            assertThat(chat.recording.messages()).extracting(AgentMessage::id).containsExactly(before, during1, during2, after);
            List<RecordedRequest> catchUp = genesys.requests("GET", "/messages");
            assertThat(catchUp).isNotEmpty();
            assertThat(catchUp.get(0).path()).isEqualTo(CONVERSATIONS + "/" + chat.conversation.id() + "/messages");
            assertThat(catchUp.get(0).queryParameter("after")).isPresent();
            assertThat(catchUp.get(0).queryParameter("sortOrder")).contains("ascending");
            assertThat(genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.EVENT_STREAM).size()).isGreaterThanOrEqualTo(2);
        }

        @Test
        @DisplayName("A new chat's event stream that cannot be attached (500 on the handshake) is tried again with backoff, and the chat starts once "
                + "it attaches")
        void startRetriesTheStream() {
            genesys();
            genesys.simulator.failNextStreamHandshakes(2);
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            assertThat(genesys.simulator.failedStreamHandshakes()).isEqualTo(2);
            String message = chat.conversation.agentSends("found you");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(message), "the agent's message");
            assertThat(chat.recording.eventsOf(CallbackEvent.ErrorStatus.class)).isEmpty();
        }

        @Test
        @DisplayName("After genesys.maxRetries failed attempts the start fails with Connecting and the guest leaves the conversation")
        void startGivesUpOnTheStream() {
            genesys(b -> { }, c -> c.put("genesys.maxRetries", "1"));
            genesys.simulator.failNextStreamHandshakes(5);
            TestChat chat = genesys.newChat();
            Throwable failure = chat.startFailure(ConnectRequest.of("billing", "help"), StartChatOptions.none());
            assertThat(failure).isInstanceOf(ServiceDeskException.class);
            assertThat(genesys.simulator.failedStreamHandshakes()).isEqualTo(2);
            chat.awaitEvent(error(e -> e instanceof ErrorInfo.Connecting), "Connecting");
            waitUntil(() -> !genesys.requests("DELETE", "/members/").isEmpty(), "the guest removed from the failed chat");
            genesys.simulator.failNextStreamHandshakes(0);
        }

        @Test
        @DisplayName("A stream closed without a close frame right behind an agent message is noticed every time (not at the idle timeout), and the "
                + "message arrives once (20 closes)")
        void closedRightBehindMessages() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                sent.add(chat.conversation.agentSends("message " + i));
                chat.conversation.closeStreamWithoutCloseFrame();
                long round = i;
                waitUntil(() -> chat.recording.count(e -> e instanceof CallbackEvent.ErrorStatus s
                        && s.error().equals(new ErrorInfo.Disconnected(true))) == round, "close " + i + " noticed");
                chat.conversation.restoreStream();
                waitUntil(() -> chat.recording.count(e -> e instanceof CallbackEvent.ErrorStatus s
                        && s.error().equals(new ErrorInfo.Disconnected(false))) == round, "reconnect " + i);
                String id = sent.get(i - 1);
                chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(id), "message " + i);
            }
            assertThat(chat.recording.messages()).extracting(AgentMessage::id).containsExactlyElementsOf(sent);
        }

        @Test
        @DisplayName("A quiet stream (no heartbeat) is pinged after genesys.streamIdleTimeout and stays up while it answers: no Disconnected, "
                + "no second stream, nothing lost")
        void quietStreamThatAnswersStaysUp() {
            // The ping's answer may take genesys.requestTimeout: 4 s (a busy machine may hold a pong back a while), short
            // enough that an answer not heard would drop the stream well within the quiet below.
            genesys(b -> b.heartbeatInterval(Duration.ofHours(1)), c -> {
                c.put("genesys.streamIdleTimeout", "200ms");
                c.put("genesys.requestTimeout", "4s");
            });
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            // Thirty idle timeouts without a frame: the stream was pinged each time and answered. Without the ping it
            // was dropped after the first; with a pong not heard, after 4.2 s (Disconnected(true), a second stream).
            long quietUntil = System.nanoTime() + Duration.ofMillis(6000).toNanos();
            waitUntil(() -> System.nanoTime() >= quietUntil, "thirty idle timeouts");
            String message = chat.conversation.agentSends("are you still there?");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(message), "the message after the quiet");
            assertThat(chat.recording.events()).noneMatch(e -> e instanceof CallbackEvent.ErrorStatus s && s.error() instanceof ErrorInfo.Disconnected);
            assertThat(genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.EVENT_STREAM)).hasSize(1);
        }

        @Test
        @DisplayName("A stream that cannot be reopened ends the chat after the configured attempts, with a notice")
        void givesUp() {
            genesys(b -> { }, c -> c.put("genesys.streamReconnectAttempts", "2"));
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            chat.conversation.dropStream();
            chat.awaitEvent(is(CallbackEvent.AgentEnded.class), "agentEndedChat after the attempts");
            assertThat(chat.recording.messages()).last().satisfies(m -> assertThat(m.origin()).isEqualTo(MessageOrigin.SYSTEM));
        }

        @Test
        @DisplayName("reconnect() from the persisted state resumes the chat: missed messages once, later ones too")
        void resume() {
            genesys();
            TestChat chat = genesys.newChat().start().join("agent-1", "Alex Agent");
            String seen = chat.conversation.agentSends("seen by the first desk");
            chat.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(seen), "seen");
            waitUntil(() -> chat.recording.lastPersistedState().flatMap(s -> s.get("lastMessageId")).filter(seen::equals).isPresent(),
                    "the last message id persisted");
            PersistedState state = chat.recording.lastPersistedState().orElseThrow();
            String missed = chat.conversation.agentSends("missed while away");
            TestChat resumed = genesys.resumedChat(state);
            resumed.conversation = chat.conversation;
            assertThat(resumed.reconnect()).isTrue();
            resumed.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(missed), "the missed message");
            String later = chat.conversation.agentSends("after the resume");
            resumed.awaitEvent(e -> e instanceof CallbackEvent.MessageToUser m && m.message().id().equals(later), "the later message");
            assertThat(resumed.recording.messages()).extracting(AgentMessage::id).containsExactly(missed, later);
            assertThat(resumed.recording.eventsOf(CallbackEvent.AgentJoined.class)).extracting(j -> j.agent().id()).containsExactly("agent-1");
        }

        @Test
        @DisplayName("reconnect() answers false for a chat that ended, and for an expired guest token")
        void resumeEnded() {
            genesys();
            TestChat ended = genesys.newChat().start().join("agent-1", "Alex Agent");
            PersistedState endedState = ended.recording.lastPersistedState().orElseThrow();
            ended.conversation.agentEndsChat();
            ended.awaitEvent(is(CallbackEvent.AgentEnded.class), "agentEndedChat");
            assertThat(genesys.resumedChat(endedState).reconnect()).isFalse();

            TestChat expired = genesys.newChat().start();
            PersistedState expiredState = expired.recording.lastPersistedState().orElseThrow();
            expired.conversation.expireGuestToken();
            assertThat(genesys.resumedChat(expiredState).reconnect()).isFalse();
            assertThat(genesys.resumedChat(PersistedState.empty()).reconnect()).isFalse();
        }
    }

    @Nested
    @DisplayName("Authentication (seed step 12)")
    class Authentication {

        private void authenticatedGenesys() {
            genesys(b -> b.deployment(GuestChatDeployment.open(GenesysSimulatorMain.AUTHENTICATED_DEPLOYMENT_ID).requiringAuthentication()),
                    c -> c.put("genesys.authenticatedChat", "true"));
        }

        @Test
        @DisplayName("With a verified user: OAuth token, signed data for the user, memberAuthToken in the create call; the chat starts")
        void verifiedUserStarts() {
            authenticatedGenesys();
            TestChat chat = genesys.newChat().start(ConnectRequest.of("billing", "hi"),
                    StartChatOptions.forUser(new UserIdentity("u-1", Optional.of("Ada Lovelace"), Optional.of("ada@example.com"))));
            RecordedRequest token = genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.LOGIN).get(0);
            assertThat(token.line()).isEqualTo("POST /oauth/token");
            assertThat(token.header("Authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
            RecordedRequest signed = genesys.requests("POST", "/api/v2/signeddata").get(0);
            assertThat(signed.header("Authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
            assertThat(json(signed).get("userId").asText()).isEqualTo("u-1");
            assertThat(json(signed).get("authorized").asBoolean()).isTrue();
            JsonNode create = json(genesys.requests("POST", CONVERSATIONS).get(0));
            assertThat(create.get("memberAuthToken").asText()).isNotBlank();
            assertThat(create.get("memberInfo").get("email").asText()).isEqualTo("ada@example.com");
            assertThat(chat.conversation.signedData()).isPresent();
        }

        @Test
        @DisplayName("An OAuth client without the signed data permission: the start fails with a CONFIGURATION error naming Genesys's message")
        void signedDataPermissionMissing() {
            authenticatedGenesys();
            genesys.simulator.injectFault(RequestFault.of(403, "missing.permissions", "Missing permission authentication:signature:create")
                    .forRequests("POST", "/api/v2/signeddata"));
            TestChat chat = genesys.newChat();
            Throwable failure = chat.startFailure(ConnectRequest.of("billing", "hi"),
                    StartChatOptions.forUser(new UserIdentity("u-1", Optional.of("Ada Lovelace"), Optional.empty())));
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("genesys.clientId")
                    .hasMessageContaining("Missing permission authentication:signature:create");
            assertThat(((ServiceDeskException) failure).kind()).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
            chat.awaitEvent(error(e -> e instanceof ErrorInfo.Connecting), "Connecting");
            assertThat(genesys.requests("POST", CONVERSATIONS)).isEmpty();
        }

        @Test
        @DisplayName("Without a verified user the chat does not start, and nothing is sent to Genesys")
        void withoutVerifiedUser() {
            authenticatedGenesys();
            TestChat chat = genesys.newChat();
            Throwable failure = chat.startFailure(ConnectRequest.of("billing", "hi"), StartChatOptions.none());
            assertThat(failure).isInstanceOf(ServiceDeskException.class).hasMessageContaining("verified user");
            assertThat(chat.recording.events()).anyMatch(error(e -> e instanceof ErrorInfo.Connecting c
                    && c.messageToUser().equals(Optional.of(GuestChatErrors.USER_SIGN_IN))));
            assertThat(genesys.simulator.requests()).isEmpty();
        }
    }

    @Nested
    @DisplayName("Availability (seed step 13)")
    class Availability {

        @Test
        @DisplayName("areAnyAgentsOnline: OAuth (cached), queue by name, observations; ONLINE or OFFLINE")
        void agentsOnline() {
            genesys();
            TestChat chat = genesys.newChat();
            assertThat(await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.ONLINE);
            assertThat(await(genesys.newChat().desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.ONLINE);
            assertThat(genesys.requests("POST", "/api/v2/analytics/queues/observations/query")).as("shared by the chats for the refresh interval")
                    .hasSize(1);
            genesys.simulator.defaultQueue().setAgentsOnline(false);
            waitUntil(() -> await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty())) == AgentsOnline.OFFLINE, "OFFLINE after a refresh");
            assertThat(genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.LOGIN)).hasSize(1);
            List<RecordedRequest> lookups = genesys.requests("GET", "/api/v2/routing/queues");
            assertThat(lookups).hasSize(1);
            assertThat(lookups.get(0).queryParameter("name")).contains(genesys.simulator.defaultQueue().name());
            List<RecordedRequest> observations = genesys.requests("POST", "/api/v2/analytics/queues/observations/query");
            assertThat(observations).hasSizeGreaterThanOrEqualTo(2);
            assertThat(json(observations.get(0)).at("/filter/clauses/0/predicates/0/value").asText()).isEqualTo(genesys.simulator.defaultQueue().id());
        }

        @Test
        @DisplayName("Agents on the queue who cannot take a chat (NOT_RESPONDING, COMMUNICATING) count as offline; one INTERACTING is online")
        void onlyAgentsTakingChatsAreOnline() {
            genesys();
            var queue = genesys.simulator.defaultQueue();
            queue.setAgentsOnline(false);
            queue.setAgents(io.deskbridge.genesys.simulator.RoutingStatus.NOT_RESPONDING, 3);
            queue.setAgents(io.deskbridge.genesys.simulator.RoutingStatus.COMMUNICATING, 1);
            TestChat chat = genesys.newChat();
            assertThat(await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.OFFLINE);
            queue.setAgents(io.deskbridge.genesys.simulator.RoutingStatus.INTERACTING, 1);
            waitUntil(() -> await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty())) == AgentsOnline.ONLINE, "ONLINE after a refresh");
        }

        @Test
        @DisplayName("While waiting with no agent taking chats, the status says so")
        void noAgentWhileWaiting() {
            genesys();
            genesys.simulator.defaultQueue().setAgentsOnline(false);
            genesys.simulator.defaultQueue().setAgents(io.deskbridge.genesys.simulator.RoutingStatus.NOT_RESPONDING, 2);
            TestChat chat = genesys.newChat().start();
            chat.awaitEvent(e -> e instanceof CallbackEvent.AvailabilityUpdated a
                    && a.availability().message().equals(Optional.of("No agent is available right now; your chat stays in the queue.")),
                    "the no-agent status");
        }

        @Test
        @DisplayName("An expired OAuth token is replaced after a 401, and the answer still comes")
        void tokenRefreshedOn401() {
            genesys();
            TestChat chat = genesys.newChat();
            assertThat(await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.ONLINE);
            genesys.simulator.expireAccessTokens();
            // The next observation (once the shared one is a refresh interval old) gets the 401.
            waitUntil(() -> {
                assertThat(await(chat.desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.ONLINE);
                return genesys.simulator.requests(r -> r.server() == RecordedRequest.Server.LOGIN).size() == 2;
            }, "a new token after the 401");
        }

        @Test
        @DisplayName("A failing platform API answers UNKNOWN rather than failing")
        void unknownOnFailure() {
            genesys();
            for (int i = 0; i < 3; i++) {
                genesys.simulator.injectFault(RequestFault.serviceUnavailable().forRequests("POST", "/api/v2/analytics"));
            }
            assertThat(await(genesys.newChat().desk.areAnyAgentsOnline(ConnectRequest.empty()))).isEqualTo(AgentsOnline.UNKNOWN);
        }

        @Test
        @DisplayName("Without client credentials the desk declares no AGENTS_ONLINE or QUEUE_STATUS and refuses areAnyAgentsOnline")
        void withoutCredentials() {
            genesys(b -> { }, c -> {
                c.remove("genesys.clientId");
                c.remove("genesys.clientSecret");
            });
            TestChat chat = genesys.newChat();
            assertThat(chat.desk.capabilities()).doesNotContain(io.deskbridge.spi.Capability.AGENTS_ONLINE, io.deskbridge.spi.Capability.QUEUE_STATUS);
            assertThat(failure(chat.desk.areAnyAgentsOnline(ConnectRequest.empty())))
                    .isInstanceOf(io.deskbridge.spi.UnsupportedCapabilityException.class).hasMessageContaining("AGENTS_ONLINE");
        }

        @Test
        @DisplayName("While waiting, the estimated wait and the waiting count are reported and refreshed, until an agent joins")
        void whileWaiting() {
            genesys();
            genesys.simulator.defaultQueue().setEstimatedWait(Optional.of(Duration.ofSeconds(95)));
            TestChat chat = genesys.newChat().start();
            CallbackEvent first = chat.awaitEvent(e -> e instanceof CallbackEvent.AvailabilityUpdated a
                    && a.availability().estimatedWait().equals(Optional.of(Duration.ofSeconds(95))), "the estimated wait");
            assertThat(((CallbackEvent.AvailabilityUpdated) first).availability().positionInQueue()).hasValue(1);
            genesys.simulator.defaultQueue().setWaiting(4);
            chat.awaitEvent(e -> e instanceof CallbackEvent.AvailabilityUpdated a && a.availability().positionInQueue().equals(java.util.OptionalInt.of(4))
                    && a.availability().message().orElse("").contains("4 chats"), "the refreshed waiting count");
            assertThat(genesys.requests("GET", "/estimatedwaittime")).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo("/api/v2/routing/queues/" + genesys.simulator.defaultQueue().id() + "/mediatypes/chat/estimatedwaittime");
                assertThat(r.queryParameter("conversationId")).isEmpty();
            });
            chat.join("agent-1", "Alex Agent");
            int joinedAt = chat.recording.indexOf(is(CallbackEvent.AgentJoined.class), 0).orElseThrow();
            int observed = genesys.requests("POST", "/observations").size();
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(600).toNanos()); // three refresh intervals
            assertThat(chat.recording.indexOf(is(CallbackEvent.AvailabilityUpdated.class), joinedAt)).isEmpty();
            assertThat(genesys.requests("POST", "/observations").size()).isLessThanOrEqualTo(observed + 1);
        }
    }

    private static <T> int indexOf(List<T> items, java.util.function.Predicate<? super T> test) {
        for (int i = 0; i < items.size(); i++) {
            if (test.test(items.get(i))) {
                return i;
            }
        }
        return -1;
    }
}

package io.deskbridge.genesys.guestchat;

import static io.deskbridge.testkit.CallbackMatchers.agentEnded;
import static io.deskbridge.testkit.CallbackMatchers.agentJoined;
import static io.deskbridge.testkit.CallbackMatchers.agentLeft;
import static io.deskbridge.testkit.CallbackMatchers.agentTyping;
import static io.deskbridge.testkit.CallbackMatchers.messageWithId;
import static io.deskbridge.testkit.CallbackMatchers.transferStarted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.deskbridge.core.CallbackEvent;
import io.deskbridge.desk.support.ChatLane;
import io.deskbridge.genesys.guestchat.wire.MemberRole;
import io.deskbridge.genesys.guestchat.wire.MemberState;
import io.deskbridge.genesys.guestchat.wire.WebChatMember;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.MessageOrigin;
import io.deskbridge.testkit.RecordingCallback;
import io.deskbridge.testkit.VirtualScheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event handling rules of the guest chat stream, fed with frames shaped like the captured ones (reference §B.4)
 * and the lifecycle sequences of §B.5.
 */
@DisplayName("Guest chat event handling")
class GuestChatConversationTest {
    static final String CONV = "aa06a6fc-1fdf-4e59-b8a1-df3ca44f523e";
    static final String GUEST = "f3b14049-4631-4b29-b45d-1b2822410cbe";
    static final String WORKFLOW = "0b7d1b2c-workflow";
    static final String ACD = "1c8e2c3d-acd";
    static final String AGENT = "6408f799-973a-436a-9e1a-a75a6ddc46f5";
    static final String AGENT_2 = "7519e8aa-second-agent";
    static final Duration TYPING_TIMEOUT = Duration.ofMillis(300);
    static final Duration DEPARTURE_CHECK = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, WebChatMember> members = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<WebChatMember>> cache = new ConcurrentHashMap<>();
    private final List<String> effects = java.util.Collections.synchronizedList(new ArrayList<>());
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private ChatLane serial;
    private GuestChatConversation.MemberDirectory directory;
    private GuestChatConversation.Effects sink;
    private RecordingCallback recording;
    private GuestChatConversation conversation;
    private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    private int messageCounter;

    @BeforeEach
    void setUp() {
        workers = Executors.newFixedThreadPool(2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        serial = new ChatLane(workers, scheduler);
        recording = new RecordingCallback(Clock.systemUTC(), Duration.ofSeconds(2));
        recording.chatStarting();
        recording.chatStarted();
        member(GUEST, "Jane Doe", null, MemberRole.CUSTOMER, MemberState.CONNECTED);
        member(WORKFLOW, "Inbound flow", null, MemberRole.WORKFLOW, MemberState.CONNECTED);
        member(ACD, null, null, MemberRole.ACD, MemberState.CONNECTED);
        member(AGENT, "Alex Agent", "https://cdn.example.com/alex.png", MemberRole.AGENT, MemberState.CONNECTED);
        member(AGENT_2, "Sam Second", null, MemberRole.AGENT, MemberState.CONNECTED);
        directory = new GuestChatConversation.MemberDirectory() {
            @Override
            public CompletableFuture<WebChatMember> member(String memberId) {
                return cache.computeIfAbsent(memberId, id -> {
                    lookups.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    WebChatMember m = members.get(id);
                    return m == null ? CompletableFuture.failedFuture(new IllegalStateException("no member " + id))
                            : CompletableFuture.supplyAsync(() -> m, workers);
                });
            }

            @Override
            public CompletableFuture<WebChatMember> refresh(String memberId) {
                return CompletableFuture.supplyAsync(() -> members.get(memberId), workers);
            }

            @Override
            public void remember(WebChatMember member) {
                cache.put(member.id(), CompletableFuture.completedFuture(member));
            }
        };
        sink = new GuestChatConversation.Effects() {
            @Override
            public void waiting() {
                effects.add("waiting");
            }

            @Override
            public void agentJoined(AgentProfile agent) {
                effects.add("joined " + agent.id());
            }

            @Override
            public void ended() {
                effects.add("ended");
            }

            @Override
            public void lastMessageIdChanged(String messageId) {
                effects.add("last " + messageId);
            }
        };
        conversation = conversationOn(serial);
    }

    private GuestChatConversation conversationOn(ChatLane lane) {
        return new GuestChatConversation("chat-1", GUEST, Optional.empty(), recording, directory, sink, JSON, lane, TYPING_TIMEOUT,
                DEPARTURE_CHECK);
    }

    @AfterEach
    void tearDown() {
        settle();
        assertThat(recording.violations()).as("contract violations").isEmpty();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    private void member(String id, String name, String avatar, MemberRole role, MemberState state) {
        members.put(id, new WebChatMember(id, Optional.ofNullable(name), Optional.ofNullable(avatar), role, state));
    }

    /** Feeds frames the way the desk does: one after the other on the chat's serial executor. */
    private void feed(String... frames) {
        for (String frame : frames) {
            CompletableFuture<Void> previous = chain;
            CompletableFuture<Void> next = new CompletableFuture<>();
            serial.execute(() -> previous.thenComposeAsync(ignored -> conversation.handleFrame(frame), serial)
                    .whenComplete((ok, failure) -> next.complete(null)));
            chain = next;
        }
    }

    private void settle() {
        chain.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        serial.execute(() -> drained.complete(null));
        drained.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private List<CallbackEvent> events() {
        settle();
        return recording.events().stream().filter(e -> !(e instanceof CallbackEvent.PersistedStateUpdated)).toList();
    }

    // Frames built like the captures of reference §B.4.

    static String memberChange(String memberId, String state) {
        return "{\"topicName\":\"v2.conversations.chats." + CONV + ".members\",\"version\":\"2\",\"eventBody\":{\"conversation\":{\"id\":\""
                + CONV + "\"},\"member\":{\"id\":\"" + memberId + "\",\"state\":\"" + state + "\"},\"timestamp\":\"2019-06-18T16:59:09.689Z\"},"
                + "\"metadata\":{\"CorrelationId\":\"bbd1fbef-cfbd-4a31-8008-51eba78dee76\",\"type\":\"member-change\"}}";
    }

    static String message(String id, String senderId, String body, String bodyType) {
        return "{\"topicName\":\"v2.conversations.chats." + CONV + ".messages\",\"version\":\"2\",\"eventBody\":{\"id\":\"" + id
                + "\",\"conversation\":{\"id\":\"" + CONV + "\"},\"sender\":{\"id\":\"" + senderId + "\"},"
                + (body == null ? "" : "\"body\":\"" + body + "\",") + "\"bodyType\":\"" + bodyType
                + "\",\"timestamp\":\"2019-06-18T16:59:22.277Z\"},"
                + "\"metadata\":{\"CorrelationId\":\"ca138a93-3198-43b4-8ef4-bced8d38b3b9\",\"type\":\"message\"}}";
    }

    static String typing(String senderId) {
        return "{\"topicName\":\"v2.conversations.chats." + CONV + ".messages\",\"version\":\"2\",\"eventBody\":{\"id\":\"t-" + senderId
                + "\",\"conversation\":{\"id\":\"" + CONV + "\"},\"sender\":{\"id\":\"" + senderId + "\"},\"timestamp\":\"2019-06-18T16:59:20.000Z\"},"
                + "\"metadata\":{\"CorrelationId\":\"c-typing\",\"type\":\"typing-indicator\"}}";
    }

    static final String HEARTBEAT = "{ \"topicName\": \"channel.metadata\", \"eventBody\": { \"message\": \"WebSocket Heartbeat\" } }";

    private String nextId() {
        return "msg-" + (++messageCounter);
    }

    private void agentJoins() {
        feed(memberChange(GUEST, "CONNECTED"), memberChange(WORKFLOW, "CONNECTED"), memberChange(ACD, "CONNECTED"),
                memberChange(AGENT, "ALERTING"), memberChange(AGENT, "CONNECTED"), message(nextId(), AGENT, null, "member-join"));
    }

    @Test
    @DisplayName("The happy path: flow and queue are waiting, the agent joins with name and avatar, the captured agent message arrives")
    void happyPath() {
        feed(memberChange(GUEST, "CONNECTED"), message("join-guest", GUEST, null, "member-join"),
                memberChange(WORKFLOW, "CONNECTED"), message("greeting", WORKFLOW, "Thanks for waiting", "standard"),
                memberChange(ACD, "CONNECTED"), HEARTBEAT, memberChange(AGENT, "ALERTING"));
        List<CallbackEvent> waiting = events();
        assertThat(waiting).noneMatch(agentJoined());
        assertThat(effects).contains("waiting");
        assertThat(recording.messages()).singleElement().satisfies(m -> {
            assertThat(m.origin()).isEqualTo(MessageOrigin.BOT);
            assertThat(m.text()).isEqualTo("Thanks for waiting");
            assertThat(m.agentId()).isEmpty();
        });

        feed(memberChange(AGENT, "CONNECTED"), message("join-agent", AGENT, null, "member-join"),
                message("485fc952-3021-4dab-bb04-e3ad84d8b62a", AGENT, "Hi, how are you?", "standard"));
        List<CallbackEvent> all = events();
        assertThat(all).filteredOn(agentJoined()).singleElement().satisfies(e -> assertThat(((CallbackEvent.AgentJoined) e).agent())
                .isEqualTo(new AgentProfile(AGENT, "Alex Agent", Optional.of(URI.create("https://cdn.example.com/alex.png")))));
        AgentMessage hello = recording.messages().get(1);
        assertThat(hello).isEqualTo(new AgentMessage("485fc952-3021-4dab-bb04-e3ad84d8b62a", Optional.of(AGENT), "Hi, how are you?",
                MessageOrigin.AGENT, Optional.of(Instant.parse("2019-06-18T16:59:22.277Z"))));
        assertThat(effects).contains("joined " + AGENT, "last 485fc952-3021-4dab-bb04-e3ad84d8b62a");
    }

    @Test
    @DisplayName("The guest's own messages and own typing come back on the stream and are ignored")
    void ownEchoesIgnored() {
        agentJoins();
        feed(message("mine-1", GUEST, "my own words", "standard"), typing(GUEST), message("theirs", AGENT, "reply", "standard"));
        assertThat(events()).noneMatch(agentTyping(true));
        assertThat(recording.messages()).extracting(AgentMessage::id).containsExactly("theirs");
        assertThat(conversation.lastMessageId()).contains("theirs");
    }

    @Test
    @DisplayName("Agent typing lasts the typing timeout, then turns off by itself")
    void typingExpires() {
        agentJoins();
        feed(typing(AGENT), typing(AGENT));
        recording.awaitEvent(agentTyping(true), "agentTyping(true)", WAIT);
        recording.awaitEvent(agentTyping(false), "agentTyping(false) after the timeout", WAIT);
        assertThat(events()).filteredOn(agentTyping(true)).hasSize(1);
    }

    @Test
    @DisplayName("The agent's next message turns typing off before it is delivered")
    void messageStopsTyping() {
        agentJoins();
        feed(typing(AGENT), message("m-1", AGENT, "done typing", "standard"));
        List<CallbackEvent> all = events();
        int typingOff = indexOf(all, agentTyping(false));
        int message = indexOf(all, messageWithId("m-1"));
        assertThat(typingOff).isNotNegative().isLessThan(message);
    }

    @Test
    @DisplayName("A member's name and avatar are read once per member and cached")
    void memberLookupsCached() {
        agentJoins();
        feed(message("a", AGENT, "one", "standard"), message("b", AGENT, "two", "standard"), typing(AGENT));
        settle();
        assertThat(lookups.get(AGENT)).hasValue(1);
        assertThat(lookups.get(WORKFLOW)).hasValue(1);
    }

    @Test
    @DisplayName("A notice reaches the user as a system message")
    void noticeIsSystemMessage() {
        agentJoins();
        feed(message("n-1", WORKFLOW, "Your chat is being recorded", "notice"));
        settle();
        assertThat(recording.messages()).singleElement().satisfies(m -> {
            assertThat(m.origin()).isEqualTo(MessageOrigin.SYSTEM);
            assertThat(m.text()).isEqualTo("Your chat is being recorded");
        });
    }

    @Test
    @DisplayName("A message id seen twice (stream and catch-up) is delivered once")
    void duplicatesDropped() {
        agentJoins();
        feed(message("dup", AGENT, "once", "standard"), message("dup", AGENT, "once", "standard"));
        settle();
        assertThat(recording.messages()).extracting(AgentMessage::id).containsExactly("dup");
    }

    @Test
    @DisplayName("Malformed frames, unknown topics and unknown types are skipped; the next frame is handled")
    void badFramesSkipped() {
        agentJoins();
        feed("{not json", "[]", "{\"topicName\":\"v2.something.else\",\"eventBody\":{\"x\":1},\"metadata\":{\"type\":\"novel\"}}",
                "{\"topicName\":\"v2.conversations.chats." + CONV + ".messages\",\"eventBody\":{\"id\":\"no-sender\"},\"metadata\":{\"type\":\"message\"}}",
                "{\"topicName\":\"v2.conversations.chats." + CONV + ".members\",\"eventBody\":null}",
                message("after", AGENT, "still here", "standard"));
        settle();
        assertThat(recording.messages()).extracting(AgentMessage::id).containsExactly("after");
    }

    @Test
    @DisplayName("Transfer announced by a second agent alerting: begin transfer, the first agent leaves, the new agent joins")
    void transferByAlerting() {
        agentJoins();
        feed(typing(AGENT), memberChange(AGENT_2, "ALERTING"), memberChange(AGENT, "DISCONNECTED"),
                message("leave-1", AGENT, null, "member-leave"), memberChange(AGENT_2, "CONNECTED"),
                message("m-2", AGENT_2, "I can take it from here", "standard"));
        List<CallbackEvent> all = events();
        int transfer = indexOf(all, transferStarted());
        int left = indexOf(all, agentLeft());
        int joined = indexOf(all, agentJoined(new AgentProfile(AGENT_2, "Sam Second")));
        assertThat(transfer).isNotNegative().isLessThan(left);
        assertThat(left).isLessThan(joined);
        assertThat(((CallbackEvent.TransferStarted) all.get(transfer)).newAgent()).map(AgentProfile::id).contains(AGENT_2);
        assertThat(indexOf(all, agentTyping(false))).isNotNegative().isLessThan(transfer);
        assertThat(all).filteredOn(transferStarted()).hasSize(1);
        assertThat(all).filteredOn(agentLeft()).hasSize(1);
        assertThat(all).noneMatch(agentEnded());
        assertThat(recording.messages()).last().satisfies(m -> assertThat(m.agentId()).contains(AGENT_2));
    }

    @Test
    @DisplayName("Transfer announced by the agent disconnecting while the guest stays connected: begin transfer and agent left, then the new agent joins")
    void transferByDisconnect() {
        agentJoins();
        feed(memberChange(AGENT, "DISCONNECTED"));
        recording.awaitEvent(agentLeft(), "agentLeftChat once the guest still reads connected after the departure check", WAIT);
        List<CallbackEvent> left = events();
        assertThat(left).filteredOn(transferStarted()).singleElement()
                .satisfies(e -> assertThat(((CallbackEvent.TransferStarted) e).newAgent()).isEmpty());
        assertThat(left).filteredOn(agentLeft()).hasSize(1);
        feed(memberChange(AGENT_2, "ALERTING"), memberChange(AGENT_2, "CONNECTED"));
        List<CallbackEvent> all = events();
        assertThat(all).filteredOn(transferStarted()).hasSize(1);
        assertThat(indexOf(all, agentJoined(new AgentProfile(AGENT_2, "Sam Second")))).isGreaterThan(indexOf(all, agentLeft()));
        assertThat(all).noneMatch(agentEnded());
    }

    @Test
    @DisplayName("The agent disconnecting with the guest gone ends the chat, once, and nothing follows")
    void agentEndsChat() {
        agentJoins();
        member(GUEST, "Jane Doe", null, MemberRole.CUSTOMER, MemberState.DISCONNECTED);
        feed(memberChange(AGENT, "DISCONNECTED"), memberChange(GUEST, "DISCONNECTED"), message("late", AGENT, "too late", "standard"));
        List<CallbackEvent> all = events();
        assertThat(all).filteredOn(agentEnded()).hasSize(1);
        assertThat(all.get(all.size() - 1)).matches(agentEnded());
        assertThat(all).noneMatch(transferStarted()).noneMatch(agentLeft());
        assertThat(effects).containsOnlyOnce("ended");
        assertThat(conversation.isEnded()).isTrue();
    }

    @Test
    @DisplayName("The agent ends the chat but Genesys disconnects the guest a moment later (recorded order: agent DISCONNECTED, guest still "
            + "CONNECTED, then guest DISCONNECTED): agentEndedChat only, no transfer, on virtual time")
    void guestDisconnectedAfterTheAgent() {
        VirtualScheduler virtual = new VirtualScheduler();
        serial = new ChatLane(workers, virtual);
        conversation = conversationOn(serial);
        agentJoins();
        feed(memberChange(AGENT, "DISCONNECTED"));
        settle();
        assertThat(virtual.pendingTasks()).as("the departure check waits").isEqualTo(1);
        assertThat(events()).noneMatch(transferStarted()).noneMatch(agentLeft()).noneMatch(agentEnded());
        member(GUEST, "Jane Doe", null, MemberRole.CUSTOMER, MemberState.DISCONNECTED);
        feed(memberChange(GUEST, "DISCONNECTED"));
        settle();
        virtual.advance(DEPARTURE_CHECK);
        List<CallbackEvent> all = events();
        assertThat(all).filteredOn(agentEnded()).hasSize(1);
        assertThat(all).noneMatch(transferStarted()).noneMatch(agentLeft());
        assertThat(effects).containsOnlyOnce("ended");
    }

    @Test
    @DisplayName("The agent ends the chat and the guest reads DISCONNECTED only when read again after the departure check: agentEndedChat, "
            + "no transfer (virtual time)")
    void guestReadDisconnectedOnTheSecondLook() {
        VirtualScheduler virtual = new VirtualScheduler();
        serial = new ChatLane(workers, virtual);
        conversation = conversationOn(serial);
        agentJoins();
        feed(memberChange(AGENT, "DISCONNECTED"));
        settle();
        virtual.advance(DEPARTURE_CHECK.minusMillis(1));
        assertThat(events()).noneMatch(transferStarted()).noneMatch(agentEnded());
        member(GUEST, "Jane Doe", null, MemberRole.CUSTOMER, MemberState.DISCONNECTED);
        virtual.advance(Duration.ofMillis(1));
        recording.awaitEvent(agentEnded(), "agentEndedChat after the second look", WAIT);
        assertThat(events()).noneMatch(transferStarted()).noneMatch(agentLeft());
    }

    @Test
    @DisplayName("The agent leaves and another agent is offered the chat before the check: a transfer at once, no wait")
    void departureWithAnotherAgentAlerting() {
        VirtualScheduler virtual = new VirtualScheduler();
        serial = new ChatLane(workers, virtual);
        conversation = conversationOn(serial);
        agentJoins();
        feed(memberChange(AGENT_2, "ALERTING"), memberChange(AGENT, "DISCONNECTED"));
        List<CallbackEvent> all = events();
        assertThat(all).filteredOn(transferStarted()).hasSize(1);
        assertThat(all).filteredOn(agentLeft()).hasSize(1);
        assertThat(virtual.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("The guest's own member disconnecting ends the chat")
    void guestDisconnectedEnds() {
        agentJoins();
        feed(typing(AGENT), memberChange(GUEST, "DISCONNECTED"));
        List<CallbackEvent> all = events();
        assertThat(indexOf(all, agentTyping(false))).isNotNegative().isLessThan(indexOf(all, agentEnded()));
        assertThat(all).filteredOn(agentEnded()).hasSize(1);
    }

    @Test
    @DisplayName("An alerting agent who does not accept is no transfer and no join")
    void declinedOffer() {
        feed(memberChange(ACD, "CONNECTED"), memberChange(AGENT, "ALERTING"), memberChange(AGENT, "DISCONNECTED"));
        assertThat(events()).noneMatch(agentJoined()).noneMatch(transferStarted()).noneMatch(agentLeft());
        feed(memberChange(AGENT_2, "ALERTING"), memberChange(AGENT_2, "CONNECTED"));
        assertThat(events()).filteredOn(agentJoined()).hasSize(1);
    }

    @Test
    @DisplayName("Catching up after a drop: the members show the agent replaced, and missed messages arrive once in order")
    void reconcileAfterDrop() {
        agentJoins();
        feed(message("m-1", AGENT, "before the drop", "standard"));
        settle();
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> conversation.reconcile(List.of(
                        new WebChatMember(GUEST, Optional.of("Jane Doe"), Optional.empty(), MemberRole.CUSTOMER, MemberState.CONNECTED),
                        new WebChatMember(AGENT, Optional.of("Alex Agent"), Optional.empty(), MemberRole.AGENT, MemberState.DISCONNECTED),
                        new WebChatMember(AGENT_2, Optional.of("Sam Second"), Optional.empty(), MemberRole.AGENT, MemberState.CONNECTED)))
                .thenCompose(ignored -> conversation.handleMessage(new io.deskbridge.genesys.guestchat.wire.WebChatMessage("m-1",
                        new io.deskbridge.genesys.guestchat.wire.MemberRef(AGENT, Optional.empty()), Optional.of("before the drop"),
                        io.deskbridge.genesys.guestchat.wire.BodyType.STANDARD, Optional.empty())))
                .thenCompose(ignored -> conversation.handleMessage(new io.deskbridge.genesys.guestchat.wire.WebChatMessage("m-2",
                        new io.deskbridge.genesys.guestchat.wire.MemberRef(AGENT_2, Optional.empty()), Optional.of("missed"),
                        io.deskbridge.genesys.guestchat.wire.BodyType.STANDARD, Optional.empty())))
                .whenComplete((ok, failure) -> done.complete(null)));
        done.orTimeout(5, TimeUnit.SECONDS).join();
        List<CallbackEvent> all = events();
        assertThat(indexOf(all, transferStarted())).isNotNegative().isLessThan(indexOf(all, agentLeft()));
        assertThat(indexOf(all, agentLeft())).isLessThan(indexOf(all, agentJoined(new AgentProfile(AGENT_2, "Sam Second"))));
        assertThat(recording.messages()).extracting(AgentMessage::id).containsExactly("m-1", "m-2");
    }

    private static int indexOf(List<CallbackEvent> events, java.util.function.Predicate<? super CallbackEvent> matcher) {
        for (int i = 0; i < events.size(); i++) {
            if (matcher.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}

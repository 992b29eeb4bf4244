package io.deskbridge.desk.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.DeskContext;
import io.deskbridge.spi.ErrorInfo;
import io.deskbridge.spi.FileUpload;
import io.deskbridge.spi.FileUploadStatus;
import io.deskbridge.spi.PersistedState;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import io.deskbridge.spi.UserMessage;
import io.deskbridge.testkit.VirtualScheduler;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("VendorChat")
class VendorChatTest {
    static final Duration TYPING = Duration.ofSeconds(10);
    static final AgentProfile ANN = new AgentProfile("a1", "Ann");
    static final FileRules FILES = new FileRules(Set.of("txt"), 100);

    final VirtualScheduler scheduler = new VirtualScheduler();
    final ChatLane lane = new ChatLane(scheduler, scheduler);
    final List<CallbackEvent> events = new ArrayList<>();
    final ScriptedVendor vendor = new ScriptedVendor();

    /** The vendor's stream events in these tests: a message, or the agent ending the chat. */
    sealed interface Event {
        record Message(String id, String text) implements Event {}

        record Ended() implements Event {}
    }

    /** A vendor whose every answer the test gives, on the test's thread. */
    static final class ScriptedVendor implements ChatVendor<String, Event> {
        final Queue<CompletableFuture<AutoCloseable>> connects = new ArrayDeque<>();
        final Queue<CompletableFuture<Snapshot<Event>>> snapshots = new ArrayDeque<>();
        final List<Optional<String>> snapshotsAfter = new ArrayList<>();
        final List<String> ended = new ArrayList<>();
        final List<String> closed = new ArrayList<>();
        CompletableFuture<Void> endAnswer = CompletableFuture.completedFuture(null);
        Events<Event> stream;

        @Override
        public CompletionStage<AutoCloseable> connect(String conversation, Events<Event> events) {
            stream = events;
            CompletableFuture<AutoCloseable> connect = new CompletableFuture<>();
            connects.add(connect);
            return connect;
        }

        void connected() {
            connects.remove().complete(() -> closed.add("stream"));
        }

        @Override
        public CompletionStage<Snapshot<Event>> snapshot(String conversation, Optional<String> afterMessageId) {
            snapshotsAfter.add(afterMessageId);
            CompletableFuture<Snapshot<Event>> snapshot = new CompletableFuture<>();
            snapshots.add(snapshot);
            return snapshot;
        }

        @Override
        public CompletionStage<Void> end(String conversation) {
            ended.add(conversation);
            return endAnswer;
        }

        @Override
        public Optional<String> messageId(Event event) {
            return event instanceof Event.Message message ? Optional.of(message.id()) : Optional.empty();
        }

        @Override
        public void handle(Event event, AgentEvents agent) {
            if (event instanceof Event.Message message) {
                agent.message(AgentMessage.fromAgent(message.id(), "a1", message.text()));
            } else {
                agent.ended();
            }
        }

        @Override
        public PersistedState save(String conversation) {
            return new PersistedState(Map.of("conversation", conversation));
        }

        @Override
        public Optional<String> load(PersistedState state) {
            return state.get("conversation");
        }
    }

    VendorChat<String, Event> chat(Optional<PersistedState> persisted) {
        return new VendorChat<>(new DeskContext("chat-1", CallbackEvent.recorder(events::add), persisted), lane, TYPING, vendor);
    }

    void run() {
        scheduler.runDueTasks();
    }

    static CallbackEvent message(String id, String text) {
        return new CallbackEvent.MessageToUser(AgentMessage.fromAgent(id, "a1", text));
    }

    static CallbackEvent persisted(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CallbackEvent.PersistedStateUpdated(new PersistedState(values));
    }

    static Throwable failure(CompletableFuture<?> stage) {
        assertThat(stage).isCompletedExceptionally();
        return CompletionFailures.unwrap(stage.handle((ok, failure) -> failure).join());
    }

    static final BiFunction<String, String, CompletableFuture<Void>> NO_SUMMARY = (c, summary) -> CompletableFuture.completedFuture(null);

    /** A started chat with its stream connected and the first message sent. */
    VendorChat<String, Event> started() {
        VendorChat<String, Event> chat = chat(Optional.empty());
        CompletableFuture<Void> start = chat.start(() -> CompletableFuture.completedFuture("c-1"), Optional.empty(), NO_SUMMARY);
        run();
        vendor.connected();
        run();
        assertThat(start).isCompleted();
        events.clear();
        return chat;
    }

    @Nested
    @DisplayName("start")
    class Start {
        @Test
        @DisplayName("opens the conversation, reports the persisted state, connects the stream, then sends the summary as the first message")
        void inOrder() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<String> first = new CompletableFuture<>();
            List<String> summaries = new ArrayList<>();
            CompletableFuture<Void> start = chat.start(() -> CompletableFuture.completedFuture("c-1"), Optional.of("order 42"), (c, summary) -> {
                summaries.add(c + ": " + summary);
                return first;
            });
            run();
            assertThat(events).containsExactly(persisted("conversation", "c-1"));
            assertThat(summaries).isEmpty(); // the stream is not connected yet
            vendor.connected();
            run();
            assertThat(summaries).containsExactly("c-1: order 42");
            assertThat(start).isNotDone();
            first.complete("posted");
            run();
            assertThat(start).isCompleted().isNotCompletedExceptionally();
        }

        @Test
        @DisplayName("rule 1: a second start fails")
        void once() {
            VendorChat<String, Event> chat = started();
            CompletableFuture<Void> again = chat.start(() -> CompletableFuture.completedFuture("c-2"), Optional.empty(), NO_SUMMARY);
            run();
            assertThat(failure(again)).isInstanceOf(IllegalStateException.class).hasMessageContaining("rule 1");
        }

        @Test
        @DisplayName("rule 2: a vendor that cannot be reached fails the start after Connecting, as VENDOR_UNAVAILABLE")
        void unreachable() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<Void> start = chat.start(() -> CompletableFuture.failedFuture(new VendorCallException("the acme vendor", 503, "down")),
                    Optional.empty(), NO_SUMMARY);
            run();
            assertThat(failure(start)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE));
            assertThat(events).containsExactly(new CallbackEvent.ErrorStatus(new ErrorInfo.Connecting(Optional.of(VendorChat.CANNOT_CONNECT))));
        }

        @Test
        @DisplayName("a vendor client that throws instead of failing its stage fails the start the same way, after Connecting")
        void clientThrows() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<Void> start = chat.start(() -> {
                throw new IllegalStateException("client bug");
            }, Optional.empty(), NO_SUMMARY);
            run();
            assertThat(failure(start)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INTERNAL))
                    .hasMessageContaining("client bug");
            assertThat(events).containsExactly(new CallbackEvent.ErrorStatus(new ErrorInfo.Connecting(Optional.of(VendorChat.CANNOT_CONNECT))));
        }

        @Test
        @DisplayName("a conversation opened whose stream cannot connect is ended at the vendor, so no agent waits for nobody")
        void connectFails() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<Void> start = chat.start(() -> CompletableFuture.completedFuture("c-1"), Optional.empty(), NO_SUMMARY);
            run();
            vendor.connects.remove().completeExceptionally(new IllegalStateException("socket closed"));
            run();
            assertThat(failure(start)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INTERNAL));
            assertThat(vendor.ended).containsExactly("c-1");
            assertThat(events).last().isInstanceOf(CallbackEvent.ErrorStatus.class);
        }

        @Test
        @DisplayName("rule 7: the user ends the chat while it opens: the conversation is ended once it exists, and nothing is called back")
        void endedWhileOpening() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<String> open = new CompletableFuture<>();
            CompletableFuture<Void> start = chat.start(() -> open, Optional.empty(), NO_SUMMARY);
            run();
            CompletableFuture<Void> end = chat.end();
            run();
            assertThat(end).isCompleted();
            open.complete("c-1");
            run();
            assertThat(start).isCompleted().isNotCompletedExceptionally();
            assertThat(vendor.ended).containsExactly("c-1");
            assertThat(vendor.connects).isEmpty();
            assertThat(events).isEmpty();
        }
    }

    @Nested
    @DisplayName("end and detach")
    class End {
        @Test
        @DisplayName("rule 7: after end, no callback; the stream is closed; a second end does not call the vendor again")
        void endOnce() {
            VendorChat<String, Event> chat = started();
            CompletableFuture<Void> end = chat.end();
            run();
            vendor.stream.event(new Event.Message("m1", "late"));
            CompletableFuture<Void> again = chat.end();
            run();
            assertThat(end).isCompleted().isNotCompletedExceptionally();
            assertThat(again).isCompleted().isNotCompletedExceptionally();
            assertThat(vendor.ended).containsExactly("c-1");
            assertThat(vendor.closed).containsExactly("stream");
            assertThat(events).isEmpty();
        }

        @Test
        @DisplayName("an end the vendor did not confirm fails, and a retry tells the vendor again")
        void retry() {
            VendorChat<String, Event> chat = started();
            vendor.endAnswer = CompletableFuture.failedFuture(new VendorCallException("the acme vendor", 0, "unreachable"));
            CompletableFuture<Void> end = chat.end();
            run();
            assertThat(failure(end)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE));
            vendor.endAnswer = CompletableFuture.completedFuture(null);
            CompletableFuture<Void> again = chat.end();
            run();
            assertThat(again).isCompleted().isNotCompletedExceptionally();
            assertThat(vendor.ended).containsExactly("c-1", "c-1");
        }

        @Test
        @DisplayName("detach lets go without ending the conversation: the stream closes, nothing is called back, end does nothing more")
        void detach() {
            VendorChat<String, Event> chat = started();
            CompletableFuture<Void> detach = chat.detach();
            run();
            vendor.stream.event(new Event.Message("m1", "late"));
            CompletableFuture<Void> end = chat.end();
            run();
            assertThat(detach).isCompleted();
            assertThat(end).isCompleted().isNotCompletedExceptionally();
            assertThat(vendor.ended).isEmpty();
            assertThat(vendor.closed).containsExactly("stream");
            assertThat(events).isEmpty();
        }

        @Test
        @DisplayName("rule 6: the agent ends the chat: agentEndedChat last, the stream closed, nothing after")
        void agentEnds() {
            VendorChat<String, Event> chat = started();
            vendor.stream.event(new Event.Ended());
            vendor.stream.event(new Event.Message("m1", "late"));
            run();
            assertThat(events).containsExactly(new CallbackEvent.AgentEnded());
            assertThat(vendor.closed).containsExactly("stream");
            CompletableFuture<Void> end = chat.end();
            run();
            assertThat(end).isCompleted().isNotCompletedExceptionally();
            assertThat(vendor.ended).isEmpty();
        }
    }

    @Nested
    @DisplayName("sending (rule 11)")
    class Send {
        final List<String> posted = new ArrayList<>();

        CompletableFuture<Void> send(VendorChat<String, Event> chat, UserMessage message, CompletionStage<?> answer) {
            return chat.send(message, FILES, (c, m) -> {
                posted.add(c + ":" + m.id());
                return answer;
            });
        }

        @Test
        @DisplayName("one vendor call per message id; a message sent while the chat opens waits for the conversation")
        void oncePerId() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<String> open = new CompletableFuture<>();
            chat.start(() -> open, Optional.empty(), NO_SUMMARY);
            run();
            CompletableFuture<Void> first = send(chat, new UserMessage("u1", "hi"), CompletableFuture.completedFuture(null));
            CompletableFuture<Void> retry = send(chat, new UserMessage("u1", "hi"), CompletableFuture.completedFuture(null));
            run();
            assertThat(posted).isEmpty();
            open.complete("c-1");
            run();
            assertThat(first).isCompleted().isNotCompletedExceptionally();
            assertThat(retry).isCompleted().isNotCompletedExceptionally();
            assertThat(posted).containsExactly("c-1:u1");
        }

        @Test
        @DisplayName("a failure completes the stage and reports UserMessage; a refused file fails the message before the vendor hears of it")
        void failures() {
            VendorChat<String, Event> chat = started();
            CompletableFuture<Void> failed = send(chat, new UserMessage("u1", "hi"),
                    CompletableFuture.failedFuture(new VendorCallException("the acme vendor", 400, "too long")));
            FileUpload program = new FileUpload("f1", "setup.exe", "application/octet-stream", 1, () -> new ByteArrayInputStream(new byte[1]));
            CompletableFuture<Void> refused = send(chat, new UserMessage("u2", "see", List.of(program)), CompletableFuture.completedFuture(null));
            run();
            assertThat(failure(failed)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.VENDOR_REJECTED));
            assertThat(failure(refused)).hasMessageContaining("setup.exe");
            assertThat(posted).containsExactly("c-1:u1");
            assertThat(events).containsExactlyInAnyOrder(new CallbackEvent.ErrorStatus(new ErrorInfo.UserMessage("u1", VendorChat.NOT_DELIVERED)),
                    new CallbackEvent.ErrorStatus(new ErrorInfo.UserMessage("u2", "setup.exe cannot be sent: only txt files are accepted")));
        }

        @Test
        @DisplayName("before the start and after the end a message fails as VENDOR_REJECTED, and files are checked when selected")
        void notOpen() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            CompletableFuture<Void> early = send(chat, new UserMessage("u1", "hi"), CompletableFuture.completedFuture(null));
            FileUpload big = new FileUpload("f1", "notes.txt", "text/plain", 101, () -> new ByteArrayInputStream(new byte[0]));
            CompletableFuture<Void> selected = chat.filesSelected(List.of(big), FILES);
            run();
            assertThat(failure(early)).hasMessageContaining("has not started");
            assertThat(selected).isCompleted();
            assertThat(events).contains(new CallbackEvent.FileStatus(FileUploadStatus.failed("f1", "notes.txt cannot be sent: it is larger than 100 bytes")));
            assertThat(posted).isEmpty();
        }

        @Test
        @DisplayName("whenOpen calls the vendor only while the conversation is open")
        void whenOpen() {
            VendorChat<String, Event> chat = chat(Optional.empty());
            List<String> calls = new ArrayList<>();
            CompletableFuture<Void> early = chat.whenOpen(c -> {
                calls.add(c);
                return CompletableFuture.completedFuture(null);
            }, "send a read receipt");
            run();
            assertThat(early).isCompleted();
            assertThat(calls).isEmpty();
        }
    }

    @Nested
    @DisplayName("the stream lost and back (rules 8 and 10)")
    class Reconnecting {
        @Test
        @DisplayName("Disconnected(true), live events wait for the history, each message once and in order, then Disconnected(false)")
        void catchUp() {
            VendorChat<String, Event> chat = started();
            vendor.stream.event(new Event.Message("m1", "one"));
            vendor.stream.lost("socket closed");
            vendor.stream.restored();
            vendor.stream.event(new Event.Message("m3", "three"));
            run();
            assertThat(events).containsExactly(message("m1", "one"), persisted("conversation", "c-1", VendorChat.LAST_MESSAGE_ID, "m1"),
                    new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(true)));
            assertThat(vendor.snapshotsAfter).containsExactly(Optional.of("m1"));
            events.clear();
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(false, Optional.of(ANN),
                    List.of(new Event.Message("m2", "two"), new Event.Message("m3", "three"))));
            run();
            assertThat(events).containsExactly(new CallbackEvent.AgentJoined(ANN), new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false)),
                    message("m2", "two"), persisted("conversation", "c-1", VendorChat.LAST_MESSAGE_ID, "m2"),
                    message("m3", "three"), persisted("conversation", "c-1", VendorChat.LAST_MESSAGE_ID, "m3"));
            assertThat(chat).isNotNull();
        }

        @Test
        @DisplayName("rule 10: an agent who wrote and then left while the stream was down: the message first, then agentLeftChat")
        void leftAfterWriting() {
            started();
            vendor.stream.lost("socket closed");
            vendor.stream.restored();
            run();
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(false, Optional.of(ANN), List.of()));
            run();
            vendor.stream.lost("socket closed");
            vendor.stream.restored();
            run();
            events.clear();
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(false, Optional.empty(), List.of(new Event.Message("m2", "bye"))));
            run();
            assertThat(events).filteredOn(e -> !(e instanceof CallbackEvent.PersistedStateUpdated))
                    .containsExactly(new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false)), message("m2", "bye"), new CallbackEvent.AgentLeft());
        }

        @Test
        @DisplayName("a history that cannot be read is read again after the backoff, on virtual time")
        void retried() {
            started();
            vendor.stream.lost("socket closed");
            vendor.stream.restored();
            run();
            vendor.snapshots.remove().completeExceptionally(new VendorCallException("the acme vendor", 503, "busy"));
            run();
            assertThat(vendor.snapshotsAfter).hasSize(1);
            scheduler.advance(ChatStream.HISTORY_RETRY.initial());
            assertThat(vendor.snapshotsAfter).hasSize(2);
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(true, Optional.empty(), List.of()));
            run();
            assertThat(events).endsWith(new CallbackEvent.ErrorStatus(new ErrorInfo.Disconnected(false)), new CallbackEvent.AgentEnded());
            assertThat(vendor.closed).containsExactly("stream");
        }
    }

    @Nested
    @DisplayName("resume (rule 13)")
    class Resume {
        final Optional<PersistedState> saved = Optional.of(new PersistedState(Map.of("conversation", "c-9", VendorChat.LAST_MESSAGE_ID, "m4")));

        @Test
        @DisplayName("connects again, reads what came after the last message, and completes with true")
        void resumes() {
            VendorChat<String, Event> chat = chat(saved);
            CompletableFuture<Boolean> resumed = chat.resume();
            run();
            vendor.stream.event(new Event.Message("m6", "live"));
            vendor.connected();
            run();
            assertThat(vendor.snapshotsAfter).containsExactly(Optional.of("m4"));
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(false, Optional.of(ANN), List.of(new Event.Message("m5", "missed"))));
            run();
            assertThat(resumed).isCompletedWithValue(true);
            assertThat(events).containsSubsequence(new CallbackEvent.AgentJoined(ANN), message("m5", "missed"), message("m6", "live"));
        }

        @Test
        @DisplayName("false when the state holds no conversation, when it is over, or when the vendor refuses it")
        void gone() {
            assertThat(chat(Optional.empty()).resume()).satisfies(stage -> run()).isCompletedWithValue(false);

            CompletableFuture<Boolean> over = chat(saved).resume();
            run();
            vendor.connected();
            run();
            vendor.snapshots.remove().complete(new ChatVendor.Snapshot<>(true, Optional.empty(), List.of()));
            run();
            assertThat(over).isCompletedWithValue(false);

            CompletableFuture<Boolean> refused = chat(saved).resume();
            run();
            vendor.connects.remove().completeExceptionally(new VendorCallException("the acme vendor", 404, "no such conversation"));
            run();
            assertThat(refused).isCompletedWithValue(false);
        }

        @Test
        @DisplayName("a vendor that cannot be reached fails the resume as VENDOR_UNAVAILABLE, without Connecting")
        void unavailable() {
            CompletableFuture<Boolean> resumed = chat(saved).resume();
            run();
            vendor.connects.remove().completeExceptionally(new VendorCallException("the acme vendor", 0, "refused"));
            run();
            assertThat(failure(resumed)).isInstanceOfSatisfying(ServiceDeskException.class, e -> assertThat(e.kind()).isEqualTo(Kind.VENDOR_UNAVAILABLE));
            assertThat(events).doesNotHaveAnyElementsOfTypes(CallbackEvent.ErrorStatus.class);
        }
    }

    @Test
    @DisplayName("uploadInOrder uploads one file after another and keeps the vendor's ids in order")
    void uploadInOrder() {
        FileUpload a = new FileUpload("f1", "a.txt", "text/plain", 1, () -> new ByteArrayInputStream(new byte[1]));
        FileUpload b = new FileUpload("f2", "b.txt", "text/plain", 1, () -> new ByteArrayInputStream(new byte[1]));
        List<CompletableFuture<String>> uploads = new ArrayList<>();
        CompletableFuture<List<String>> ids = VendorChat.uploadInOrder(List.of(a, b), file -> {
            CompletableFuture<String> upload = new CompletableFuture<>();
            uploads.add(upload);
            return upload;
        });
        assertThat(uploads).hasSize(1);
        uploads.get(0).complete("v1");
        assertThat(uploads).hasSize(2);
        uploads.get(1).complete("v2");
        assertThat(ids).isCompletedWithValue(List.of("v1", "v2"));
    }
}

package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.spi.AgentMessage;
import io.deskbridge.spi.AgentProfile;
import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ConnectRequest;
import io.deskbridge.spi.PersistedState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every group of kit tests shares: the kit's hooks and helpers under short names, so that a test reads as the
 * behaviour it checks. A group is a {@code @Nested} class of {@link ServiceDeskConformanceKit} that extends one of
 * these, so each feature's tests live in a file of their own.
 */
abstract class KitGroup {

    final ServiceDeskConformanceKit kit;

    KitGroup(ServiceDeskConformanceKit kit) {
        this.kit = requireNonNull(kit, "kit is null");
    }

    final KitHarness harness() {
        return kit.requireHarness();
    }

    final AgentDriver driver() {
        return kit.driver();
    }

    final boolean onVirtualTime() {
        return kit.scheduler().isPresent();
    }

    final Set<Capability> capabilities() {
        return kit.capabilities();
    }

    final boolean declares(Capability capability) {
        return kit.capabilities().contains(capability);
    }

    final ConnectRequest connectRequest() {
        return kit.connectRequest();
    }

    final AgentProfile firstAgent() {
        return kit.firstAgent();
    }

    final AgentProfile secondAgent() {
        return kit.secondAgent();
    }

    final ChatUnderTest newChat() {
        return kit.newChat();
    }

    final ChatUnderTest resumedChat(PersistedState state) {
        return kit.resumedChat(state);
    }

    final ChatUnderTest startedChat() {
        return kit.startedChat();
    }

    final ChatUnderTest joinedChat() {
        return kit.joinedChat();
    }

    final void assumeDeclared(Capability capability) {
        kit.assumeDeclared(capability);
    }

    /** The test exercises {@code capability} if the desk declares it, without requiring it. */
    final void exercisesIfDeclared(Capability capability) {
        harness().exercises(capability);
    }

    final <T> T await(CompletionStage<T> stage, String what) {
        return kit.await(stage, what);
    }

    final Throwable awaitFailure(CompletionStage<?> stage, String what) {
        return kit.awaitFailure(stage, what);
    }

    final void settle() {
        kit.settle();
    }

    final AgentSideChat awaitVendorChat() {
        return kit.awaitVendorChat();
    }

    final void declaredCapabilityWorks(Capability capability, Runnable exercise) {
        kit.declaredCapabilityWorks(capability, exercise);
    }

    static void require(int rule, boolean check, Supplier<String> description) {
        ServiceDeskConformanceKit.require(rule, check, description);
    }

    static void checkRule(int rule, Runnable check) {
        ServiceDeskConformanceKit.checkRule(rule, check);
    }

    static List<String> idsOf(List<AgentMessage> messages) {
        return messages.stream().map(AgentMessage::id).toList();
    }

    /** The last persisted state of {@code chat}; rule 13 broken if there is none. */
    static PersistedState lastState(ChatUnderTest chat) {
        return chat.recording().lastPersistedState()
                .orElseThrow(() -> new AssertionError("rule 13: the desk declares RECONNECT but never called updatePersistedState"));
    }

    /** The entry of the first event at or after {@code from} that matches. */
    static RecordingCallback.Entry entryAfter(ChatUnderTest chat, int from, Predicate<? super CallbackEvent> predicate) {
        return chat.recording().entries().get(chat.recording().indexOf(predicate, from).orElseThrow());
    }

    /**
     * The agent messages {@code ids} reached the user each exactly once and in this order (other messages may come
     * between them); otherwise {@code rule} is broken (8, or 10 for what an outage must not lose).
     */
    static void requireDeliveredOnceInOrder(int rule, ChatUnderTest chat, List<String> ids, String what) {
        List<String> delivered = idsOf(chat.recording().messages()).stream().filter(ids::contains).toList();
        if (delivered.equals(ids)) {
            return;
        }
        int at = 0;
        while (at < Math.min(delivered.size(), ids.size()) && delivered.get(at).equals(ids.get(at))) {
            at++;
        }
        int first = at;
        String got = first < delivered.size() ? delivered.get(first) : "nothing more";
        String expected = first < ids.size() ? ids.get(first) : "nothing more";
        require(rule, false, () -> what + ": the user got " + delivered.size() + " of the vendor's " + ids.size()
                + " messages; the first " + first + " in order, then " + got + " where the vendor's order has " + expected
                + ". Delivered: " + abbreviated(delivered) + "; the vendor's order: " + abbreviated(ids));
    }

    private static String abbreviated(List<String> ids) {
        return ids.size() <= 12 ? ids.toString()
                : ids.subList(0, 10) + " … " + ids.subList(ids.size() - 2, ids.size()) + " (" + ids.size() + " ids)";
    }

    static Optional<Integer> indexOf(ChatUnderTest chat, Predicate<? super CallbackEvent> predicate, int from) {
        return chat.recording().indexOf(predicate, from);
    }
}

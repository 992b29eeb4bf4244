package io.deskbridge.testkit;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CallbackEvent;
import io.deskbridge.core.ContractViolation;
import io.deskbridge.spi.AgentMessage;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ assertions over what a {@link RecordingCallback} recorded. Every failure message lists the recorded
 * callbacks.
 *
 * <pre>{@code
 * import static io.deskbridge.testkit.CallbackAssertions.assertThat;
 * import static io.deskbridge.testkit.CallbackMatchers.*;
 *
 * assertThat(recording)
 *         .hasNoViolations()
 *         .containsSubsequence(agentJoined(alice), messageWithId("m-1"), agentEnded())
 *         .hasExactly(1, agentEnded())
 *         .endsWith(agentEnded());
 * assertThat(recording).messageIds().containsExactly("m-1", "m-2");
 * }</pre>
 */
public final class CallbackAssertions extends AbstractAssert<CallbackAssertions, RecordingCallback> {

    private CallbackAssertions(RecordingCallback actual) {
        super(actual, CallbackAssertions.class);
    }

    /** Starts an assertion on {@code recording}. */
    public static CallbackAssertions assertThat(RecordingCallback recording) {
        return new CallbackAssertions(requireNonNull(recording, "recording is null"));
    }

    /** No rule was found broken while recording; otherwise fails listing every violation by rule number. */
    public CallbackAssertions hasNoViolations() {
        List<ContractViolation> violations = actual.violations();
        if (!violations.isEmpty()) {
            failWithMessage("Expected no contract violations but found:%n%s%nRecorded:%s",
                    violations.stream().map(v -> "  - " + v).collect(Collectors.joining("\n")), actual.describe());
        }
        return this;
    }

    /** A violation of rule {@code rule} was found. */
    public CallbackAssertions hasViolationOfRule(int rule) {
        if (actual.violations().stream().noneMatch(v -> v.rule() == rule)) {
            failWithMessage("Expected a violation of rule %d but found %s%nRecorded:%s", rule, actual.violations(), actual.describe());
        }
        return this;
    }

    /**
     * Events matching the predicates appear in this order, with anything in between.
     */
    @SafeVarargs
    public final CallbackAssertions containsSubsequence(Predicate<? super CallbackEvent>... expected) {
        List<CallbackEvent> events = actual.events();
        int position = 0;
        for (Predicate<? super CallbackEvent> predicate : expected) {
            while (position < events.size() && !predicate.test(events.get(position))) {
                position++;
            }
            if (position == events.size()) {
                failWithMessage("Expected the callbacks to contain, in order, %s but found no %s in its place.%nRecorded:%s",
                        describe(expected), predicate, actual.describe());
            }
            position++;
        }
        return this;
    }

    /** The events, in order, include these exact events, with anything in between. */
    public CallbackAssertions containsSubsequence(CallbackEvent... expected) {
        return containsSubsequence(Arrays.stream(expected).map(CallbackMatchers::equalTo).toArray(CallbackMatchers.Matcher[]::new));
    }

    /** Some event matches. */
    public CallbackAssertions has(Predicate<? super CallbackEvent> expected) {
        if (actual.count(expected) == 0) {
            failWithMessage("Expected a callback %s but there was none.%nRecorded:%s", expected, actual.describe());
        }
        return this;
    }

    /** No event matches. */
    public CallbackAssertions hasNo(Predicate<? super CallbackEvent> unexpected) {
        if (actual.count(unexpected) > 0) {
            failWithMessage("Expected no callback %s but found %d.%nRecorded:%s", unexpected, actual.count(unexpected), actual.describe());
        }
        return this;
    }

    /** Exactly {@code times} events match. */
    public CallbackAssertions hasExactly(int times, Predicate<? super CallbackEvent> expected) {
        long count = actual.count(expected);
        if (count != times) {
            failWithMessage("Expected %s exactly %d times but found it %d times.%nRecorded:%s", expected, times, count, actual.describe());
        }
        return this;
    }

    /** The last recorded event matches. */
    public CallbackAssertions endsWith(Predicate<? super CallbackEvent> expected) {
        List<CallbackEvent> events = actual.events();
        if (events.isEmpty() || !expected.test(events.get(events.size() - 1))) {
            failWithMessage("Expected the last callback to be %s.%nRecorded:%s", expected, actual.describe());
        }
        return this;
    }

    /** No event after position {@code index} (exclusive) matches. */
    public CallbackAssertions hasNoneAfter(int index, Predicate<? super CallbackEvent> unexpected) {
        List<CallbackEvent> events = actual.events();
        for (int i = index + 1; i < events.size(); i++) {
            if (unexpected.test(events.get(i))) {
                failWithMessage("Expected no %s after callback %d but found one at %d.%nRecorded:%s", unexpected, index, i, actual.describe());
            }
        }
        return this;
    }

    /** The ids of the agent messages delivered, in delivery order, for list assertions. */
    public ListAssert<String> messageIds() {
        return Assertions.assertThat(actual.messages().stream().map(AgentMessage::id).toList())
                .as("ids of the agent messages delivered to the user; recorded:%s", actual.describe());
    }

    /** The texts of the agent messages delivered, in delivery order, for list assertions. */
    public ListAssert<String> messageTexts() {
        return Assertions.assertThat(actual.messages().stream().map(AgentMessage::text).toList())
                .as("texts of the agent messages delivered to the user; recorded:%s", actual.describe());
    }

    /** The names of the callback methods called, in order, for list assertions. */
    public ListAssert<String> methods() {
        return Assertions.assertThat(actual.events().stream().map(CallbackEvent::methodName).toList())
                .as("callbacks called; recorded:%s", actual.describe());
    }

    private static String describe(Predicate<?>[] predicates) {
        return Arrays.stream(predicates).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}

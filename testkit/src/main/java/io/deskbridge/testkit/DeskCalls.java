package io.deskbridge.testkit;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;

/**
 * The stages the desk returned for the application's calls, by method: a wait for one that never ends is reported as
 * the rule that says when that method completes, so a desk that hangs fails naming what it broke.
 */
final class DeskCalls {

    // Weak keys: a stage the test no longer holds is forgotten. Stages compare by identity.
    private final Map<CompletionStage<?>, String> methods = Collections.synchronizedMap(new WeakHashMap<>());

    /** {@code stage} is the outcome of the desk's {@code method} (or follows it one to one). */
    <S extends CompletionStage<?>> S track(S stage, String method) {
        methods.put(stage, method);
        return stage;
    }

    /** The failure of a wait for {@code stage} that ran out: named after the rule the method's stage keeps, if tracked. */
    AssertionError neverCompleted(CompletionStage<?> stage, AssertionError timeout) {
        String method = methods.get(stage);
        if (method == null) {
            return timeout;
        }
        AssertionError named = new AssertionError(rule(method) + ". " + timeout.getMessage(), timeout.getCause());
        named.setStackTrace(timeout.getStackTrace());
        return named;
    }

    private static String rule(String method) {
        return switch (method) {
            case "startChat" -> "rule 2: startChat never completed: it completes once the vendor accepted the chat, or fails after reporting"
                    + " Connecting";
            case "sendMessageToAgent" -> "rule 11: sendMessageToAgent never completed: it completes once the vendor accepted the message, or"
                    + " fails after reporting UserMessage";
            case "endChat" -> "rule 7: endChat never completed, so the application never learns that callbacks have stopped";
            default -> "rule 14: " + method + " never completed: a method the desk declares completes or fails";
        };
    }
}

package io.deskbridge.genesys.guestchat.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * Where Genesys routes the chat ({@code WebChatRoutingTarget}): a queue by name, with optional skills, language and
 * priority.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RoutingTarget(String targetType, String targetAddress, Optional<List<String>> skills, Optional<String> language,
        Optional<Integer> priority) {
    public RoutingTarget {
        requireNonNull(targetType, "targetType is null");
        requireNonNull(targetAddress, "targetAddress is null");
        skills = requireNonNull(skills, "skills is null").filter(l -> !l.isEmpty()).map(List::copyOf);
        requireNonNull(language, "language is null");
        requireNonNull(priority, "priority is null");
    }

    /** A queue, by its name. */
    public static RoutingTarget queue(String queueName, List<String> skills, Optional<String> language, Optional<Integer> priority) {
        return new RoutingTarget("QUEUE", queueName, Optional.of(skills), language, priority);
    }
}

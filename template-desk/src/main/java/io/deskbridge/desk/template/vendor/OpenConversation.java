package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What the vendor needs to open a conversation.
 *
 * @param queue the queue (or skill, or department) to route to
 * @param customer who the customer is, as far as the application knows
 * @param verifiedCustomerId the customer's id when the application verified it (authenticated chat)
 * @param attributes routing and context data the agent's desktop shows
 */
public record OpenConversation(String queue, CustomerDetails customer, Optional<String> verifiedCustomerId, Map<String, String> attributes) {
    public OpenConversation {
        requireNonNull(queue, "queue is null");
        requireNonNull(customer, "customer is null");
        requireNonNull(verifiedCustomerId, "verifiedCustomerId is null");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes is null"));
    }
}

package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

/**
 * A desk broke a numbered rule of the contract (see {@link io.deskbridge.spi.ServiceDesk}).
 *
 * @param rule the rule's number, 1 to 14
 * @param description what happened
 */
public record ContractViolation(int rule, String description) {
    public ContractViolation {
        if (rule < 1 || rule > 14) {
            throw new IllegalArgumentException("rule must be 1 to 14: " + rule);
        }
        requireNonNull(description, "description is null");
    }

    @Override
    public String toString() {
        return "rule " + rule + ": " + description;
    }
}

package io.deskbridge.desk.template.vendor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What the agent sees of the customer.
 *
 * @param displayName the customer's name
 * @param locale a BCP 47 language tag
 */
public record CustomerDetails(Optional<String> displayName, Optional<String> locale) {
    public CustomerDetails {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(locale, "locale is null");
    }

    public static CustomerDetails anonymous() {
        return new CustomerDetails(Optional.empty(), Optional.empty());
    }
}

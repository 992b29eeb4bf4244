package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A user whose identity the application has verified (for example from a signed token). Desks that support
 * authenticated chat vouch for this identity to the vendor; they never take it from an unverified source.
 *
 * @param id the stable id of the user in the application
 * @param name the user's name, if known
 * @param email the user's email address, if known
 */
public record UserIdentity(String id, Optional<String> name, Optional<String> email) {
    public UserIdentity {
        requireNonBlank(id, "id");
        requireNonNull(name, "name is null");
        requireNonNull(email, "email is null");
    }

    public UserIdentity(String id) {
        this(id, Optional.empty(), Optional.empty());
    }
}

package io.deskbridge.genesys.guestchat.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Optional;

/**
 * The guest as the agent sees them ({@code GuestMemberInfo}). {@code displayName} is required by Genesys;
 * {@code customFields} reach the flow and the agent as participant data.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record GuestMemberInfo(String displayName, Optional<String> firstName, Optional<String> lastName, Optional<String> email,
        Optional<String> phoneNumber, Optional<String> avatarImageUrl, Map<String, String> customFields) {
    public GuestMemberInfo {
        requireNonNull(displayName, "displayName is null");
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("displayName is blank");
        }
        requireNonNull(firstName, "firstName is null");
        requireNonNull(lastName, "lastName is null");
        requireNonNull(email, "email is null");
        requireNonNull(phoneNumber, "phoneNumber is null");
        requireNonNull(avatarImageUrl, "avatarImageUrl is null");
        customFields = Map.copyOf(requireNonNull(customFields, "customFields is null"));
    }
}

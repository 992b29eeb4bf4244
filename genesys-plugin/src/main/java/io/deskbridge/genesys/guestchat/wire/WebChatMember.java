package io.deskbridge.genesys.guestchat.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Optional;

/** A member of the conversation, from {@code GET …/members/{memberId}} ({@code WebChatMemberInfo}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebChatMember(String id, Optional<String> displayName, Optional<String> avatarImageUrl, MemberRole role,
        MemberState state) {
    public WebChatMember {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a member without id");
        }
        displayName = displayName == null ? Optional.empty() : displayName.filter(n -> !n.isBlank());
        avatarImageUrl = avatarImageUrl == null ? Optional.empty() : avatarImageUrl.filter(u -> !u.isBlank());
        role = role == null ? MemberRole.UNKNOWN : role;
        state = state == null ? MemberState.UNKNOWN : state;
    }
}

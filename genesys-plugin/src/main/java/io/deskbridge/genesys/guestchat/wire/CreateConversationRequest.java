package io.deskbridge.genesys.guestchat.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * The body of {@code POST /api/v2/webchat/guest/conversations} ({@code CreateWebChatConversationRequest}).
 *
 * @param memberAuthToken the signed-data JWT of an authenticated chat; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record CreateConversationRequest(String organizationId, String deploymentId, RoutingTarget routingTarget,
        GuestMemberInfo memberInfo, Optional<String> memberAuthToken) {
    public CreateConversationRequest {
        requireNonNull(organizationId, "organizationId is null");
        requireNonNull(deploymentId, "deploymentId is null");
        requireNonNull(routingTarget, "routingTarget is null");
        requireNonNull(memberInfo, "memberInfo is null");
        requireNonNull(memberAuthToken, "memberAuthToken is null");
    }
}

package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A member as a guest chat conversation holds it (state, dates, and for the guest the member info it was created
 * with); mutable, guarded by the conversation's lock. Tests see {@link SimulatedMember} snapshots.
 */
final class ConversationMember {
    final String id;
    final SimulatedMemberRole role;
    final Optional<String> displayName;
    final Optional<URI> avatarUrl;
    SimulatedMemberState state;
    Instant joinDate;
    Optional<Instant> leaveDate = Optional.empty();
    JsonNode guestInfo;
    boolean authenticated;

    ConversationMember(String id, SimulatedMemberRole role, Optional<String> displayName, Optional<URI> avatarUrl,
            SimulatedMemberState state, Instant joinDate) {
        this.id = id;
        this.role = role;
        this.displayName = displayName;
        this.avatarUrl = avatarUrl;
        this.state = state;
        this.joinDate = joinDate;
    }

    /** The guest, from the {@code memberInfo} of the create request; authenticated with signed data. */
    static ConversationMember guest(String id, JsonNode memberInfo, boolean authenticated, Instant joinDate) {
        ConversationMember guest = new ConversationMember(id, SimulatedMemberRole.CUSTOMER,
                text(memberInfo, "displayName"), text(memberInfo, "avatarImageUrl").flatMap(ConversationMember::uri),
                SimulatedMemberState.CONNECTED, joinDate);
        guest.guestInfo = memberInfo.deepCopy();
        guest.authenticated = authenticated;
        return guest;
    }

    SimulatedMember snapshot() {
        return new SimulatedMember(id, role, displayName, avatarUrl, state, joinDate, leaveDate);
    }

    /** The member as {@code GET .../members} shows it. */
    ObjectNode toJson(Wire wire) {
        ObjectNode node = wire.object().put("id", id);
        displayName.ifPresent(name -> node.put("displayName", name));
        if (guestInfo != null) {
            for (String field : List.of("firstName", "lastName", "email", "phoneNumber")) {
                text(guestInfo, field).ifPresent(value -> node.put(field, value));
            }
        }
        avatarUrl.ifPresent(url -> node.put("avatarImageUrl", url.toString()));
        node.put("role", role.name());
        node.put("joinDate", Wire.timestamp(joinDate));
        leaveDate.ifPresent(date -> node.put("leaveDate", Wire.timestamp(date)));
        if (role == SimulatedMemberRole.CUSTOMER) {
            node.put("authenticatedGuest", authenticated);
            JsonNode customFields = guestInfo == null ? null : guestInfo.get("customFields");
            if (customFields != null && customFields.isObject()) {
                node.set("customFields", customFields.deepCopy());
            }
        }
        node.put("state", state.name());
        return node;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<URI> uri(String text) {
        try {
            return Optional.of(URI.create(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

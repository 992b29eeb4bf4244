package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A member of a simulated conversation at one moment (a copy; later changes do not show here).
 *
 * @param id the member id
 * @param role the member's role
 * @param displayName the name shown for the member, if any (workflow and ACD members have none)
 * @param avatarUrl the member's avatar, if any
 * @param state the member's state
 * @param joinDate when the member joined (or, for an alerting agent, was offered the chat)
 * @param leaveDate when the member left, if it did
 */
public record SimulatedMember(
        String id,
        SimulatedMemberRole role,
        Optional<String> displayName,
        Optional<URI> avatarUrl,
        SimulatedMemberState state,
        Instant joinDate,
        Optional<Instant> leaveDate) {

    public SimulatedMember {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(avatarUrl, "avatarUrl is null");
        requireNonNull(state, "state is null");
        requireNonNull(joinDate, "joinDate is null");
        requireNonNull(leaveDate, "leaveDate is null");
    }
}

package io.deskbridge.spi;

import static io.deskbridge.spi.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * Who the user is talking to.
 *
 * @param id the vendor's stable id of the agent (two joins with the same id are the same agent, rule 3)
 * @param nickname the name shown to the user
 * @param avatarUrl a picture of the agent, at least 64×64 pixels, if the vendor provides one
 */
public record AgentProfile(String id, String nickname, Optional<URI> avatarUrl) {
    public AgentProfile {
        requireNonBlank(id, "id");
        requireNonBlank(nickname, "nickname");
        requireNonNull(avatarUrl, "avatarUrl is null");
    }

    public AgentProfile(String id, String nickname) {
        this(id, nickname, Optional.empty());
    }
}

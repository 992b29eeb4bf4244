package io.deskbridge.genesys.simulator;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * An agent of the simulated contact center.
 *
 * <p>{@code id} becomes the agent's member id in every conversation the agent joins, so a test can recognise the
 * agent in what the desk reports. Genesys gives each participation its own member id (a communication id); reusing
 * one id per agent is a simulator choice that a client treating member ids as opaque cannot tell apart.
 *
 * @param id the member id the agent gets in a conversation
 * @param displayName what {@code GET .../members/{id}} returns as {@code displayName}
 * @param avatarUrl what it returns as {@code avatarImageUrl}, if anything
 */
public record GenesysAgent(String id, String displayName, Optional<URI> avatarUrl) {
    public GenesysAgent {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(avatarUrl, "avatarUrl is null");
        if (id.isBlank() || id.contains("/")) {
            throw new IllegalArgumentException("agent id must be non-blank and free of '/': '" + id + "'");
        }
        if (displayName.isBlank()) {
            throw new IllegalArgumentException("displayName of agent " + id + " is blank");
        }
    }

    public GenesysAgent(String id, String displayName) {
        this(id, displayName, Optional.empty());
    }

    public GenesysAgent(String id, String displayName, URI avatarUrl) {
        this(id, displayName, Optional.of(avatarUrl));
    }
}

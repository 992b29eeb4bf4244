package io.deskbridge.core.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Tags;

/**
 * The tags every deskbridge meter carries: which desk ({@code desk=genesys}) and which of its transports
 * ({@code transport=web-messaging}; a desk with one transport reports {@code default}).
 */
public record DeskTags(String desk, String transport) {
    public DeskTags {
        requireNonNull(desk, "desk is null");
        requireNonNull(transport, "transport is null");
    }

    /** As Micrometer tags, with {@code more} (key, value pairs) after them. */
    public Tags with(String... more) {
        return Tags.of("desk", desk, "transport", transport).and(more);
    }
}

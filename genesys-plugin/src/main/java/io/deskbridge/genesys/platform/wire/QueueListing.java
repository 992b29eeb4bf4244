package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A page of {@code GET /api/v2/routing/queues} ({@code QueueEntityListing}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueueListing(List<Queue> entities) {
    public QueueListing {
        entities = entities == null ? List.of() : List.copyOf(entities);
    }

    /** One routing queue. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Queue(String id, String name) {}
}

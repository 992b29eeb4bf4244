package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** The answer of {@code GET /api/v2/routing/queues/{id}/estimatedwaittime} ({@code EstimatedWaitTimePredictions}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EstimatedWaitTime(List<Prediction> results) {
    public EstimatedWaitTime {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** One prediction ({@code PredictionResults}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Prediction(Optional<String> intent, Optional<String> formula, Long estimatedWaitTimeSeconds) {
        public Prediction {
            intent = intent == null ? Optional.empty() : intent;
            formula = formula == null ? Optional.empty() : formula;
        }
    }
}

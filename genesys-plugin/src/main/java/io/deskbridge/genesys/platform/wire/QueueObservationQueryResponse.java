package io.deskbridge.genesys.platform.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The answer of {@code POST /api/v2/analytics/queues/observations/query}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueueObservationQueryResponse(List<Result> results) {
    public QueueObservationQueryResponse {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** One group of metrics ({@code {queueId}} for user metrics, {@code {queueId, mediaType}} for conversations). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(Map<String, String> group, List<MetricData> data) {
        public Result {
            group = group == null ? Map.of() : Map.copyOf(group);
            data = data == null ? List.of() : List.copyOf(data);
        }
    }

    /** One metric, with its qualifier (a routing status such as {@code IDLE} for {@code oOnQueueUsers}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MetricData(String metric, Optional<String> qualifier, Stats stats) {
        public MetricData {
            qualifier = qualifier == null ? Optional.empty() : qualifier;
        }

        /** {@code stats.count}, 0 when absent. */
        public long count() {
            return stats == null || stats.count() == null ? 0 : stats.count();
        }
    }

    /** The statistical summary; observation metrics use {@code count}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stats(Long count) {}
}

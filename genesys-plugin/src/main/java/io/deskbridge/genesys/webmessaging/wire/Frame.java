package io.deskbridge.genesys.webmessaging.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Optional;

/**
 * One frame from the server: {@code {"type", "class", "code", "body", "tracingId"?}}. {@code body} is an object or,
 * for class {@code string}, the text of an error; read it according to {@link #responseClass()}.
 *
 * @param type {@code response} (answers a request) or {@code message} (pushed)
 * @param className the {@code class} field as sent
 * @param code 200 for success, an HTTP-like or 4xxx code otherwise
 * @param body the body, as a tree
 * @param tracingId the request's {@code tracingId}, echoed back
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Frame(String type, @JsonProperty("class") String className, int code, JsonNode body, Optional<String> tracingId) {
    public Frame {
        requireNonNull(type, "type is null");
        requireNonNull(className, "class is null");
        body = body == null ? NullNode.getInstance() : body;
        tracingId = tracingId == null ? Optional.empty() : tracingId;
    }

    @JsonIgnore
    public Optional<FrameType> frameType() {
        return FrameType.fromWire(type);
    }

    @JsonIgnore
    public Optional<ResponseClass> responseClass() {
        return ResponseClass.fromWire(className);
    }

    /** Whether {@code code} says success (2xx). */
    @JsonIgnore
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /** The error text of a failed frame: the body when it is text, else its {@code errorMessage} field. */
    @JsonIgnore
    public String errorText() {
        if (body.isTextual()) {
            return body.asText();
        }
        if (body.hasNonNull("errorMessage")) {
            return body.get("errorMessage").asText();
        }
        return body.toString();
    }
}

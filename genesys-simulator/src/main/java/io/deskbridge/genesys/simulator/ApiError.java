package io.deskbridge.genesys.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Genesys error answer: thrown by an endpoint, rendered as the platform's {@code ErrorBody} ({@code message, code,
 * status, messageWithParams, messageParams, contextId, details, errors}) or, on the login server, as the OAuth error
 * shape ({@code error, description, error_description}).
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final String messageWithParams;
    private final Map<String, String> messageParams;
    private final OptionalInt retryAfterSeconds;
    private final String fieldName;
    private final boolean oauth;

    private ApiError(int status, String code, String message, String messageWithParams,
            Map<String, String> messageParams, OptionalInt retryAfterSeconds, String fieldName, boolean oauth) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.messageWithParams = messageWithParams;
        this.messageParams = messageParams;
        this.retryAfterSeconds = retryAfterSeconds;
        this.fieldName = fieldName;
        this.oauth = oauth;
    }

    static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message, message, Map.of(), OptionalInt.empty(), null, false);
    }

    /** An error on one field of the request, listed in {@code details}. */
    static ApiError onField(int status, String code, String message, String fieldName) {
        return new ApiError(status, code, message, message, Map.of(), OptionalInt.empty(), fieldName, false);
    }

    /** An error whose message has parameters: {@code template} uses {@code {name}}, filled from {@code params}. */
    static ApiError withParams(int status, String code, String template, Map<String, String> params) {
        String message = template;
        for (Map.Entry<String, String> param : params.entrySet()) {
            message = message.replace("{" + param.getKey() + "}", param.getValue());
        }
        return new ApiError(status, code, message, template, new LinkedHashMap<>(params), OptionalInt.empty(), null,
                false);
    }

    static ApiError fromFault(RequestFault fault) {
        return new ApiError(fault.status(), fault.code(), fault.message(), fault.message(), Map.of(),
                fault.retryAfterSeconds(), null, false);
    }

    /** An OAuth error, as the login server answers: {@code {error, description, error_description}}. */
    static ApiError oauth(int status, String error, String description) {
        return new ApiError(status, error, description, description, Map.of(), OptionalInt.empty(), null, true);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    OptionalInt retryAfterSeconds() {
        return retryAfterSeconds;
    }

    ObjectNode body(ObjectMapper json, String contextId) {
        ObjectNode body = json.createObjectNode();
        if (oauth) {
            body.put("error", code);
            body.put("description", getMessage());
            body.put("error_description", getMessage());
            return body;
        }
        body.put("message", getMessage());
        body.put("code", code);
        body.put("status", status);
        body.put("messageWithParams", messageWithParams);
        ObjectNode params = body.putObject("messageParams");
        messageParams.forEach(params::put);
        body.put("contextId", contextId);
        var details = body.putArray("details");
        if (fieldName != null) {
            details.addObject().put("errorCode", code).put("fieldName", fieldName);
        }
        body.putArray("errors");
        return body;
    }
}

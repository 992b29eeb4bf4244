package io.deskbridge.genesys.platform;

import io.deskbridge.desk.support.VendorCallException;
import io.deskbridge.spi.ServiceDeskException;
import java.time.Duration;
import java.util.Optional;

/**
 * A Genesys request that failed: the HTTP status, the {@code code} and {@code contextId} of Genesys's error body
 * when it sent one, and its {@code Retry-After}. Its {@link #kind()} is {@code VENDOR_UNAVAILABLE} for {@code 408},
 * {@code 429}, {@code 5xx} and network failures, {@code VENDOR_REJECTED} for the other 4xx.
 */
public class GenesysApiException extends ServiceDeskException {

    /** The {@link #status()} of a request that got no HTTP response (connection refused, reset, timed out). */
    public static final int NETWORK_FAILURE = 0;

    private final String operation;
    private final int status;
    private final String code;
    private final String contextId;
    private final Duration retryAfter;

    /**
     * @param operation what was asked, for messages ({@code "create a guest chat"})
     * @param status the HTTP status, or {@link #NETWORK_FAILURE}
     * @param code Genesys's error code ({@code chat.error.conversation.state}), or {@code null}
     * @param detail Genesys's error message or the network error, or {@code null}
     * @param contextId Genesys's correlation id of the failed request, or {@code null}
     * @param retryAfter the {@code Retry-After} of the response, or {@code null}
     */
    public GenesysApiException(String operation, int status, String code, String detail, String contextId, Duration retryAfter,
            Throwable cause) {
        super(kindOf(status), describe(operation, status, code, detail, contextId), null, cause);
        this.operation = operation;
        this.status = status;
        this.code = code;
        this.contextId = contextId;
        this.retryAfter = retryAfter;
    }

    /** As every desk maps an HTTP failure ({@link VendorCallException#kindOf}): a 408 or 429 is worth a retry, another 4xx is not. */
    static Kind kindOf(int status) {
        return VendorCallException.kindOf(status);
    }

    private static String describe(String operation, int status, String code, String detail, String contextId) {
        StringBuilder text = new StringBuilder("Genesys could not ").append(operation).append(": ");
        if (status == NETWORK_FAILURE) {
            text.append("no response");
        } else {
            text.append("HTTP ").append(status);
        }
        if (code != null) {
            text.append(' ').append(code);
        }
        if (detail != null && !detail.isBlank()) {
            text.append(" (").append(detail).append(')');
        }
        if (contextId != null) {
            text.append(" [contextId ").append(contextId).append(']');
        }
        return text.toString();
    }

    /** What was asked, in words ({@code "create a guest chat"}). */
    public String operation() {
        return operation;
    }

    /** The HTTP status, or {@link #NETWORK_FAILURE} when no response came. */
    public int status() {
        return status;
    }

    /** Genesys's error code, such as {@code chat.error.conversation.state}. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** Genesys's correlation id of the failed request ({@code inin-correlation-id}). */
    public Optional<String> contextId() {
        return Optional.ofNullable(contextId);
    }

    /** The response's {@code Retry-After}, if it had one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether Genesys refused the request for a permission the caller lacks: {@code 403} with
     * {@code missing.permissions}, {@code missing.any.permissions} or {@code missing.division.permission} (its
     * message names the permission).
     */
    public boolean isMissingPermission() {
        return status == 403 && code != null
                && (code.equals("missing.permissions") || code.equals("missing.any.permissions") || code.equals("missing.division.permission"));
    }

    /** Whether the failure has the given status and Genesys error code. */
    public boolean is(int expectedStatus, String expectedCode) {
        return status == expectedStatus && expectedCode.equals(code);
    }
}

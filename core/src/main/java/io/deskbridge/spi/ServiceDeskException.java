package io.deskbridge.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one exception family of deskbridge. Its {@link Kind} says who can fix the problem; its message says what
 * failed and what to do about it. A desk completes its stages exceptionally with this type (or a subclass) and never
 * throws it into a vendor socket listener.
 */
public class ServiceDeskException extends RuntimeException {

    /** What kind of failure this is. */
    public enum Kind {
        /** The configuration is missing, malformed or inconsistent; the operator fixes it. */
        CONFIGURATION,
        /** The vendor could not be reached or is failing (network, 5xx, rate limit exhausted); retry later. */
        VENDOR_UNAVAILABLE,
        /** The vendor refused the request (bad credentials, unknown queue, chat already ended, message too long). */
        VENDOR_REJECTED,
        /** The desk does not support what was asked (see {@link UnsupportedCapabilityException}). */
        UNSUPPORTED,
        /** A bug or an unexpected state inside deskbridge or the desk. */
        INTERNAL
    }

    private final Kind kind;
    private final String messageToUser;

    /** A failure with a message for logs and developers (what failed and what to do about it), none for the user. */
    public ServiceDeskException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    /** As {@link #ServiceDeskException(Kind, String)}, with the underlying cause. */
    public ServiceDeskException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    /**
     * @param messageToUser a sentence the end user may be shown (no internals), or {@code null} for none
     */
    public ServiceDeskException(Kind kind, String message, String messageToUser, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.messageToUser = messageToUser;
    }

    /**
     * The failure of an optional method called on a desk that does not declare its capability (rule 14): an
     * {@link UnsupportedCapabilityException} whose message names the desk and the capability. A desk fails the stage
     * with it: {@code return CompletableFuture.failedFuture(ServiceDeskException.unsupported(name(), capability));}.
     */
    public static UnsupportedCapabilityException unsupported(String deskName, Capability capability) {
        return new UnsupportedCapabilityException(deskName, capability);
    }

    /** What kind of failure this is, for the application to decide whether to retry, tell the user, or alert. */
    public Kind kind() {
        return kind;
    }

    /** A sentence fit to show the end user, if the desk provided one. */
    public Optional<String> messageToUser() {
        return Optional.ofNullable(messageToUser);
    }
}

package io.deskbridge.genesys.guestchat;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.desk.support.VendorCallException;
import io.deskbridge.genesys.platform.GenesysApiException;
import io.deskbridge.spi.ServiceDeskException;
import io.deskbridge.spi.ServiceDeskException.Kind;
import java.util.Set;

/**
 * Genesys's failures in words: the reason for the operator's log and the sentence for the user, for each error
 * code the guest chat API documents. A failure without such a code gets its kind from the HTTP status the way every
 * desk does ({@link VendorCallException#kindOf}: a 408 or 429 is worth a retry, another 4xx is not).
 */
final class GuestChatErrors {
    static final String USER_UNAVAILABLE = "The chat service is not available right now. Please try again later.";
    static final String USER_BUSY = "Many people are starting chats right now. Please try again in a moment.";
    static final String USER_CANNOT_START = "We could not connect you to an agent. Please try again later.";
    static final String USER_SIGN_IN = "Please sign in to chat with an agent.";
    static final String USER_ENDED = "The chat has ended, so your message was not delivered.";
    static final String USER_NOT_SENT = "Your message could not be delivered. Please try again.";

    /** 400 codes of the create call that name the desk's configuration (guest chat swagger, x-inin-error-codes). */
    private static final Set<String> CONFIGURATION_CODES = Set.of("chat.error.bad.request",
            "chat.error.createconversationrequest.routingtarget", "invalid.property", "invalid.value", "constraint.validation");

    private GuestChatErrors() {}

    /** Why a chat could not start, with a sentence for the user. */
    static ServiceDeskException startFailure(Throwable failure, String queueName) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof GenesysApiException api) {
            String code = api.code().orElse("");
            switch (code) {
                case "chat.deployment.require.auth":
                    return new ServiceDeskException(Kind.CONFIGURATION, "The Genesys deployment requires authenticated chats: set "
                            + "genesys.authenticatedChat=true and start chats with a verified user. " + api.getMessage(), USER_SIGN_IN, api);
                case "chat.deployment.bad.auth":
                    return new ServiceDeskException(Kind.VENDOR_REJECTED, "Genesys rejected the chat's authentication token "
                            + "(memberAuthToken from signed data): check that the OAuth client belongs to the deployment's organization. "
                            + api.getMessage(), "We could not verify your identity for the chat.", api);
                case "chat.deployment.disabled":
                    return new ServiceDeskException(Kind.CONFIGURATION, "The Genesys chat deployment (genesys.deploymentId) is "
                            + "disabled. " + api.getMessage(), USER_UNAVAILABLE, api);
                case "chat.error.invalid.queue":
                    return new ServiceDeskException(Kind.CONFIGURATION, "Genesys does not accept the queue '" + queueName
                            + "' (genesys.queueName) as a chat routing target. " + api.getMessage(), USER_UNAVAILABLE, api);
                case "origin.not.allowed":
                    return new ServiceDeskException(Kind.CONFIGURATION, "The Genesys deployment only accepts chats from its allowed "
                            + "domains: set genesys.origin to the origin of one of them (https://shop.example.com), or clear the "
                            + "deployment's allowed-domain restriction. "
                            + api.getMessage(), USER_UNAVAILABLE, api);
                default:
                    break;
            }
            if (api.isMissingPermission()) {
                return new ServiceDeskException(Kind.CONFIGURATION, "Genesys refused the chat for a missing permission; check the "
                        + "deployment (genesys.deploymentId) and the queue's division. " + api.getMessage(), USER_CANNOT_START, api);
            }
            if (code.startsWith("chat.error.pattern") || code.startsWith("chat.error.notnull") || code.equals("chat.error.invalid.flow")) {
                return new ServiceDeskException(Kind.CONFIGURATION, "Genesys refused the chat request; check genesys.organizationId, "
                        + "genesys.deploymentId and the deployment's flow. " + api.getMessage(), USER_CANNOT_START, api);
            }
            // The create call's documented 400 codes for a request Genesys cannot take as configured (an unknown
            // organization or deployment, a routing target it does not accept, a field it refuses): no retry helps.
            if (api.status() == 400 && CONFIGURATION_CODES.contains(code)) {
                return new ServiceDeskException(Kind.CONFIGURATION, "Genesys refused the chat request as configured; check "
                        + "genesys.organizationId, genesys.deploymentId and genesys.queueName (with genesys.skills, genesys.language, "
                        + "genesys.priority). " + api.getMessage(), USER_CANNOT_START, api);
            }
            // No Genesys code this desk knows: who can fix it is the status's, as for every desk.
            if (VendorCallException.isRejection(api.status())) {
                return new ServiceDeskException(Kind.VENDOR_REJECTED, api.getMessage(), USER_CANNOT_START, api);
            }
            boolean rateLimited = api.status() == 429;
            return new ServiceDeskException(Kind.VENDOR_UNAVAILABLE, (rateLimited ? "Genesys is limiting the rate of requests"
                    : "Genesys is unavailable") + " and the retries were used up. " + api.getMessage(), rateLimited ? USER_BUSY : USER_UNAVAILABLE, api);
        }
        if (cause instanceof ServiceDeskException sde) {
            return sde.messageToUser().isPresent() ? sde
                    : new ServiceDeskException(sde.kind(), sde.getMessage(), sde.kind() == Kind.VENDOR_UNAVAILABLE ? USER_UNAVAILABLE : USER_CANNOT_START, sde);
        }
        return new ServiceDeskException(Kind.VENDOR_UNAVAILABLE, "Could not start the Genesys chat: " + describe(cause), USER_UNAVAILABLE, cause);
    }

    /** Why a message could not be sent, with a sentence for the user. */
    static ServiceDeskException sendFailure(Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (cause instanceof GenesysApiException api) {
            if (isChatOver(api)) {
                return new ServiceDeskException(Kind.VENDOR_REJECTED, "The chat has ended at Genesys: " + api.getMessage(), USER_ENDED, api);
            }
            if (api.status() == 413 || api.code().filter(c -> c.equals("request.entity.too.large")).isPresent()) {
                return new ServiceDeskException(Kind.VENDOR_REJECTED, "Genesys refused the message as too large: " + api.getMessage(),
                        "Your message is too long. Please shorten it.", api);
            }
            return new ServiceDeskException(VendorCallException.kindOf(api.status()), api.getMessage(), USER_NOT_SENT, api);
        }
        if (cause instanceof ServiceDeskException sde) {
            return sde;
        }
        return new ServiceDeskException(Kind.VENDOR_UNAVAILABLE, "Could not send the message to Genesys: " + describe(cause), USER_NOT_SENT, cause);
    }

    /**
     * Whether Genesys says the guest's chat is over: {@code 400 chat.error.conversation.state} or
     * {@code chat.error.member.state}, the conversation or member is gone ({@code 404}), or the guest's JWT is no
     * longer accepted ({@code 401 credentials.expired}, {@code bad.credentials}): nothing can be done in the chat
     * with it, and guest chat issues no new one.
     */
    static boolean isChatOver(Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        if (!(cause instanceof GenesysApiException api)) {
            return false;
        }
        return api.is(400, "chat.error.conversation.state") || api.is(400, "chat.error.member.state") || api.status() == 404
                || api.status() == 401;
    }

    static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Whether Genesys answered 401: the guest's JWT is no longer valid, as for a chat that is over. */
    static boolean isUnauthorized(Throwable failure) {
        return CompletionFailures.unwrap(failure) instanceof GenesysApiException api && api.status() == 401;
    }
}

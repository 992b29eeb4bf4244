package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when the deployment's configuration turns {@code conversationDisconnect} off (Genesys's default). The desk
 * learns that the agent ended the conversation only from the agent's {@code Presence Disconnect}; whether Genesys sends
 * it to the guest with the feature off is not known, so chats may then end only when the user ends them or the session
 * expires. The warning is the desk's, not each chat's: it is logged when a read of the configuration finds the feature
 * off and the configuration read before did not (the first read, or after the deployment was changed), so a thousand
 * chats on one deployment log it once.
 */
final class DisconnectConfigWarning {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectConfigWarning.class);

    private DisconnectConfigWarning() {}

    /**
     * A read of {@code uri} gave {@code next}; {@code previous} is the configuration read before it, null for the first.
     * Warns if {@code next} turns the conversation disconnect off and {@code previous} did not say so already.
     */
    static void read(WebMessagingDeploymentConfig previous, WebMessagingDeploymentConfig next, URI uri) {
        requireNonNull(next, "next is null");
        boolean off = next.disconnectEnabled().filter(enabled -> !enabled).isPresent();
        boolean offBefore = previous != null && previous.disconnectEnabled().filter(enabled -> !enabled).isPresent();
        if (off && !offBefore) {
            LOG.warn("the Genesys deployment's configuration {} has conversationDisconnect disabled: the agent's disconnect may not reach"
                    + " the guest, and chats then end only when the user ends them or the session expires; enable conversationDisconnect"
                    + " in the Messenger configuration", uri);
        }
    }
}

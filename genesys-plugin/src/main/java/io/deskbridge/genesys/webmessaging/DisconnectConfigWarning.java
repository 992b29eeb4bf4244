package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a chat starts on a deployment whose configuration turns {@code conversationDisconnect} off (Genesys's
 * default). The desk learns that the agent ended the conversation only from the agent's {@code Presence Disconnect};
 * whether Genesys sends it to the guest with the feature off is not known, so such a chat may end only when the user
 * ends it or the session expires. The warning says so once per desk, at its start or resumption, where an operator
 * looking for chats that did not end will find it.
 */
final class DisconnectConfigWarning {
    private static final Logger LOG = LoggerFactory.getLogger(DisconnectConfigWarning.class);

    private DisconnectConfigWarning() {}

    /**
     * {@code config}, as the chat {@code chatId} applies it at its start, having warned if it was read and turns the
     * conversation disconnect off. A configuration that could not be read says nothing, and gets no warning.
     */
    static WebMessagingDeploymentConfig applied(String chatId, WebMessagingDeploymentConfig config) {
        requireNonNull(config, "config is null");
        if (config.disconnectEnabled().filter(enabled -> !enabled).isPresent()) {
            LOG.warn("chat={} the Genesys deployment's configuration has conversationDisconnect disabled: the agent's disconnect may"
                    + " not reach the guest, and the chat then ends only when the user ends it or the session expires; enable"
                    + " conversationDisconnect in the Messenger configuration", chatId);
        }
        return config;
    }
}

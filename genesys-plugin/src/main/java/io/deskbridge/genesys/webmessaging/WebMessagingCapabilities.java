package io.deskbridge.genesys.webmessaging;

import io.deskbridge.spi.Capability;
import io.deskbridge.spi.ServiceDeskCallback;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What a web messaging chat can do, from the desk's configuration. */
public final class WebMessagingCapabilities {
    /**
     * What a web messaging chat supports with the default configuration. {@code USER_TYPING} and {@code FILE_UPLOADS}
     * are declared here and taken away per chat where the deployment's configuration turns them off
     * ({@link #forChat}); {@code AGENT_READ_RECEIPTS} is not declared: Genesys's messenger SDK shows no receipts.
     */
    public static final Set<Capability> BASE = Collections.unmodifiableSet(EnumSet.of(
            Capability.UPDATE_STATE, Capability.USER_TYPING, Capability.FILE_UPLOADS, Capability.RECONNECT,
            Capability.AGENT_TYPING, Capability.TRANSFER, Capability.CONNECTION_RECOVERY));

    /** What OAuth client credentials add: the queue's agents and wait. */
    public static final Set<Capability> PLATFORM = Collections.unmodifiableSet(EnumSet.of(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS));

    private WebMessagingCapabilities() {
    }

    /**
     * The capabilities a web messaging desk declares: {@code AGENTS_ONLINE} and {@code QUEUE_STATUS} with OAuth client
     * credentials, {@code AGENT_READ_RECEIPTS} with {@code genesys.webMessagingReadReceipts}. A chat reports less
     * ({@code updateCapabilities}) where the deployment's configuration turns user typing or files off.
     */
    public static Set<Capability> of(boolean clientCredentials, boolean readReceipts) {
        EnumSet<Capability> all = EnumSet.copyOf(BASE);
        if (clientCredentials) {
            all.addAll(PLATFORM);
        }
        if (readReceipts) {
            all.add(Capability.AGENT_READ_RECEIPTS);
        }
        return Collections.unmodifiableSet(all);
    }

    /**
     * What one chat can do: the declared capabilities less what the deployment turns off ({@code USER_TYPING} without
     * {@code showUserTypingIndicator}, {@code FILE_UPLOADS} where the configuration or the session accepts no file).
     */
    static Set<Capability> forChat(Set<Capability> declared, WebMessagingDeploymentConfig config, boolean sessionAcceptsFiles) {
        EnumSet<Capability> chat = declared.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(declared);
        if (!config.showUserTypingIndicator()) {
            chat.remove(Capability.USER_TYPING);
        }
        if (!sessionAcceptsFiles || config.enableAttachments().filter(enabled -> !enabled).isPresent()) {
            chat.remove(Capability.FILE_UPLOADS);
        }
        return Collections.unmodifiableSet(chat);
    }

    /** Tells the application what one chat can do where the deployment's configuration or the session takes away some. */
    static void report(ServiceDeskCallback callback, Set<Capability> declared, WebMessagingDeploymentConfig config, boolean sessionAcceptsFiles) {
        Set<Capability> chat = forChat(declared, config, sessionAcceptsFiles);
        if (!chat.equals(declared)) {
            callback.updateCapabilities(chat);
        }
    }
}

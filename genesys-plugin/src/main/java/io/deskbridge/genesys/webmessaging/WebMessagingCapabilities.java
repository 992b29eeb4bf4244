package io.deskbridge.genesys.webmessaging;

import io.deskbridge.spi.Capability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What a web messaging chat can do, from the desk's configuration. */
final class WebMessagingCapabilities {
    /** What every web messaging chat supports, whatever the configuration. */
    static final Set<Capability> BASE = Collections.unmodifiableSet(EnumSet.of(
            Capability.UPDATE_STATE, Capability.USER_TYPING, Capability.FILE_UPLOADS, Capability.RECONNECT,
            Capability.AGENT_TYPING, Capability.AGENT_READ_RECEIPTS, Capability.TRANSFER, Capability.CONNECTION_RECOVERY));

    /** What OAuth client credentials add: the queue's agents and wait. */
    static final Set<Capability> PLATFORM = Collections.unmodifiableSet(EnumSet.of(Capability.AGENTS_ONLINE, Capability.QUEUE_STATUS));

    private WebMessagingCapabilities() {
    }

    /** The capabilities with or without OAuth client credentials. */
    static Set<Capability> of(boolean clientCredentials) {
        EnumSet<Capability> all = EnumSet.copyOf(BASE);
        if (clientCredentials) {
            all.addAll(PLATFORM);
        }
        return Collections.unmodifiableSet(all);
    }
}
